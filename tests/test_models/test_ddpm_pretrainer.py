import os
import os.path as osp
import shutil

import pytest
import torch
from mmpretrain.structures import DataSample

from iois_mm.datasets import make_demo_shapes
from iois_mm.models.diffusion import DDPMPretrainer, export_diffusion_model
from iois_mm.synthesis import DiffusionModelError, GuidedDiffusionSynthesizer

TINY_UNET = dict(sample_size=16, block_out_channels=(16, 32),
                 layers_per_block=1, norm_num_groups=8, add_attention=False,
                 down_block_types=('DownBlock2D', 'DownBlock2D'),
                 up_block_types=('UpBlock2D', 'UpBlock2D'))


def batches_of_shapes(count=32, size=16):
    """RGB uint8 batches as the data pipeline packs them (BGR, CHW)."""
    import numpy as np
    from iois_mm.datasets.demo_shapes import draw_demo_image
    rng = np.random.default_rng(0)
    images = [draw_demo_image(i % 5, size, rng)[..., ::-1].transpose(2, 0, 1)
              for i in range(count)]
    return [torch.from_numpy(image.copy()) for image in images]


def test_noise_prediction_loss_decreases():
    torch.manual_seed(0)
    model = DDPMPretrainer(unet=TINY_UNET)
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    inputs = model.data_preprocessor(dict(inputs=batches_of_shapes()),
                                     training=True)['inputs']
    assert inputs.min() >= -1 and inputs.max() <= 1  # scaled to [-1, 1]
    losses = []
    for _ in range(40):
        loss = model(inputs, mode='loss')['loss']
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    # noisy per step (random t): compare averages
    assert sum(losses[-10:]) / 10 < 0.6 * sum(losses[:10]) / 10


def test_class_conditional_needs_labels_and_classes():
    with pytest.raises(ValueError, match='num_classes'):
        DDPMPretrainer(unet=TINY_UNET, class_conditional=True)
    model = DDPMPretrainer(unet=TINY_UNET, class_conditional=True,
                           num_classes=5)
    assert model.unet.config.num_class_embeds == 5
    with pytest.raises(ValueError, match='gt_label'):
        model(torch.zeros(2, 3, 16, 16), [], mode='loss')


def test_conditional_fine_tune_starts_from_the_label_free_export(tmp_path):
    torch.manual_seed(0)
    label_free = DDPMPretrainer(unet=TINY_UNET)
    out = export_diffusion_model(label_free.unet,
                                 label_free.noise_scheduler.config,
                                 str(tmp_path / 'label_free'))
    conditional = DDPMPretrainer(unet=TINY_UNET, class_conditional=True,
                                 num_classes=5, init_unet_from=out)
    conditional.init_weights()  # what the runner calls before training
    noisy = torch.randn(5, 3, 16, 16)
    timesteps = torch.tensor([0, 10, 300, 600, 999])
    with torch.no_grad():
        expected = label_free.unet(noisy, timesteps).sample
        for label in range(5):  # every class: the export's prediction
            got = conditional.unet(
                noisy, timesteps,
                class_labels=torch.full((5, ), label)).sample
            torch.testing.assert_close(got, expected)
    # and the class embedding trains: a loss step moves it off zero
    samples = [DataSample().set_gt_label(c) for c in (0, 1, 2, 3)]
    inputs = conditional.data_preprocessor(
        dict(inputs=batches_of_shapes(4)), training=True)['inputs']
    conditional(inputs, samples, mode='loss')['loss'].backward()
    assert conditional.unet.class_embedding.weight.grad[:4].abs().sum() > 0

    wider = DDPMPretrainer(unet=dict(TINY_UNET, block_out_channels=(16, 48)),
                           init_unet_from=out)
    with pytest.raises(DiffusionModelError, match='does not match'):
        wider.init_weights()
    missing = DDPMPretrainer(unet=TINY_UNET,
                             init_unet_from=str(tmp_path / 'absent'))
    with pytest.raises(DiffusionModelError, match='does not exist'):
        missing.init_weights()


def test_export_then_synthesizer_gives_the_same_samples(tmp_path):
    torch.manual_seed(0)
    model = DDPMPretrainer(unet=TINY_UNET)
    out = export_diffusion_model(model.unet, model.noise_scheduler.config,
                                 str(tmp_path / 'model'))
    assert sorted(os.listdir(out)) == ['model_index.json', 'scheduler',
                                       'unet']
    loaded = GuidedDiffusionSynthesizer(diffusion_model_dir=out,
                                        num_inference_steps=5,
                                        progress=False)
    in_memory = GuidedDiffusionSynthesizer(
        unet=model.unet, scheduler_config=model.noise_scheduler.config,
        num_inference_steps=5, progress=False)
    a, _ = loaded.generate(None, [0, 0, 0], seed=4)
    b, _ = in_memory.generate(None, [0, 0, 0], seed=4)
    assert torch.equal(a, b)
    # the diffusers pipeline loads it too (a standard DDPMPipeline layout)
    from diffusers import DDPMPipeline
    DDPMPipeline.from_pretrained(out, local_files_only=True)


def test_export_killed_midway_leaves_nothing_that_loads(tmp_path,
                                                        monkeypatch):
    model = DDPMPretrainer(unet=TINY_UNET)
    target = str(tmp_path / 'model')

    from diffusers import DDPMPipeline
    original = DDPMPipeline.save_pretrained

    def crash_after_unet(self, directory, **kwargs):
        self.unet.save_pretrained(osp.join(directory, 'unet'))
        raise KeyboardInterrupt  # killed while writing the rest

    monkeypatch.setattr(DDPMPipeline, 'save_pretrained', crash_after_unet)
    with pytest.raises(KeyboardInterrupt):
        export_diffusion_model(model.unet, model.noise_scheduler.config,
                               target)
    assert not osp.exists(target)
    partial, = [p for p in os.listdir(tmp_path) if '.partial-' in p]
    with pytest.raises(DiffusionModelError, match='incomplete export'):
        GuidedDiffusionSynthesizer(diffusion_model_dir=str(tmp_path /
                                                           partial))

    # a later export succeeds and replaces nothing half-written
    monkeypatch.setattr(DDPMPipeline, 'save_pretrained', original)
    export_diffusion_model(model.unet, model.noise_scheduler.config, target)
    GuidedDiffusionSynthesizer(diffusion_model_dir=target, progress=False)


def test_export_in_bfloat16_loads_as_float32(tmp_path):
    model = DDPMPretrainer(unet=TINY_UNET)
    out = export_diffusion_model(model.unet, model.noise_scheduler.config,
                                 str(tmp_path / 'bf16'), dtype=torch.bfloat16)
    size = osp.getsize(osp.join(out, 'unet',
                                'diffusion_pytorch_model.safetensors'))
    synth = GuidedDiffusionSynthesizer(diffusion_model_dir=out,
                                       progress=False)
    assert next(synth.unet.parameters()).dtype == torch.float32
    full = export_diffusion_model(model.unet, model.noise_scheduler.config,
                                  str(tmp_path / 'fp32'))
    assert size < 0.6 * osp.getsize(
        osp.join(full, 'unet', 'diffusion_pytorch_model.safetensors'))


def test_demo_dataset_is_deterministic_and_imbalanced(tmp_path):
    import json
    counts = make_demo_shapes(str(tmp_path / 'a'), seed=3, log=lambda s: None)
    make_demo_shapes(str(tmp_path / 'b'), seed=3, log=lambda s: None)
    make_demo_shapes(str(tmp_path / 'c'), seed=4, log=lambda s: None)
    totals = [sum(c) for c in zip(*counts.values())]
    assert max(totals) / min(totals) >= 10

    def files(root):
        return {osp.relpath(osp.join(d, f), root): open(osp.join(d, f),
                                                        'rb').read()
                for d, _, names in os.walk(osp.join(root, 'raw'))
                for f in names}

    assert files(tmp_path / 'a') == files(tmp_path / 'b')
    assert files(tmp_path / 'a') != files(tmp_path / 'c')
    for split in ('train', 'val', 'test'):
        a = json.load(open(tmp_path / 'a' / 'meta' / f'{split}.json'))
        b = json.load(open(tmp_path / 'b' / 'meta' / f'{split}.json'))
        assert a['data_list'] == b['data_list']
    shutil.rmtree(tmp_path / 'c')
