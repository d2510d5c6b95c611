"""A classifier data preprocessor that also shows the classifier images
noised by the diffusion model's forward process, so that its gradient on a
noisy ``x_t`` (Eq. 4's guidance) carries the class."""
from typing import Optional

import torch
from mmpretrain.models.utils.data_preprocessor import ClsDataPreprocessor
from mmpretrain.registry import MODELS

# The data-sample metainfo key of a noised sample: its diffusion timestep.
NOISE_STEP_KEY = 'diffusion_noise_step'


@MODELS.register_module()
class NoiseAwareClsDataPreprocessor(ClsDataPreprocessor):
    """:class:`ClsDataPreprocessor` that, in training, noises a random
    ``noise_fraction`` of each batch (in place, or as appended copies with
    ``append=True``) by the diffusion forward process::

        x_t = sqrt(alpha_bar_t) * x_0 + sqrt(1 - alpha_bar_t) * eps

    in the diffusion model's space (RGB in [-1, 1]), with ``t`` uniform in
    ``[0, max_timestep]`` and the noise schedule the diffusion model was
    trained with; the label is kept. IOIS guides with the classifier being
    trained, which otherwise only ever sees clean images: measured on
    HAM-32, its gradient on ``x_t`` did not move the samples towards the
    class; trained with this preprocessor, it did (an independent
    classifier found the target class in 39-49% of the guided images at
    scale 10, against 24%; ``benchmarks/ham32/README.md``). Guided
    diffusion (Dhariwal & Nichol, 2021) trains its guiding classifier on
    noisy images for this reason.

    A noised sample's data sample carries its timestep under
    ``metainfo['diffusion_noise_step']``; the AAS hook's training accuracy
    (Eq. 5's ``acc_i``) skips those, so it stays the accuracy on clean
    images. Validation and test batches are never noised.

    The noise is drawn at the classifier's input size. Where that differs
    from the diffusion model's (the synthesizer's ``classifier_input_size``),
    the guided ``x_t`` reaches the classifier resized, its noise smoothed,
    so the match is closest at equal sizes (HAM-32: 32 and 32).

    Args:
        noise_fraction (float): Share of each training batch to noise,
            drawn per sample. Defaults to 0.5.
        append (bool): Add the noised images to the batch as copies (the
            batch grows by about ``noise_fraction``; every clean image is
            kept, as AdvProp adds its adversarial images) instead of
            replacing the chosen images (default).
        max_timestep (int, optional): Largest timestep drawn; defaults to the
            schedule's last (pure noise).
        diffusion_model_dir (str, optional): A diffusion model directory
            whose ``scheduler/`` config gives the noise schedule; without it,
            diffusers' DDPM default (linear betas 1e-4 to 0.02, 1000 steps),
            which the models of ``configs/diffusion`` are trained with.
        **kwargs: :class:`ClsDataPreprocessor`'s arguments.

    Example::

        model = dict(data_preprocessor=dict(
            type='NoiseAwareClsDataPreprocessor', noise_fraction=0.5,
            mean=[...], std=[...], to_rgb=True))
    """

    def __init__(self,
                 noise_fraction: float = 0.5,
                 max_timestep: Optional[int] = None,
                 diffusion_model_dir: Optional[str] = None,
                 append: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not 0.0 <= noise_fraction <= 1.0:
            raise ValueError(
                f'noise_fraction must be in [0, 1], got {noise_fraction}')
        alpha_bar = self._alpha_bar(diffusion_model_dir)
        last = len(alpha_bar) - 1
        if max_timestep is None:
            max_timestep = last
        if not 0 <= max_timestep <= last:
            raise ValueError(
                f'max_timestep must be in [0, {last}] (the noise schedule '
                f'has {last + 1} steps), got {max_timestep}')
        self.noise_fraction = noise_fraction
        self.append = append
        self.max_timestep = max_timestep
        self.register_buffer('alpha_bar', alpha_bar, persistent=False)

    @staticmethod
    def _alpha_bar(diffusion_model_dir: Optional[str]) -> torch.Tensor:
        from diffusers import DDPMScheduler

        from ...synthesis.diffusion_model_dir import load_scheduler_config
        config = (load_scheduler_config(diffusion_model_dir)
                  if diffusion_model_dir else None)
        return DDPMScheduler.from_config(config or {}).alphas_cumprod.float()

    def forward(self, data: dict, training: bool = False) -> dict:
        data = super().forward(data, training)
        if not training or self.noise_fraction == 0:
            return data
        inputs = data['inputs']
        chosen = torch.rand(len(inputs)) < self.noise_fraction
        if not chosen.any():
            return data
        steps = torch.randint(0, self.max_timestep + 1,
                              (int(chosen.sum()), ))
        index = chosen.nonzero().view(-1).to(inputs.device)
        noised = self._noised(inputs[index], steps.to(inputs.device))
        samples = data.get('data_samples') or []
        if self.append:
            data['inputs'] = torch.cat([inputs, noised])
            # in place: the hooks read the loader's list of data samples
            samples.extend([samples[i].clone() for i in index.tolist()
                            if i < len(samples)])
            index = torch.arange(len(inputs), len(inputs) + len(noised))
        else:
            inputs = inputs.clone()
            inputs[index] = noised
            data['inputs'] = inputs
        for i, step in zip(index.tolist(), steps.tolist()):
            if i < len(samples):
                samples[i].set_metainfo({NOISE_STEP_KEY: step})
        return data

    def _noised(self, inputs: torch.Tensor,
                steps: torch.Tensor) -> torch.Tensor:
        """The forward process on normalised inputs: to [-1, 1], noise, and
        back (the colour order does not matter to per-pixel noise)."""
        if self._enable_normalize:
            pixels = inputs * self.std + self.mean
        else:
            pixels = inputs
        images = pixels / 127.5 - 1
        alpha_bar = self.alpha_bar.to(images)[steps].view(-1, 1, 1, 1)
        noise = torch.randn_like(images)
        noisy = alpha_bar.sqrt() * images + (1 - alpha_bar).sqrt() * noise
        pixels = (noisy + 1) * 127.5
        if self._enable_normalize:
            return (pixels - self.mean) / self.std
        return pixels
