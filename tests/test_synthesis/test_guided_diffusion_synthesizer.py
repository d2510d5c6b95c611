import json
import os
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmpretrain.registry import MODELS

from iois_mm.synthesis import (ClassifierGuidance, DiffusionModelError,
                               GuidedDiffusionSynthesizer)

from ..conftest import save_tiny_diffusion_model


def tiny_classifier(num_classes=2):
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet', depth=18, stem_channels=8,
                      base_channels=8),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=num_classes,
                  in_channels=64, loss=dict(type='CrossEntropyLoss')),
        data_preprocessor=dict(type='ClsDataPreprocessor',
                               mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], to_rgb=True)))


def colour_batch(labels):
    """Class 0 reddish, class 1 bluish RGB images in [-1, 1]."""
    images = torch.randn(len(labels), 3, 16, 16) * 0.3
    sign = torch.where(labels == 0, 1.0, -1.0)[:, None, None]
    images[:, 0] += 0.6 * sign
    images[:, 2] -= 0.6 * sign
    return images.clamp(-1, 1)


@pytest.fixture(scope='module')
def trained_classifier():
    """A tiny classifier that tells red from blue (trained in train mode,
    through the same input mapping the guidance uses)."""
    classifier = tiny_classifier()
    guidance = ClassifierGuidance(classifier, input_size=32)
    optimizer = torch.optim.SGD(classifier.parameters(), lr=0.05,
                                momentum=0.9)
    generator = torch.Generator().manual_seed(0)
    for _ in range(60):
        labels = torch.randint(0, 2, (32, ), generator=generator)
        logits = classifier(
            guidance.to_classifier_input(colour_batch(labels)), mode='tensor')
        loss = F.cross_entropy(logits, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    optimizer.zero_grad(set_to_none=True)
    return classifier


def synthesizer(model_dir, **kwargs):
    settings = dict(diffusion_model_dir=model_dir, num_inference_steps=20,
                    classifier_input_size=32, batch_size=8, progress=False)
    settings.update(kwargs)
    return GuidedDiffusionSynthesizer(**settings)


def target_log_prob(classifier, images, labels):
    guidance = ClassifierGuidance(classifier, input_size=32)
    x = images.permute(0, 3, 1, 2).float() / 127.5 - 1
    with guidance.eval_mode(), torch.no_grad():
        return guidance.log_prob(x, labels)


@pytest.mark.parametrize('guidance_input,scale', [('x_t', 5.0),
                                                  ('x0_hat', 0.5)])
def test_guidance_raises_target_class_log_prob(tiny_diffusion_model,
                                               trained_classifier,
                                               guidance_input, scale):
    labels = torch.tensor([0, 1] * 6)
    plain, _ = synthesizer(tiny_diffusion_model, guidance_scale=0).generate(
        trained_classifier, labels, seed=3)
    guided, _ = synthesizer(
        tiny_diffusion_model, guidance_scale=scale,
        guidance_input=guidance_input).generate(trained_classifier, labels,
                                                seed=3)
    before = target_log_prob(trained_classifier, plain, labels)
    after = target_log_prob(trained_classifier, guided, labels)
    assert after.mean() > before.mean() + 1.0
    assert (after >= before - 1e-2).float().mean() >= 0.9


def test_classifier_is_left_exactly_as_it_was(tiny_diffusion_model,
                                              trained_classifier):
    classifier = trained_classifier.train()
    state = {k: v.clone() for k, v in classifier.state_dict().items()}
    synthesizer(tiny_diffusion_model, num_inference_steps=5).generate(
        classifier, [0, 1, 1], seed=0)
    assert classifier.training
    assert all(p.grad is None for p in classifier.parameters())
    for key, value in classifier.state_dict().items():  # incl. BN buffers
        assert torch.equal(value, state[key]), key


def test_ddp_wrapper_is_bypassed(tiny_diffusion_model, trained_classifier,
                                 monkeypatch):
    from mmengine.model import MMDistributedDataParallel
    monkeypatch.setenv('MASTER_ADDR', '127.0.0.1')
    monkeypatch.setenv('MASTER_PORT', '29533')
    torch.distributed.init_process_group('gloo', rank=0, world_size=1)
    try:
        wrapped = MMDistributedDataParallel(trained_classifier,
                                            device_ids=None)
        images, _ = synthesizer(tiny_diffusion_model,
                                num_inference_steps=3).generate(
                                    wrapped, [1, 0], seed=1)
        assert images.shape == (2, 16, 16, 3)
        assert all(p.grad is None for p in trained_classifier.parameters())
    finally:
        torch.distributed.destroy_process_group()


def test_output_format_and_determinism(tiny_diffusion_model,
                                       trained_classifier):
    synth = synthesizer(tiny_diffusion_model, num_inference_steps=4,
                        batch_size=3)
    labels = [1, 0, 1, 1, 0]  # not a multiple of the batch size
    images, out_labels = synth.generate(trained_classifier, labels, seed=7)
    assert images.dtype == torch.uint8 and images.shape == (5, 16, 16, 3)
    assert out_labels.tolist() == labels
    again, _ = synth.generate(trained_classifier, labels, seed=7)
    other, _ = synth.generate(trained_classifier, labels, seed=8)
    assert torch.equal(images, again)
    assert not torch.equal(images, other)
    assert synth.generate(trained_classifier, [], seed=0)[0].shape[0] == 0


@pytest.mark.parametrize('scheduler', ['dpmsolver++', 'ddpm'])
def test_other_samplers_and_bf16_run(tiny_diffusion_model, trained_classifier,
                                     scheduler):
    images, _ = synthesizer(tiny_diffusion_model, scheduler=scheduler,
                            num_inference_steps=5, bf16=True).generate(
                                trained_classifier, [0, 1], seed=0)
    assert images.shape == (2, 16, 16, 3)


@pytest.mark.parametrize('native', [False, True])
def test_bf16_only_where_the_device_has_fast_bf16(tiny_diffusion_model,
                                                 trained_classifier,
                                                 monkeypatch, native):
    """On a CPU without AVX-512 or AMX, bf16 autocast is about 30 times
    slower than float32: bf16=True then samples exactly in float32."""
    from iois_mm.synthesis import bf16_support
    monkeypatch.setattr(bf16_support, 'native_bf16', lambda device: native)
    labels = [0, 1]
    float32, _ = synthesizer(tiny_diffusion_model,
                             num_inference_steps=2).generate_samples(
                                 trained_classifier, labels, seed=3)
    asked = synthesizer(tiny_diffusion_model, num_inference_steps=2,
                        bf16=True)
    samples, _ = asked.generate_samples(trained_classifier, labels, seed=3)
    assert asked.uses_bf16(torch.device('cpu')) is native
    assert torch.equal(samples, float32) is not native


@pytest.mark.parametrize('native', [False, True])
def test_guidance_built_directly_with_bf16_follows_the_device(
        trained_classifier, monkeypatch, native):
    """ClassifierGuidance(bf16=True) outside the synthesizer: float32 where
    bf16 is not fast, bf16 where it is."""
    from iois_mm.synthesis import bf16_support
    monkeypatch.setattr(bf16_support, 'native_bf16', lambda device: native)
    images = torch.randn(3, 3, 32, 32, generator=torch.Generator()
                         .manual_seed(0)).clamp(-1, 1)
    labels = torch.tensor([0, 1, 0])
    float32 = ClassifierGuidance(trained_classifier, 32).log_prob_grad(
        images, labels)[0]
    asked = ClassifierGuidance(trained_classifier, 32, bf16=True)
    assert torch.equal(asked.log_prob_grad(images, labels)[0],
                       float32) is not native


def test_non_finite_guidance_is_dropped_and_counted(tiny_diffusion_model,
                                                    trained_classifier,
                                                    monkeypatch):
    labels = torch.tensor([0, 1, 0])
    plain, _ = synthesizer(tiny_diffusion_model, num_inference_steps=6,
                           guidance_scale=0).generate(trained_classifier,
                                                      labels, seed=2)
    original = ClassifierGuidance.log_prob_grad

    def first_sample_nan(self, images, labels, noisy=False):
        grad, log_prob = original(self, images, labels, noisy)
        grad[0] = float('nan')
        return grad, log_prob

    monkeypatch.setattr(ClassifierGuidance, 'log_prob_grad', first_sample_nan)
    synth = synthesizer(tiny_diffusion_model, num_inference_steps=6,
                        guidance_scale=5.0)
    images, _ = synth.generate(trained_classifier, labels, seed=2)
    assert synth.last_stats['dropped_guidance'] == 6  # every step, sample 0
    # sample 0 took the unguided path; the others were guided
    assert torch.equal(images[0], plain[0])
    assert not torch.equal(images[1], plain[1])


def test_class_conditional_model(tmp_path, trained_classifier):
    conditional = save_tiny_diffusion_model(tmp_path / 'cond',
                                            num_class_embeds=2)
    images, _ = synthesizer(conditional, num_inference_steps=3).generate(
        trained_classifier, [0, 1], seed=0)
    assert images.shape == (2, 16, 16, 3)
    with pytest.raises(DiffusionModelError, match='conditioned on 2 classes '
                       'but the classifier has 3'):
        synthesizer(conditional).generate(tiny_classifier(3), [0], seed=0)


def test_unusable_model_directories_are_clear_errors(tmp_path,
                                                     tiny_diffusion_model):
    with pytest.raises(DiffusionModelError, match='no diffusion model '
                       'directory is set'):
        synthesizer(None)
    missing = str(tmp_path / 'nowhere')
    with pytest.raises(DiffusionModelError, match=f'{missing} does not exist'):
        synthesizer(missing)

    not_unet = tmp_path / 'vae'
    os.makedirs(not_unet)
    (not_unet / 'config.json').write_text(
        json.dumps({'_class_name': 'AutoencoderKL'}))
    with pytest.raises(DiffusionModelError, match="holds a 'AutoencoderKL', "
                       'not a UNet2DModel'):
        synthesizer(str(not_unet))

    no_weights = tmp_path / 'no_weights'
    os.makedirs(no_weights)
    with open(osp.join(tiny_diffusion_model, 'unet', 'config.json')) as f:
        (no_weights / 'config.json').write_text(f.read())
    with pytest.raises(DiffusionModelError, match='has no weights'):
        synthesizer(str(no_weights))

    truncated = tmp_path / 'truncated'
    save_tiny_diffusion_model(truncated)
    weights = truncated / 'unet' / 'diffusion_pytorch_model.safetensors'
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(DiffusionModelError, match='could not load the UNet'):
        synthesizer(str(truncated))

    interrupted = tmp_path / 'interrupted'
    save_tiny_diffusion_model(interrupted)
    (interrupted / '.incomplete').write_text('')
    with pytest.raises(DiffusionModelError, match='incomplete export'):
        synthesizer(str(interrupted))


def test_bare_unet_directory_loads(tiny_diffusion_model, trained_classifier):
    bare = osp.join(tiny_diffusion_model, 'unet')
    images, _ = synthesizer(bare, num_inference_steps=2).generate(
        trained_classifier, [0], seed=0)
    assert images.shape == (1, 16, 16, 3)


def test_images_do_not_depend_on_batch_size_or_memory_format(
        tiny_diffusion_model, trained_classifier):
    labels = [0, 1, 1, 0, 1]
    base, _ = synthesizer(tiny_diffusion_model, num_inference_steps=4,
                          batch_size=5).generate(trained_classifier, labels,
                                                 seed=3)
    for settings in (dict(batch_size=2), dict(channels_last=True),
                     dict(batch_size='auto')):
        images, _ = synthesizer(tiny_diffusion_model, num_inference_steps=4,
                                **settings).generate(trained_classifier,
                                                     labels, seed=3)
        assert (images.int() - base.int()).abs().max() <= 1, settings


def test_explicit_noise_and_guidance_interval(tiny_diffusion_model,
                                              trained_classifier):
    noise = torch.randn(2, 3, 16, 16, generator=torch.Generator().manual_seed(
        0))
    unguided = synthesizer(tiny_diffusion_model, num_inference_steps=4,
                           guidance_scale=0).generate_samples(
                               trained_classifier, [0, 1], noise=noise)[0]
    never = synthesizer(tiny_diffusion_model, num_inference_steps=4,
                        guidance_scale=5, guidance_interval=(0.5, 0.5)
                        ).generate_samples(trained_classifier, [0, 1],
                                           noise=noise)[0]
    half = synthesizer(tiny_diffusion_model, num_inference_steps=4,
                       guidance_scale=5, guidance_interval=(0.0, 0.5)
                       ).generate_samples(trained_classifier, [0, 1],
                                          noise=noise)[0]
    assert torch.equal(never, unguided)  # an empty interval guides nowhere
    assert not torch.equal(half, unguided)
    with pytest.raises(ValueError, match='noise must have shape'):
        synthesizer(tiny_diffusion_model).generate(trained_classifier, [0],
                                                   noise=noise)


def test_bad_settings_are_refused(tiny_diffusion_model):
    with pytest.raises(ValueError, match='guidance_interval'):
        synthesizer(tiny_diffusion_model, guidance_interval=(0.6, 0.2))
    with pytest.raises(ValueError, match='batch_size'):
        synthesizer(tiny_diffusion_model, batch_size=0)
    with pytest.raises(ValueError, match="'x_t' or 'x0_hat'"):
        synthesizer(tiny_diffusion_model, guidance_input='x0')
