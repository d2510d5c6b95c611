import contextlib
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
from mmengine.logging import print_log
from mmpretrain.registry import MODELS
from tqdm import tqdm

from .classifier_guidance import ClassifierGuidance
from .diffusion_model_loading import DiffusionModelError, load_unet
from .warm_start import images_to_samples, noised_start, warm_start_steps

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


@MODELS.register_module()
class GuidedDiffusionSynthesizer:
    """Online Image Synthesis (OIS): a frozen pre-trained diffusion model
    sampled under the guidance of the classifier being trained.

    At every denoising step the noise prediction is corrected by the
    classifier's gradient (paper Eq. 4) and the sampler takes its step with
    the corrected prediction (Eq. 3 with ``eps_hat`` in place of
    ``eps_theta``)::

        eps_hat = eps_theta(x_t, t) - s * sqrt(1 - alpha_bar_t) * grad

    where ``grad = ∇_{x_t} log p_φ(y | ·)``. The ``sqrt(1 - alpha_bar_t)``
    factor is guided-diffusion's DDIM form (Dhariwal & Nichol 2021, Alg. 2):
    it turns the gradient of ``log p(y | x_t)`` into a correction of the
    noise prediction (``eps = -sqrt(1 - alpha_bar_t) * score``); the paper's
    Eq. 4 writes it without the factor.

    The gradient is taken on the noisy ``x_t`` (``guidance_input='x_t'``,
    the paper) or on the predicted clean image
    ``x0_hat = (x_t - sqrt(1 - alpha_bar_t) eps) / sqrt(alpha_bar_t)``
    (``'x0_hat'``: the classifier was trained on clean images). In the
    second case ``eps`` is held constant, so
    ``∇_{x_t} = ∇_{x0_hat} / sqrt(alpha_bar_t)`` and no gradient flows
    through the UNet.

    As in guided-diffusion, ``x0_hat`` is clipped to [-1, 1] and ``eps``
    recomputed from it *before* the guidance term is added, and the sampler
    steps without clipping again (``clip_denoised``): clipping after
    guidance would discard the guidance wherever it pushes ``x0_hat`` out of
    range, and leave only its opposite-signed share in the step.

    A sample whose guidance gradient is not finite gets no guidance at that
    step (its unguided step is taken) and the event is counted in
    :attr:`last_stats` and logged; non-finite images never leave this class.

    Args:
        diffusion_model_dir (str): Local diffusers directory (see
            ``diffusion_model_loading``); nothing is downloaded.
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
        bf16 (bool): bfloat16 autocast for the UNet and the classifier.
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
        if guidance_input not in ('x_t', 'x0_hat'):
            raise ValueError(
                f"guidance_input must be 'x_t' or 'x0_hat', got "
                f'{guidance_input!r}')
        if num_inference_steps < 1:
            raise ValueError('num_inference_steps must be >= 1')
        if batch_size != 'auto' and (not isinstance(batch_size, int)
                                     or batch_size < 1):
            raise ValueError(
                f"batch_size must be a positive int or 'auto', got "
                f'{batch_size!r}')
        start, end = guidance_interval
        if not 0 <= start <= end <= 1:
            raise ValueError(
                f'guidance_interval must be (start, end) with 0 <= start <= '
                f'end <= 1, got {tuple(guidance_interval)}')
        if unet is None:
            unet, scheduler_config = load_unet(diffusion_model_dir)
        self.unet = unet
        self.diffusion_model_dir = diffusion_model_dir
        self.scheduler = build_scheduler(scheduler, scheduler_config)
        self.scheduler_name = scheduler
        self.num_inference_steps = num_inference_steps
        self.guidance_scale = guidance_scale
        self.guidance_input = guidance_input
        self.classifier_input_size = classifier_input_size
        self.batch_size = batch_size
        self.bf16 = bf16
        self.channels_last = channels_last
        self.compile = compile
        self.guidance_interval = (float(start), float(end))
        self._compiled_unet = None
        self.eta = eta
        self.clip_denoised = clip_denoised
        self.device = device
        self.progress = progress
        self.last_stats: Dict[str, int] = {}

    @property
    def image_size(self) -> Tuple[int, int]:
        size = self.unet.config.sample_size
        return (size, size) if isinstance(size, int) else tuple(size)

    @property
    def num_class_embeds(self) -> Optional[int]:
        return self.unet.config.num_class_embeds

    def check_classifier(self, guidance: ClassifierGuidance) -> None:
        classes = guidance.num_classes
        if (self.num_class_embeds is not None and classes is not None
                and self.num_class_embeds != classes):
            raise DiffusionModelError(
                f'the diffusion model in {self.diffusion_model_dir} is '
                f'conditioned on {self.num_class_embeds} classes but the '
                f'classifier has {classes}; pre-train the diffusion model on '
                'this dataset or use a label-free one')

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
            ``(images, labels)``: uint8 RGB images ``(N, H, W, 3)`` at the
            diffusion model's resolution, and int64 labels ``(N,)``, on CPU.
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
                classifier, self.classifier_input_size, bf16=self.bf16,
                channels_last=self.channels_last)
            self.check_classifier(guidance)
        if self.device:
            device = torch.device(self.device)
        elif guidance is not None:
            device = guidance.device
        else:
            device = next(self.unet.parameters()).device
        self.unet.to(device)
        if self.channels_last:
            self.unet.to(memory_format=torch.channels_last)
        generator = torch.Generator(device='cpu').manual_seed(seed)
        height, width = self.image_size
        channels = self.unet.config.in_channels
        if noise is None:
            # drawn at once: the images do not depend on the batch size
            noise = torch.randn(len(labels), channels, height, width,
                                generator=generator)
        elif tuple(noise.shape) != (len(labels), channels, height, width):
            expected = (len(labels), channels, height, width)
            raise ValueError(f'noise must have shape {expected}, got '
                             f'{tuple(noise.shape)}')
        steps = warm_start_steps(strength, self.num_inference_steps)
        init = None
        if steps < self.num_inference_steps:
            if init_images is None or len(init_images) != len(labels):
                raise ValueError('a warm start (strength < 1) needs one '
                                 'init image per label')
            init = images_to_samples(init_images)
            if tuple(init.shape[1:]) != (channels, height, width):
                raise ValueError(
                    f'init images must be {(height, width)} with {channels} '
                    f'channels, like the diffusion model, got '
                    f'{tuple(init_images.shape)}')
        stats = dict(images=len(labels), dropped_guidance=0, steps=steps)

        unet_was_training = self.unet.training
        self.unet.eval()  # a UNet still in training (sample grids) too
        classifier_mode = (guidance.eval_mode() if guidance is not None else
                           contextlib.nullcontext())
        samples = []
        try:
            with classifier_mode:
                batch_size = self._resolve_batch_size(guidance, device)
                starts = range(0, len(labels), batch_size)
                bar = tqdm(total=len(starts) * steps,
                           desc='synthesising', unit='step', leave=False,
                           disable=None if self.progress else True)
                with bar:
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
        if not samples:
            return torch.zeros(0, channels, height, width), labels
        return torch.cat(samples), labels

    def _resolve_batch_size(self, guidance, device) -> int:
        if self.batch_size != 'auto':
            return self.batch_size
        if device.type != 'cuda':
            return 32
        if getattr(self, '_auto_batch_size', None) is None:
            self._auto_batch_size = self._probe_batch_size(guidance, device)
            print_log(f'GuidedDiffusionSynthesizer: batch_size auto = '
                      f'{self._auto_batch_size}', logger='current')
        return self._auto_batch_size

    def _probe_batch_size(self, guidance, device) -> int:
        """Peak memory of one guided step at batch 8, scaled to 80% of the
        available memory (free on the device plus what PyTorch's caching
        allocator holds unused, e.g. after a training epoch), rounded down
        to a power of two (at most 1024)."""
        probe = 8
        height, width = self.image_size
        sample = torch.randn(probe, self.unet.config.in_channels, height,
                             width, device=device)
        labels = torch.zeros(probe, dtype=torch.long, device=device)
        self.scheduler.set_timesteps(self.num_inference_steps, device=device)
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        self._denoise_step(guidance, sample, labels,
                           self.scheduler.timesteps[0],
                           dict(dropped_guidance=0), guided=True)
        per_image = max(1, (torch.cuda.max_memory_allocated(device) - before)
                        / probe)
        free, _ = torch.cuda.mem_get_info(device)
        free += (torch.cuda.memory_reserved(device) -
                 torch.cuda.memory_allocated(device))
        fitting = int(0.8 * free / per_image)
        return max(1, min(1024, 2**max(0, fitting.bit_length() - 1)))

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
        step_kwargs = dict(generator=generator)
        if self.scheduler_name == 'ddim':
            step_kwargs['eta'] = self.eta
        start, end = self.guidance_interval
        for index, t in enumerate(timesteps, start=skipped):
            guided = start <= index / total < end
            eps = self._denoise_step(guidance, sample, labels, t, stats,
                                     guided)
            # a CPU generator: the same noise whatever the device
            sample = scheduler.step(eps, t, sample,
                                    **step_kwargs).prev_sample
            bar.update(1)
        if not torch.isfinite(sample).all():
            raise FloatingPointError(
                'the diffusion model produced non-finite images (try '
                'bf16=False or check the model)')
        return sample

    def _denoise_step(self, guidance, sample, labels, t, stats, guided):
        """The (guided, clipped) noise prediction at one step."""
        unet = self._unet_callable()
        class_labels = labels if self.num_class_embeds is not None else None
        with torch.autocast(sample.device.type, dtype=torch.bfloat16,
                            enabled=self.bf16):
            eps = unet(self.scheduler.scale_model_input(sample, t), t,
                       class_labels=class_labels).sample.float()
        alpha_bar = self._alphas_cumprod(sample.device)[t]
        if self.clip_denoised:
            eps = clipped_eps(sample, eps, alpha_bar)
        if self.guidance_scale and guidance is not None and guided:
            eps = self._guide(guidance, sample, eps, labels, alpha_bar, stats)
        return eps

    def _alphas_cumprod(self, device) -> torch.Tensor:
        """The schedule's alpha_bar on ``device`` (indexed by timestep)."""
        cached = getattr(self, '_alpha_bar_cache', None)
        if cached is None or cached.device != device:
            cached = self.scheduler.alphas_cumprod.to(device)
            self._alpha_bar_cache = cached
        return cached

    def _unet_callable(self):
        if not self.compile:
            return self.unet
        if self._compiled_unet is None:
            self._compiled_unet = torch.compile(self.unet)
        return self._compiled_unet

    def _guide(self, guidance, sample, eps, labels, alpha_bar, stats):
        """Eq. 4: eps_hat = eps - s * sqrt(1 - alpha_bar_t) * grad."""
        if self.guidance_input == 'x0_hat':
            x0_hat = (sample - (1 - alpha_bar).sqrt() * eps) / alpha_bar.sqrt()
            grad, _ = guidance.log_prob_grad(x0_hat.clamp(-1, 1), labels)
            grad = grad / alpha_bar.sqrt()  # d x0_hat / d x_t, eps constant
        else:
            grad, _ = guidance.log_prob_grad(sample, labels)
        finite = torch.isfinite(grad).flatten(1).all(dim=1)
        if not finite.all():
            stats['dropped_guidance'] += int((~finite).sum())
            grad = torch.where(finite.view(-1, 1, 1, 1), grad,
                               torch.zeros_like(grad))
        return eps - self.guidance_scale * (1 - alpha_bar).sqrt() * grad


def clipped_eps(sample: torch.Tensor, eps: torch.Tensor,
                alpha_bar: torch.Tensor) -> torch.Tensor:
    """The noise prediction consistent with ``x0_hat`` clipped to [-1, 1]:
    ``x0 = (x_t - sqrt(1 - a) eps) / sqrt(a)`` (inverse of Eq. 1's
    marginal), clipped, then ``eps = (x_t - sqrt(a) x0) / sqrt(1 - a)``."""
    x0_hat = ((sample - (1 - alpha_bar).sqrt() * eps) /
              alpha_bar.sqrt()).clamp(-1, 1)
    return (sample - alpha_bar.sqrt() * x0_hat) / (1 - alpha_bar).sqrt()


def to_uint8_images(samples: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) in [-1, 1] -> (N, H, W, C) uint8."""
    pixels = ((samples.clamp(-1, 1) + 1) * 127.5).round()
    return pixels.to(torch.uint8).permute(0, 2, 3, 1).contiguous()
