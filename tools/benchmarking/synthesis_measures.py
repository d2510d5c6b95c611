"""Measures for the synthesis benchmark (tools/benchmark_synthesis.py):
the preset models, timing against the measured matrix peak, FLOP counts,
and the quality of samples in the guiding classifier's feature space."""
import contextlib
import json
import os.path as osp
import statistics
import time

import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS

from iois_mm.evaluation import frechet_distance
from iois_mm.synthesis import ClassifierGuidance, GuidedDiffusionSynthesizer

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
REFERENCE_BATCH = 32


# --------------------------------------------------------------- models --
def build_models(preset, device, diffusion_model_dir=None,
                 classifier_checkpoint=None, unet_config=None):
    """The preset's UNet and ResNet classifier: seeded random weights (the
    same in every run; speed does not depend on them), or trained ones."""
    from diffusers import UNet2DModel
    from mmengine.runner import load_checkpoint

    from iois_mm.synthesis import load_unet
    torch.manual_seed(0)
    if diffusion_model_dir:
        unet, scheduler_config = load_unet(diffusion_model_dir, device)
        scheduler_config = dict(scheduler_config or {})
    else:
        cfg = Config.fromfile(osp.join(REPO, unet_config or
                                       preset['unet_config']))
        unet = UNet2DModel(**cfg.model.unet).to(device)
        scheduler_config = dict(cfg.model.get('scheduler') or {})
    backbone = dict(type='ResNet', **preset['classifier'])
    channels = 512 * (4 if preset['classifier'].get('depth', 50) >= 50 else
                      1) * preset['classifier'].get('base_channels', 64) // 64
    classifier = MODELS.build(dict(
        type='ImageClassifier', backbone=backbone,
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=preset['num_classes'],
                  in_channels=channels, loss=dict(type='CrossEntropyLoss')),
        data_preprocessor=dict(type='ClsDataPreprocessor',
                               mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], to_rgb=True)))
    if classifier_checkpoint:
        load_checkpoint(classifier, classifier_checkpoint, map_location='cpu',
                        strict=True, logger='silent')
    return unet, scheduler_config, classifier.to(device)


def real_images(data_root, size, limit):
    """Up to ``limit`` test images of a prepared dataset, resized to the
    diffusion model's resolution, as RGB in [-1, 1] (N, 3, H, W)."""
    import numpy as np
    from PIL import Image
    with open(osp.join(data_root, 'meta', 'test.json')) as f:
        items = json.load(f)['data_list'][:limit]
    images = [np.asarray(Image.open(osp.join(data_root, 'images',
                                             item['img_path'])).convert(
                                                 'RGB').resize((size, size)))
              for item in items]
    return torch.from_numpy(np.stack(images)).permute(0, 3, 1,
                                                      2).float() / 127.5 - 1


# ---------------------------------------------------------------- timing --
def synchronize(device):
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def timed(function, device):
    synchronize(device)
    start = time.perf_counter()
    result = function()
    synchronize(device)
    return result, time.perf_counter() - start


def matmul_peak(device, dtype, size=None, repeats=None):
    """Measured dense matrix-multiply rate (TFLOP/s): the ceiling to
    compare against (METHOD.md: measure ceilings, datasheets are leads)."""
    size = size or (8192 if device.type == 'cuda' else 1024)
    repeats = repeats or (20 if device.type == 'cuda' else 10)
    a = torch.randn(size, size, device=device, dtype=dtype)
    b = torch.randn(size, size, device=device, dtype=dtype)
    for _ in range(3):
        a @ b
    times = []
    for _ in range(repeats):
        _, seconds = timed(lambda: a @ b, device)
        times.append(seconds)
    return 2 * size**3 / statistics.median(times) / 1e12


def count_flops(unet, scheduler_config, classifier, input_size, batch,
                device):
    """FLOPs per image of one denoising step's parts."""
    from torch.utils.flop_counter import FlopCounterMode

    height = unet.config.sample_size
    sample = torch.randn(batch, unet.config.in_channels, height, height,
                         device=device)
    t = torch.tensor(500, device=device)
    guidance = ClassifierGuidance(classifier, input_size)
    counts = {}
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        unet(sample, t)
    counts['unet_forward'] = counter.get_total_flops() / batch
    labels = torch.zeros(batch, dtype=torch.long, device=device)
    with guidance.eval_mode():
        with FlopCounterMode(display=False) as counter, torch.no_grad():
            guidance.log_prob(sample, labels)
        counts['classifier_forward'] = counter.get_total_flops() / batch
        with FlopCounterMode(display=False) as counter:
            guidance.log_prob_grad(sample, labels)
        counts['classifier_forward_backward_input'] = \
            counter.get_total_flops() / batch
        with FlopCounterMode(display=False) as counter:
            image = sample.clone().requires_grad_(True)
            guidance.log_prob(image, labels).sum().backward()
        counts['classifier_forward_backward_full'] = \
            counter.get_total_flops() / batch
        classifier.zero_grad(set_to_none=True)
    return counts


# ------------------------------------------------------------- sampling --
def make_synthesizer(unet, scheduler_config, preset, steps, **settings):
    settings = dict(settings)
    scheduler = settings.pop('scheduler', 'ddim')
    steps = max(1, round(steps * settings.pop('steps_factor', 1.0)))
    settings.setdefault('batch_size', REFERENCE_BATCH)
    return GuidedDiffusionSynthesizer(
        unet=unet, scheduler_config=scheduler_config, scheduler=scheduler,
        num_inference_steps=steps,
        classifier_input_size=preset['classifier_input_size'],
        progress=False, **settings)


def relative_l2(a, b):
    return float((a.double() - b.double()).norm() / b.double().norm())


def quality(classifier, preset, samples, labels, reference_features,
            real_features=None):
    """Mean target-class log-probability under the guiding classifier, and
    Fréchet distances between its pooled features of these samples and of
    the reference samples, and of real images when given (FID-like
    distances in the classifier's feature space)."""
    guidance = ClassifierGuidance(classifier, preset['classifier_input_size'])
    device = guidance.device
    with guidance.eval_mode(), torch.no_grad():
        samples = samples.to(device)
        log_prob = guidance.log_prob(samples, labels.to(device)).mean()
        features = features_of(guidance, samples)
    result = dict(mean_target_log_prob=float(log_prob),
                  feature_frechet_to_reference=frechet_distance(features,
                                                       reference_features))
    if real_features is not None:
        result['feature_frechet_to_real'] = frechet_distance(features,
                                                             real_features)
    return result


def features_of(guidance, samples):
    model = guidance.classifier
    with torch.no_grad():
        return model.extract_feat(guidance.to_classifier_input(
            samples.to(guidance.device)))[-1].double().cpu()


@contextlib.contextmanager
def strict_float32():
    """float32 convolutions and matrix products without TF32 rounding."""
    saved = (torch.backends.cudnn.allow_tf32,
             torch.backends.cuda.matmul.allow_tf32)
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
    try:
        yield
    finally:
        (torch.backends.cudnn.allow_tf32,
         torch.backends.cuda.matmul.allow_tf32) = saved


def rate(images, seconds, flops_per_image, peaks):
    tflops = images * flops_per_image / seconds / 1e12
    return dict(seconds=seconds, images_per_s=images / seconds,
                tflops=tflops,
                fraction_of_bfloat16_peak=tflops / peaks['bfloat16_matmul'],
                fraction_of_float32_peak=tflops / peaks['float32_matmul'])


def unet_forward_rate(unet, synthesizer, device, flops_per_image, peak):
    """The UNet forward alone, at the optimized settings' batch size and
    precision (bf16 autocast, channels_last as set)."""
    # the batch the timed run used ('auto' was resolved, and cached, there)
    batch = synthesizer.batch_size_for(None, device)
    size = unet.config.sample_size
    sample = torch.randn(batch, unet.config.in_channels, size, size,
                         device=device)
    if synthesizer.channels_last:
        sample = sample.contiguous(memory_format=torch.channels_last)
    t = torch.tensor(500, device=device)
    model = synthesizer.unet_callable()

    def forward():
        with torch.no_grad(), torch.autocast(device.type, torch.bfloat16,
                                             enabled=synthesizer.uses_bf16(device)):
            return model(sample, t).sample

    for _ in range(2):
        forward()
    repeats = 10 if device.type == 'cuda' else 3
    times = [timed(forward, device)[1] for _ in range(repeats)]
    tflops = batch * flops_per_image / statistics.median(times) / 1e12
    return dict(batch=batch, tflops=tflops, fraction_of_bfloat16_peak=tflops /
                peak)
