"""A guide trained beside the classifier (GuideTrainingHook): it guides the
synthesis, learns from the real images only, as loaded, at the classifier's
learning rate, and resumes (tiny classifier, tiny diffusion model, small
HAM10000 set, CPU)."""
import glob
import json
import os.path as osp

import pytest
import torch
from mmengine.model import BaseModel

from iois_mm.engine.hooks import GuideTrainingHook
from iois_mm.models.data_preprocessors import NOISE_STEP_KEY
from iois_mm.engine.refresh_images import RefreshImageSource

from ..conftest import build_runner, tiny_iois_config

IOIS = 'configs/iois_resnet50_ham10000.py'
HOOKS = [dict(type='AccuracyAdaptiveSamplingHook', accuracy_source='eval'),
         dict(type='GuideTrainingHook')]
OVERRIDES = dict(
    default_hooks=dict(checkpoint=dict(max_keep_ckpts=2)),  # to resume from
    # a classifier whose preprocessing mixes labels and appends noised
    # copies to the loader's batch in place: the guide must see neither
    data_preprocessor=dict(
        type='NoiseAwareClsDataPreprocessor', append=True,
        batch_augments=dict(augments=dict(type='Mixup', alpha=1.0))),
    # a learning rate that changes every iteration, for the guide to follow
    param_scheduler=[dict(type='LinearLR', start_factor=0.1, by_epoch=False,
                          begin=0, end=20)])


def weights(model):
    return {k: v.clone() for k, v in model.state_dict().items()}


def test_guide_trained_beside_the_classifier(small_ham, tiny_diffusion_model,
                                             tmp_path, monkeypatch):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=2)
    guides, steps = [], []
    generate, train_step = RefreshImageSource.generate, BaseModel.train_step

    def record_guide(self, model, *args, **kwargs):
        guides.append((model, weights(model)))
        return generate(self, model, *args, **kwargs)

    def record_step(self, data, optim_wrapper):
        # the samples as given, before this step's own preprocessing
        samples = [(s.gt_label.tolist(), s.metainfo.get('pool_slot'),
                    'gt_score' in s or NOISE_STEP_KEY in s.metainfo)
                   for s in data['data_samples']]
        steps.append((self, weights(self), dict(optim_wrapper.state_dict()),
                      samples, optim_wrapper.get_lr()['lr'][0]))
        return train_step(self, data, optim_wrapper)

    monkeypatch.setattr(RefreshImageSource, 'generate', record_guide)
    monkeypatch.setattr(BaseModel, 'train_step', record_step)
    work_dir = str(tmp_path / 'work')
    runner = build_runner(config, work_dir, custom_hooks=HOOKS, **OVERRIDES)
    runner.train()

    hook = next(h for h in runner.hooks if isinstance(h, GuideTrainingHook))
    guide = hook.guide
    assert guide is not runner.model
    preprocessor = guide.data_preprocessor
    assert type(preprocessor).__name__ == 'NoiseAwareClsDataPreprocessor'
    assert preprocessor.append and preprocessor.noise_fraction == 0.5
    # the initial pool and epoch 1's refresh, both guided by the guide, which
    # trained in between
    assert [model for model, _ in guides] == [guide, guide]
    assert any(not torch.equal(guides[0][1][k], guides[1][1][k])
               for k in guides[0][1])
    # one guide step per classifier step, on that step's real images as
    # loaded (no mixed labels, no noised copies), at the same learning rate
    guide_steps = [s for s in steps if s[0] is guide]
    classifier_steps = [s for s in steps if s[0] is runner.model]
    assert len(guide_steps) == len(classifier_steps) > 0
    for guide_step, step in zip(guide_steps, classifier_steps):
        real = [s for s in step[3] if s[1] is None]
        assert guide_step[3] == real
        assert not any(changed for _, _, changed in guide_step[3])
        assert guide_step[4] == step[4]
    assert len({step[4] for step in classifier_steps}) > 5
    assert any(s[1] is not None for step in classifier_steps
               for s in step[3])
    vis = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))[0]
    assert any('guide_loss' in json.loads(line) for line in open(vis))

    # resume from epoch 1: the guide continues from its saved weights and
    # optimiser state
    checkpoint = torch.load(osp.join(work_dir, 'epoch_1.pth'))
    saved = checkpoint['guide']
    steps.clear()
    resumed = build_runner(config, str(tmp_path / 'resumed'),
                           custom_hooks=HOOKS, resume=True,
                           load_from=osp.join(work_dir, 'epoch_1.pth'),
                           **OVERRIDES)
    resumed.train()
    resumed_guide = next(h for h in resumed.hooks
                         if isinstance(h, GuideTrainingHook)).guide
    first = next(s for s in steps if s[0] is resumed_guide)
    for name, value in saved['state_dict'].items():
        assert torch.equal(first[1][name], value), name
    assert first[2]['state'], 'the momentum was not restored'


def test_one_guide_at_a_time(small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=1)
    runner = build_runner(config, str(tmp_path / 'work'), custom_hooks=[
        dict(type='AccuracyAdaptiveSamplingHook',
             guide_checkpoint=str(tmp_path / 'guide.pth')),
        dict(type='GuideTrainingHook')
    ])
    with pytest.raises(ValueError, match='keep one'):
        runner.train()
