"""The samplers (diffusers schedulers) and the numeric steps around them."""
from typing import Optional

import torch

from .diffusion_model_dir import DiffusionModelError

SCHEDULERS = ('ddim', 'dpmsolver++', 'ddpm')


def build_scheduler(name: str, scheduler_config: Optional[dict]):
    """A diffusers sampler on the noise schedule the UNet was trained with
    (its exported scheduler config), or diffusers' DDPM default."""
    from diffusers import (DDIMScheduler, DDPMScheduler,
                           DPMSolverMultistepScheduler)
    config = dict(scheduler_config or {})
    # x0 clipping happens in the synthesizer, before guidance; clipping again
    # inside step() would cancel (even reverse) the guidance where it bites
    config.update(clip_sample=False, thresholding=False)
    if name == 'ddim':
        scheduler = DDIMScheduler.from_config(config)
    elif name == 'dpmsolver++':
        # second order: the usual choice under guidance
        scheduler = DPMSolverMultistepScheduler.from_config(
            config, algorithm_type='dpmsolver++', solver_order=2)
    elif name == 'ddpm':
        scheduler = DDPMScheduler.from_config(config)
    else:
        raise ValueError(
            f'scheduler must be one of {SCHEDULERS}, got {name!r}')
    if scheduler.config.prediction_type != 'epsilon':
        raise DiffusionModelError(
            f'the UNet predicts {scheduler.config.prediction_type!r}; '
            'classifier guidance (Eq. 4) needs an epsilon-prediction model')
    return scheduler


def clipped_eps(sample: torch.Tensor, eps: torch.Tensor,
                alpha_bar: torch.Tensor) -> torch.Tensor:
    """The noise prediction consistent with ``x0_hat`` clipped to [-1, 1]:
    ``x0 = (x_t - sqrt(1 - a) eps) / sqrt(a)`` (inverse of Eq. 1's
    marginal), clipped, then ``eps = (x_t - sqrt(a) x0) / sqrt(1 - a)``.

    As in guided-diffusion, the synthesizer clips *before* adding the
    guidance term and the scheduler steps without clipping again: clipping
    after guidance would discard the guidance wherever it pushes ``x0_hat``
    out of range, and leave only its opposite-signed share in the step."""
    x0_hat = ((sample - (1 - alpha_bar).sqrt() * eps) /
              alpha_bar.sqrt()).clamp(-1, 1)
    return (sample - alpha_bar.sqrt() * x0_hat) / (1 - alpha_bar).sqrt()


def to_uint8_images(samples: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8."""
    pixels = ((samples.clamp(-1, 1) + 1) * 127.5).round()
    return pixels.to(torch.uint8).permute(0, 2, 3, 1).contiguous()
