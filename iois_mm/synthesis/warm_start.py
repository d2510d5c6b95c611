"""Warm-started synthesis: start a trajectory from an existing image
instead of pure noise (SDEdit, Meng et al. 2022), for cheap pool refreshes.

With strength ``s`` in (0, 1], the sampler runs only the last
``round(s * steps)`` of its steps, from the image noised to the first of
them by the forward process (Eq. 1's marginal):
``x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps``. ``s = 1`` is
synthesis from pure noise (the image is not used), so a warm start with
``s = 1`` gives exactly the images a cold start gives.
"""
from typing import Optional, Sequence

import torch


def check_strength(strength: float) -> float:
    if not 0 < strength <= 1:
        raise ValueError(f'strength must be in (0, 1], got {strength}')
    return float(strength)


def warm_start_steps(strength: float, num_inference_steps: int) -> int:
    """How many of the sampler's steps a warm start runs (at least 1)."""
    return max(1, round(check_strength(strength) * num_inference_steps))


def images_to_samples(images: torch.Tensor) -> torch.Tensor:
    """uint8 (N, H, W, C) images, or float samples (N, C, H, W) in
    [-1, 1], as float samples in [-1, 1]."""
    if images.dtype == torch.uint8:
        return images.permute(0, 3, 1, 2).float() / 127.5 - 1
    return images.float()


def init_samples(init_images: Optional[torch.Tensor], count: int,
                 shape: Sequence[int]) -> torch.Tensor:
    """The checked starting images of a warm start, as float samples."""
    if init_images is None or len(init_images) != count:
        raise ValueError('a warm start (strength < 1) needs one init image '
                         'per label')
    init = images_to_samples(init_images)
    if tuple(init.shape[1:]) != tuple(shape):
        raise ValueError(
            f'init images must be {tuple(shape[1:])} with {shape[0]} '
            'channels, like the diffusion model, got '
            f'{tuple(init_images.shape)}')
    return init


def start_noise(noise: Optional[torch.Tensor], count: int,
                shape: Sequence[int], generator: torch.Generator
                ) -> torch.Tensor:
    """The trajectories' initial noise ``(count, *shape)``: ``noise`` as
    given (checked), or drawn at once from ``generator`` so that the images
    do not depend on the batch size."""
    expected = (count, ) + tuple(shape)
    if noise is None:
        return torch.randn(expected, generator=generator)
    if tuple(noise.shape) != expected:
        raise ValueError(f'noise must have shape {expected}, got '
                         f'{tuple(noise.shape)}')
    return noise


def noised_start(init: Optional[torch.Tensor], noise: torch.Tensor,
                 alpha_bar_t: torch.Tensor) -> torch.Tensor:
    """Eq. 1's marginal at ``t``: the starting sample of a warm start (the
    noise itself when there is no image)."""
    if init is None:
        return noise
    return alpha_bar_t.sqrt() * init + (1 - alpha_bar_t).sqrt() * noise
