import contextlib
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
from mmengine.logging import print_log
from mmpretrain.registry import MODELS
from tqdm import tqdm

from .auto_batch_size import probe_batch_size
from .bf16_support import effective_bf16
from .classifier_guidance import ClassifierGuidance, guided_eps
from .diffusion_model_dir import load_unet
from .schedulers import build_scheduler, clipped_eps, to_uint8_images
from .warm_start import (init_samples, noised_start, start_noise,
                         warm_start_steps)


@MODELS.register_module()
class GuidedDiffusionSynthesizer:
    """Online Image Synthesis (OIS): a frozen pre-trained diffusion model
    sampled under the guidance of the classifier being trained.

    At every denoising step the noise prediction is corrected by the
    classifier's gradient (Eq. 4, :func:`guided_eps`, which derives the
    form used) and the sampler steps with it (Eq. 3).

    ``x0_hat`` is clipped before the guidance is added
    (:func:`clipped_eps`); a sample whose guidance gradient is not finite
    takes its unguided step, counted in :attr:`last_stats` and logged;
    non-finite images never leave this class.

    Args:
        diffusion_model_dir (str): Local diffusers directory (see
            ``diffusion_model_dir``); nothing is downloaded.
        unet (UNet2DModel, optional): An in-memory UNet instead of a
            directory (e.g. during pre-training), with ``scheduler_config``
            its training noise schedule.
        scheduler (str): 'ddim' (default), 'dpmsolver++' or 'ddpm'.
        num_inference_steps (int): Denoising steps. Defaults to 50.
        guidance_scale (float): ``s``; 0 disables guidance. Defaults to 1.0.
        guidance_input (str): 'x_t' (paper) or 'x0_hat'.
        classifier_input_size (int | tuple, optional): Size the generated
            images are resized to for the classifier. Defaults to None (the
            diffusion model's resolution).
        batch_size (int | str): Images generated at once, or 'auto' (on a
            GPU: the largest power of two whose peak memory fits in 80% of
            the free memory, found by a short probe). Defaults to 32.
        bf16 (bool): bfloat16 autocast for the UNet and the classifier,
            where the device has fast bf16 kernels (float32 elsewhere, with a
            warning: :func:`effective_bf16`).
        channels_last (bool): Run the UNet and the classifier on
            channels-last tensors (faster convolutions on GPUs and oneDNN).
        compile (bool): ``torch.compile`` the UNet (the first batch pays for
            compilation).
        guidance_interval (tuple): Fraction ``(start, end)`` of the
            denoising trajectory, from pure noise (0) to the image (1), on
            which guidance is applied. Defaults to (0, 1): every step.
        eta (float): DDIM's eta (0: deterministic DDIM). Defaults to 0.
        clip_denoised (bool): Clip ``x0_hat`` to [-1, 1] before guidance.
            Defaults to True.
        device (str, optional): Defaults to the classifier's device.
        progress (bool): Show a progress bar. Defaults to True.

    Example config::

        synthesizer = dict(
            type='GuidedDiffusionSynthesizer',
            diffusion_model_dir='work_dirs/ddpm_ham10000/diffusion_model',
            num_inference_steps=50, guidance_scale=1.0,
            classifier_input_size=224)
    """

    def __init__(self,
                 diffusion_model_dir: Optional[str] = None,
                 scheduler: str = 'ddim',
                 num_inference_steps: int = 50,
                 guidance_scale: float = 1.0,
                 guidance_input: str = 'x_t',
                 classifier_input_size: Optional[Union[int,
                                                       Sequence[int]]] = None,
                 batch_size: Union[int, str] = 32,
                 bf16: bool = False,
                 channels_last: bool = False,
                 compile: bool = False,
                 guidance_interval: Sequence[float] = (0.0, 1.0),
                 eta: float = 0.0,
                 clip_denoised: bool = True,
                 device: Optional[str] = None,
                 progress: bool = True,
                 unet: Optional[torch.nn.Module] = None,
                 scheduler_config: Optional[dict] = None) -> None:
        start, end = guidance_interval
        for name, value, valid, rule in (
                ('guidance_input', guidance_input,
                 guidance_input in ('x_t', 'x0_hat'), "'x_t' or 'x0_hat'"),
                ('num_inference_steps', num_inference_steps,
                 num_inference_steps >= 1, '>= 1'),
                ('batch_size', batch_size, batch_size == 'auto' or (
                    isinstance(batch_size, int) and batch_size >= 1),
                 "a positive int or 'auto'"),
                ('guidance_interval', tuple(guidance_interval),
                 0 <= start <= end <= 1,
                 '(start, end) with 0 <= start <= end <= 1')):
            if not valid:
                raise ValueError(f'{name} must be {rule}, got {value!r}')
        if unet is None:
            unet, scheduler_config = load_unet(diffusion_model_dir)
        self.unet = unet
        self.diffusion_model_dir = diffusion_model_dir
        self.scheduler = build_scheduler(scheduler, scheduler_config)
        self.scheduler_name = scheduler
        self._alpha_bar = self.scheduler.alphas_cumprod
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.guidance_input = guidance_input
        self.classifier_input_size = classifier_input_size
        self.batch_size = batch_size
        self.bf16, self.channels_last, self.compile = \
            bf16, channels_last, compile
        self.guidance_interval = (float(start), float(end))
        self._compiled_unet = None
        self.eta, self.clip_denoised = eta, clip_denoised
        self.device, self.progress = device, progress
        self.last_stats: Dict[str, int] = {}

    @property
    def image_size(self) -> Tuple[int, int]:
        size = self.unet.config.sample_size
        return (size, size) if isinstance(size, int) else tuple(size)

    @property
    def channels(self) -> int:
        """3 (RGB) or 1 (grayscale)."""
        return self.unet.config.in_channels

    @property
    def num_class_embeds(self) -> Optional[int]:
        return self.unet.config.num_class_embeds

    @torch.no_grad()
    def generate(self,
                 classifier: Optional[torch.nn.Module],
                 labels: Union[Sequence[int], torch.Tensor],
                 seed: int = 0,
                 noise: Optional[torch.Tensor] = None,
                 init_images: Optional[torch.Tensor] = None,
                 strength: float = 1.0
                 ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Generate one image per label, guided towards that label.

        Args:
            classifier: The classifier whose gradient guides (Eq. 4); None
                samples without guidance (labels then only condition a
                class-conditional UNet).
            labels: Target class of each image.
            seed: Seed of the initial noise (and of DDPM / DDIM-eta noise).
                With DDIM (eta 0) the same seed, labels and models give the
                same images whatever the batch size.
            noise: Explicit initial noise ``(N, C, H, W)`` instead of the
                seed's (for comparing implementations from the same noise).
            init_images: Images to warm-start from (``warm_start``): uint8
                ``(N, H, W, C)`` as this returns them, one per label.
            strength: Share of the trajectory run from ``init_images``
                noised to its start, in (0, 1]; 1 (default) starts from pure
                noise and ignores ``init_images``. The cost is about
                ``strength`` of a full synthesis.

        Returns:
            ``(images, labels)``: uint8 images ``(N, H, W, C)`` (RGB, or one
            grayscale channel) at the diffusion model's resolution, and int64
            labels ``(N,)``, on CPU.
        """
        samples, labels = self.generate_samples(classifier, labels, seed,
                                                noise, init_images, strength)
        return to_uint8_images(samples), labels

    @torch.no_grad()
    def generate_samples(self, classifier, labels, seed=0, noise=None,
                         init_images=None, strength=1.0):
        """As :meth:`generate`, but returns the float samples in [-1, 1]
        ``(N, C, H, W)`` (for precision comparisons)."""
        labels = torch.as_tensor(labels, dtype=torch.long).flatten()
        guidance = None
        if classifier is not None:
            guidance = ClassifierGuidance(
                classifier, self.classifier_input_size,
                channels_last=self.channels_last)
            guidance.check_classes(self.num_class_embeds,
                                   self.diffusion_model_dir)
        device = torch.device(self.device) if self.device else (
            guidance.device if guidance is not None else
            next(self.unet.parameters()).device)
        if guidance is not None:
            guidance.bf16 = self.uses_bf16(device)
        self.unet.to(device, memory_format=torch.channels_last
                     if self.channels_last else torch.preserve_format)
        generator = torch.Generator(device='cpu').manual_seed(seed)
        shape = (self.channels, ) + self.image_size
        noise = start_noise(noise, len(labels), shape, generator)
        steps = warm_start_steps(strength, self.num_inference_steps)
        init = None if steps == self.num_inference_steps else init_samples(
            init_images, len(labels), shape)
        stats = dict(images=len(labels), dropped_guidance=0, steps=steps)

        unet_was_training, samples = self.unet.training, []
        self.unet.eval()  # a UNet still in training (sample grids) too
        try:
            with (guidance.eval_mode() if guidance is not None else
                  contextlib.nullcontext()):
                batch_size = self.batch_size_for(guidance, device)
                starts = range(0, len(labels), batch_size)
                with tqdm(total=len(starts) * steps, desc='synthesising',
                          unit='step', leave=False,
                          disable=None if self.progress else True) as bar:
                    for start in starts:
                        batch = slice(start, start + batch_size)
                        samples.append(self._sample(
                            guidance, noise[batch].to(device),
                            labels[batch].to(device), generator, stats,
                            bar, None if init is None else
                            init[batch].to(device), steps).float().cpu())
        finally:
            self.unet.train(unet_was_training)
        self.last_stats = stats
        if stats['dropped_guidance']:
            print_log(
                f'GuidedDiffusionSynthesizer: non-finite guidance gradient '
                f'dropped {stats["dropped_guidance"]} times (sample-steps) '
                f'for {stats["images"]} images', logger='current', level=30)
        return (torch.cat(samples) if samples else
                torch.zeros((0, ) + shape)), labels

    def uses_bf16(self, device: torch.device) -> bool:
        """Whether sampling on ``device`` runs under bf16 autocast."""
        return effective_bf16(self.bf16, device)

    def batch_size_for(self, guidance, device) -> int:
        """The batch size used on ``device`` (``'auto'`` probes once on a
        GPU, :func:`probe_batch_size`; 32 on a CPU)."""
        if self.batch_size != 'auto':
            return self.batch_size
        if device.type != 'cuda':
            return 32
        if getattr(self, 'auto_batch_size', None) is None:
            self.auto_batch_size = probe_batch_size(self, guidance, device)
        return self.auto_batch_size

    def _sample(self, guidance, noise, labels, generator, stats, bar,
                init=None, steps=None):
        """Run the sampler for one batch (Eq. 3 with Eq. 4's eps_hat): the
        whole trajectory from ``noise``, or its last ``steps`` from ``init``
        noised to their start (a warm start)."""
        scheduler = self.scheduler
        scheduler.set_timesteps(self.num_inference_steps, device=noise.device)
        total = len(scheduler.timesteps)
        skipped = total - (steps or total)
        timesteps = scheduler.timesteps[skipped:]
        sample = noised_start(init, noise,
                              self._alphas_cumprod(noise.device)[timesteps[0]])
        if self.channels_last:
            sample = sample.contiguous(memory_format=torch.channels_last)
        step_kwargs = dict(generator=generator, **(
            dict(eta=self.eta) if self.scheduler_name == 'ddim' else {}))
        start, end = self.guidance_interval
        for index, t in enumerate(timesteps, start=skipped):
            guided = start <= index / total < end
            eps = self.denoise_step(guidance, sample, labels, t, stats,
                                     guided)
            # a CPU generator: the same noise whatever the device
            sample = scheduler.step(eps, t, sample, **step_kwargs).prev_sample
            bar.update(1)
        if not torch.isfinite(sample).all():
            raise FloatingPointError(
                'the diffusion model produced non-finite images (try '
                'bf16=False or check the model)')
        return sample

    def denoise_step(self, guidance, sample, labels, t, stats, guided):
        """The (guided, clipped) noise prediction at one step."""
        unet = self.unet_callable()
        class_labels = labels if self.num_class_embeds is not None else None
        with torch.autocast(sample.device.type, dtype=torch.bfloat16,
                            enabled=self.uses_bf16(sample.device)):
            eps = unet(self.scheduler.scale_model_input(sample, t), t,
                       class_labels=class_labels).sample.float()
        alpha_bar = self._alphas_cumprod(sample.device)[t]
        if self.clip_denoised:
            eps = clipped_eps(sample, eps, alpha_bar)
        if self.guidance_scale and guidance is not None and guided:
            eps = guided_eps(guidance, sample, eps, labels, alpha_bar,
                             self.guidance_scale, self.guidance_input,
                             stats)
        return eps

    def _alphas_cumprod(self, device) -> torch.Tensor:
        """The schedule's alpha_bar on ``device`` (indexed by timestep)."""
        if self._alpha_bar.device != device:
            self._alpha_bar = self.scheduler.alphas_cumprod.to(device)
        return self._alpha_bar

    def unet_callable(self):
        """The UNet as the sampler calls it (compiled when ``compile``)."""
        if not self.compile:
            return self.unet
        if self._compiled_unet is None:
            self._compiled_unet = torch.compile(self.unet)
        return self._compiled_unet
