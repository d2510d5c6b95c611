"""NoiseAwareClsDataPreprocessor: the forward process of the diffusion
model's schedule applied in its [-1, 1] space to a share of each training
batch, labels kept, noised samples marked and left out of Eq. 5's training
accuracy; evaluation batches untouched."""
import pytest
import torch
from mmpretrain.models.utils.data_preprocessor import ClsDataPreprocessor
from mmpretrain.structures import DataSample

from iois_mm.evaluation.training_accuracy import TrainingAccuracyCounter
from iois_mm.models.data_preprocessors import (NOISE_STEP_KEY,
                                               NoiseAwareClsDataPreprocessor)

NORMALISE = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
                 to_rgb=True)


def batch(n=8, size=16, seed=0):
    generator = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (n, 3, size, size), generator=generator,
                           dtype=torch.uint8)
    labels = [i % 3 for i in range(n)]
    return dict(inputs=images,
                data_samples=[DataSample().set_gt_label(y) for y in labels])


def to_diffusion_space(preprocessor, inputs):
    mean = preprocessor.mean
    std = preprocessor.std
    return (inputs * std + mean) / 127.5 - 1


def test_evaluation_and_zero_fraction_match_the_plain_preprocessor():
    plain = ClsDataPreprocessor(**NORMALISE)
    noisy = NoiseAwareClsDataPreprocessor(noise_fraction=1.0, **NORMALISE)
    expected = plain(batch())['inputs']
    evaluated = noisy(batch(), training=False)
    assert torch.equal(evaluated['inputs'], expected)
    assert all(NOISE_STEP_KEY not in s.metainfo
               for s in evaluated['data_samples'])
    none = NoiseAwareClsDataPreprocessor(noise_fraction=0.0, **NORMALISE)
    assert torch.equal(none(batch(), training=True)['inputs'], expected)


def test_noised_samples_follow_the_forward_process_of_their_step():
    torch.manual_seed(0)
    preprocessor = NoiseAwareClsDataPreprocessor(noise_fraction=1.0,
                                                 **NORMALISE)
    clean = to_diffusion_space(preprocessor,
                               ClsDataPreprocessor(**NORMALISE)(
                                   batch(n=64, size=32))['inputs'])
    out = preprocessor(batch(n=64, size=32), training=True)
    noisy = to_diffusion_space(preprocessor, out['inputs'])
    steps = torch.tensor([s.metainfo[NOISE_STEP_KEY]
                          for s in out['data_samples']])
    assert steps.min() >= 0 and steps.max() <= 999
    assert steps.float().std() > 150  # spread over the schedule
    # x_t - sqrt(alpha_bar_t) x_0 is the noise part: zero mean, variance
    # 1 - alpha_bar_t (DDPM's default linear schedule)
    alpha_bar = preprocessor.alpha_bar[steps].view(-1, 1, 1, 1)
    noise = (noisy - alpha_bar.sqrt() * clean) / (1 - alpha_bar).sqrt()
    per_sample_std = noise.flatten(1).std(dim=1)
    assert torch.allclose(per_sample_std, torch.ones(64), atol=0.06)
    assert abs(noise.mean()) < 0.01
    # labels are kept
    assert [int(s.gt_label) for s in out['data_samples']] == \
        [i % 3 for i in range(64)]


def test_fraction_and_largest_step():
    torch.manual_seed(1)
    preprocessor = NoiseAwareClsDataPreprocessor(
        noise_fraction=0.25, max_timestep=10, **NORMALISE)
    plain = ClsDataPreprocessor(**NORMALISE)(batch(n=400))['inputs']
    out = preprocessor(batch(n=400), training=True)
    marked = [NOISE_STEP_KEY in s.metainfo for s in out['data_samples']]
    changed = (out['inputs'] != plain).flatten(1).any(dim=1).tolist()
    assert marked == changed  # exactly the marked samples changed
    assert 70 <= sum(marked) <= 130  # 25% of 400
    assert max(s.metainfo[NOISE_STEP_KEY] for s in out['data_samples']
               if NOISE_STEP_KEY in s.metainfo) <= 10
    # at t <= 10 an image is still itself: within a few grey levels
    difference = (out['inputs'] - plain) * preprocessor.std
    assert difference.abs().mean() < 6


def test_the_schedule_of_a_diffusion_model_directory(tmp_path):
    from diffusers import DDPMScheduler
    model_dir = tmp_path / 'model'
    (model_dir / 'unet').mkdir(parents=True)
    (model_dir / 'unet' / 'config.json').write_text(
        '{"_class_name": "UNet2DModel"}')
    (model_dir / 'unet' / 'diffusion_pytorch_model.safetensors').write_bytes(
        b'')
    DDPMScheduler(num_train_timesteps=50, beta_schedule='squaredcos_cap_v2'
                  ).save_config(model_dir / 'scheduler')
    preprocessor = NoiseAwareClsDataPreprocessor(
        diffusion_model_dir=str(model_dir), **NORMALISE)
    assert preprocessor.max_timestep == 49
    expected = DDPMScheduler(num_train_timesteps=50,
                             beta_schedule='squaredcos_cap_v2').alphas_cumprod
    assert torch.allclose(preprocessor.alpha_bar, expected.float())


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r'noise_fraction must be in \[0, 1'):
        NoiseAwareClsDataPreprocessor(noise_fraction=1.5)
    with pytest.raises(ValueError, match=r'max_timestep must be in \[0, 999'):
        NoiseAwareClsDataPreprocessor(max_timestep=1000)


def test_noised_samples_are_not_counted_as_training_accuracy():
    model = torch.nn.Module()
    model.head = torch.nn.Identity()
    model.data_preprocessor = NoiseAwareClsDataPreprocessor(
        noise_fraction=0.5, **NORMALISE)
    model.train()
    counter = TrainingAccuracyCounter(3)
    counter.watch(model)
    torch.manual_seed(2)
    out = model.data_preprocessor(batch(n=40), training=True)
    samples = out['data_samples']
    labels = torch.tensor([int(s.gt_label) for s in samples])
    # right on the clean samples, wrong on the noised ones
    noised = torch.tensor([NOISE_STEP_KEY in s.metainfo for s in samples])
    predictions = torch.where(noised, (labels + 1) % 3, labels)
    model.head(torch.nn.functional.one_hot(predictions, 3).float())
    counter.count_batch(samples)
    accuracy, seen = counter.per_class_accuracy()
    assert accuracy == [1.0, 1.0, 1.0]
    assert sum(seen) == int((~noised).sum()) and 0 < sum(seen) < 40


def test_append_keeps_every_clean_image_and_adds_marked_copies():
    torch.manual_seed(3)
    preprocessor = NoiseAwareClsDataPreprocessor(
        noise_fraction=0.5, max_timestep=5, append=True, **NORMALISE)
    plain = ClsDataPreprocessor(**NORMALISE)(batch(n=40))['inputs']
    data = batch(n=40)
    samples = data['data_samples']
    out = preprocessor(data, training=True)
    added = len(out['inputs']) - 40
    assert 10 <= added <= 30  # about half of 40
    assert torch.equal(out['inputs'][:40], plain)  # the clean batch, whole
    # the loader's own list grew (hooks read it); only the copies are marked
    assert out['data_samples'] is samples and len(samples) == 40 + added
    assert not any(NOISE_STEP_KEY in s.metainfo for s in samples[:40])
    assert all(NOISE_STEP_KEY in s.metainfo for s in samples[40:])
    # at t <= 5 a copy is nearest to its own source image: same label, and
    # no source copied twice
    sources = [int((plain - image).flatten(1).norm(dim=1).argmin())
               for image in out['inputs'][40:]]
    assert len(set(sources)) == added
    assert [int(s.gt_label) for s in samples[40:]] == \
        [int(samples[i].gt_label) for i in sources]
