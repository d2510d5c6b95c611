"""Every shipped classifier config builds and trains an epoch (tiny model,
small data, CPU), including MMPretrain's own imbalance tools."""
import glob
import json
import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

from iois_mm.datasets import get_class_counts

from .conftest import REPO, unique_experiment_name

BASELINES = sorted(
    osp.relpath(p, REPO)
    for p in glob.glob(osp.join(REPO, 'configs', 'baselines', '*.py')))
TINY_PIPELINE = dict(
    train=[dict(type='LoadImageFromFile'),
           dict(type='RandomResizedCrop', scale=32),
           dict(type='PackInputs')],
    test=[dict(type='LoadImageFromFile'),
          dict(type='Resize', scale=(32, 32)),
          dict(type='PackInputs')])


def innermost_dataset(dataset_cfg):
    """The dataset dict under wrappers such as ClassBalancedDataset."""
    while 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg


def shrink(cfg, data_root, work_dir):
    for split in ('train', 'val', 'test'):
        loader = cfg[f'{split}_dataloader']
        loader.update(batch_size=8, num_workers=0, persistent_workers=False)
        dataset = innermost_dataset(loader['dataset'])
        dataset.update(data_root=data_root,
                       pipeline=TINY_PIPELINE['train' if split == 'train'
                                              else 'test'])
    cfg.train_dataloader.drop_last = True
    cfg.model.backbone.update(depth=18, stem_channels=8, base_channels=8,
                              init_cfg=None)
    cfg.model.head.in_channels = 64
    cfg.train_cfg.max_epochs = 1
    cfg.work_dir = work_dir
    cfg.default_hooks.checkpoint.max_keep_ckpts = 1
    cfg.experiment_name = unique_experiment_name(work_dir)


def test_every_dataset_has_every_baseline():
    names = {osp.basename(p) for p in BASELINES}
    for name in names:
        other = name.replace('ham10000', 'aptos') if 'ham10000' in name \
            else name.replace('aptos', 'ham10000')
        assert other in names, f'{name} has no counterpart {other}'
    methods = {n.split('_')[0] for n in names}
    assert {'ce', 'focal', 'cb-focal', 'sqrt-rs', 'pg-rs', 'ce-weighted',
            'seesaw', 'cbds'} <= methods


@pytest.mark.parametrize('config_path', BASELINES)
def test_baseline_config_trains_one_epoch(config_path, small_ham,
                                          small_aptos, tmp_path):
    cfg = Config.fromfile(osp.join(REPO, config_path))
    data_root = small_ham if 'ham10000' in config_path else small_aptos
    shrink(cfg, data_root, str(tmp_path / osp.basename(config_path)[:-3]))
    runner = Runner.from_cfg(cfg)
    runner.train()

    assert runner.epoch == 1
    scalars = runner.message_hub.get_scalar('val/imbalanced/macro_f1')
    assert scalars is not None
    loss = runner.model.head.loss_module
    if getattr(loss, 'needs_class_counts', False):
        dataset = runner.train_dataloader.dataset
        assert loss.class_counts == get_class_counts(dataset)
        assert loss.class_counts == dataset.get_class_counts()


def test_paper_recipe_is_in_the_base_configs():
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/baselines/ce_resnet50_in1k-pre_1xb32_200e_ham10000.py'))
    assert cfg.train_dataloader.batch_size == 32
    assert cfg.optim_wrapper.optimizer.lr == 0.0125
    assert cfg.train_cfg.max_epochs == 200
    assert cfg.param_scheduler.milestones == [60, 120, 180]
    assert cfg.param_scheduler.gamma == 0.1
    assert cfg.model.backbone.depth == 50
    assert cfg.model.backbone.init_cfg.checkpoint.startswith('https://')
    transforms = {t['type']: t for t in cfg.train_dataloader.dataset.pipeline}
    assert transforms['RandomResizedCrop']['scale'] == 224
    assert transforms['Rotate']['magnitude_range'] == (0, 30)
    assert transforms['RandomFlip']['direction'] == 'horizontal'
    assert cfg.default_hooks.checkpoint.save_best == 'imbalanced/macro_f1'


IOIS_CONFIGS = sorted(
    osp.relpath(p, REPO) for p in
    glob.glob(osp.join(REPO, 'configs', 'iois_resnet50_*.py')) +
    glob.glob(osp.join(REPO, 'configs', 'iois', '*.py'))
    if 'offline' not in p)  # the offline ablation: tests/test_tools


def test_iois_configs_exist_for_both_datasets():
    names = {osp.basename(p) for p in IOIS_CONFIGS}
    # the full method (+OIS, AAS) is configs/iois_resnet50_<dataset>.py;
    # configs/iois/ holds the ablations and combinations
    assert {'iois_resnet50_ham10000.py', 'iois_resnet50_aptos.py'} <= names
    for prefix in ('iois-ois', 'iois-cb-focal', 'iois-sqrt-rs'):
        for dataset in ('ham10000', 'aptos'):
            assert (f'{prefix}_resnet50_in1k-pre_1xb32_200e_{dataset}.py'
                    in names)


def test_iois_config_is_the_paper_setting():
    cfg = Config.fromfile(osp.join(REPO, 'configs/iois_resnet50_ham10000.py'))
    assert cfg.train_dataloader.dataset.type == 'SyntheticMixDataset'
    assert cfg.train_dataloader.dataset.capacity == 2000
    assert cfg.synthesizer.scheduler == 'ddim'
    assert cfg.synthesizer.num_inference_steps == 50
    assert cfg.synthesizer.guidance_scale == 1.0
    assert cfg.synthesizer.diffusion_model_dir is None  # user must set it
    hook, = cfg.custom_hooks
    assert hook.type == 'AccuracyAdaptiveSamplingHook' and hook.adaptive
    assert cfg.optim_wrapper.optimizer.lr == 0.0125  # the recipe underneath


@pytest.mark.parametrize('config_path', IOIS_CONFIGS)
def test_iois_config_trains_one_epoch(config_path, small_ham, small_aptos,
                                      tiny_diffusion_model, tmp_path):
    cfg = Config.fromfile(osp.join(REPO, config_path))
    data_root = small_ham if 'ham10000' in config_path else small_aptos
    shrink(cfg, data_root, str(tmp_path / osp.basename(config_path)[:-3]))
    cfg.train_dataloader.dataset.capacity = 7
    cfg.train_cfg.max_epochs = 2
    cfg.synthesizer.update(diffusion_model_dir=tiny_diffusion_model,
                           num_inference_steps=2, classifier_input_size=32,
                           progress=False)
    if cfg.get('guide_row'):  # the two-run workflow: its guide config first
        cfg.custom_hooks[0].guide_checkpoint = train_guide(
            cfg.guide_row, data_root, tmp_path)
    runner = Runner.from_cfg(cfg)
    runner.train()
    assert runner.train_dataloader.dataset.pool.version == 2


def train_guide(guide_row, data_root, tmp_path):
    """Train the config that a frozen-guide IOIS config names in
    ``guide_row`` for one epoch, shrunk alike; its checkpoint."""
    guide_cfg = Config.fromfile(
        osp.join(REPO, 'configs', 'baselines', guide_row + '.py'))
    shrink(guide_cfg, data_root, str(tmp_path / guide_row))
    Runner.from_cfg(guide_cfg).train()
    return str(tmp_path / guide_row / 'epoch_1.pth')


def test_configs_resolve_to_the_committed_snapshot():
    """Config refactorings keep every resolved value; an intended change
    regenerates the snapshot (tools/dev/snapshot_configs.py) in its
    commit."""
    import runpy
    tool = runpy.run_path(osp.join(REPO, 'tools/dev/snapshot_configs.py'))
    with open(tool['SNAPSHOT']) as f:
        snapshot = json.load(f)
    configs = tool['leaf_configs']()
    assert sorted(snapshot) == configs, 'configs added or removed: ' \
        'rerun tools/dev/snapshot_configs.py'
    for config in configs:
        assert tool['resolve'](config) == snapshot[config], config
