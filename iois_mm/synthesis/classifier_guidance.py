"""The gradient of a classifier's log-probability w.r.t. a generated image."""
import contextlib
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn.functional as F

from ..models.classifiers.dual_batch_norm import batch_norm_route
from ..utils.unwrap import unwrap_model
from .bf16_support import effective_bf16
from .diffusion_model_dir import DiffusionModelError


class ClassifierGuidance:
    """``∇_x log p_φ(y | x)`` for images in the diffusion model's space.

    The diffusion model works on RGB images in [-1, 1]; the classifier on
    images as its data preprocessor prepares them (0-255, channel order as
    it was trained, normalised by its mean/std, at its input size). The
    mapping between the two is differentiable, so the gradient reaches the
    diffusion model's image.

    The classifier is used as it stands, never changed: the DDP wrapper is
    bypassed, it runs in eval mode (BatchNorm uses, and does not update, its
    running statistics) and its train/eval mode is restored afterwards, and
    the gradient is taken w.r.t. the image only, so no weight receives a
    ``.grad`` and autograd skips the weight-gradient kernels.

    Args:
        classifier: An MMPretrain classifier (``forward(x, mode='tensor')``
            returns logits), possibly wrapped in DDP.
        input_size: (H, W) the classifier is fed; None keeps the diffusion
            model's resolution.
        bf16: Run the classifier under bfloat16 autocast, where the device
            has fast bf16 kernels (float32 elsewhere: :func:`effective_bf16`).
        channels_last: Feed the classifier channels-last tensors.
    """

    def __init__(self,
                 classifier: torch.nn.Module,
                 input_size: Optional[Union[int, Sequence[int]]] = None,
                 bf16: bool = False,
                 channels_last: bool = False) -> None:
        self.classifier = unwrap_model(classifier)
        if isinstance(input_size, int):
            input_size = (input_size, input_size)
        self.input_size = tuple(input_size) if input_size else None
        self.bf16 = bf16
        self.channels_last = channels_last
        preprocessor = getattr(self.classifier, 'data_preprocessor', None)
        mean = getattr(preprocessor, 'mean', None)
        std = getattr(preprocessor, 'std', None)
        normalize = getattr(preprocessor, '_enable_normalize',
                            mean is not None)
        self.mean = mean.detach().clone() if normalize else None
        self.std = std.detach().clone() if normalize else None
        # The classifier sees RGB when its preprocessor flips the loaded BGR
        # image (to_rgb), else the BGR order images are loaded in.
        self.classifier_sees_rgb = bool(getattr(preprocessor, 'to_rgb', False))
        # 1 for a grayscale classifier, 3 for a colour one
        backbone = getattr(self.classifier, 'backbone', None)
        self.classifier_channels = (
            self.mean.shape[0] if self.mean is not None and self.mean.ndim
            else getattr(backbone, 'in_channels', None))

    @property
    def num_classes(self) -> Optional[int]:
        head = getattr(self.classifier, 'head', None)
        return getattr(head, 'num_classes', None)

    def check_classes(self, num_class_embeds: Optional[int],
                      diffusion_model_dir: Optional[str]) -> None:
        """A class-conditional diffusion model must know as many classes as
        the classifier."""
        classes = self.num_classes
        if None not in (num_class_embeds, classes) and \
                num_class_embeds != classes:
            raise DiffusionModelError(
                f'the diffusion model in {diffusion_model_dir} is '
                f'conditioned on {num_class_embeds} classes but the '
                f'classifier has {classes}; pre-train the diffusion model '
                'on this dataset or use a label-free one')

    @property
    def device(self) -> torch.device:
        return next(self.classifier.parameters()).device

    def to_classifier_input(self, images: torch.Tensor) -> torch.Tensor:
        """Map images in [-1, 1] (RGB, or one grayscale channel) to the
        classifier's normalised input (colour or grayscale)."""
        pixels = (images + 1) * 127.5
        wanted = self.classifier_channels or pixels.shape[1]
        if pixels.shape[1] == 1 and wanted == 3:  # gray into colour
            pixels = pixels.expand(-1, 3, -1, -1)
        elif pixels.shape[1] == 3 and wanted == 1:  # colour into gray
            weights = pixels.new_tensor([0.299, 0.587, 0.114])
            pixels = (pixels * weights.view(1, 3, 1, 1)).sum(1, keepdim=True)
        elif not self.classifier_sees_rgb and pixels.shape[1] == 3:
            pixels = pixels.flip(1)
        if self.input_size and tuple(pixels.shape[-2:]) != self.input_size:
            pixels = F.interpolate(pixels, size=self.input_size,
                                   mode='bilinear', align_corners=False,
                                   antialias=True)
        if self.mean is not None:
            pixels = (pixels - self.mean.to(pixels)) / self.std.to(pixels)
        if self.channels_last:
            pixels = pixels.contiguous(memory_format=torch.channels_last)
        return pixels

    @contextlib.contextmanager
    def eval_mode(self):
        """Run the classifier in eval mode, restoring its mode afterwards."""
        was_training = self.classifier.training
        self.classifier.eval()
        try:
            yield
        finally:
            self.classifier.train(was_training)

    def log_prob(self, images: torch.Tensor, labels: torch.Tensor,
                 noisy: bool = False) -> torch.Tensor:
        """``log p_φ(y | x)`` per image (differentiable w.r.t. ``images``).

        ``noisy`` images (a diffusion ``x_t``) go through the classifier's
        auxiliary BatchNorms where it has them
        (:class:`NoiseAwareImageClassifier`)."""
        bf16 = effective_bf16(self.bf16, images.device)
        with torch.autocast(images.device.type, dtype=torch.bfloat16,
                            enabled=bf16), \
                batch_norm_route(self.classifier,
                                 'aux' if noisy else 'main'):
            logits = self.classifier(self.to_classifier_input(images),
                                     mode='tensor')
        log_probs = F.log_softmax(logits.float(), dim=1)
        return log_probs.gather(1, labels.view(-1, 1)).squeeze(1)

    def log_prob_grad(self, images: torch.Tensor, labels: torch.Tensor,
                      noisy: bool = False
                      ) -> Tuple[torch.Tensor, torch.Tensor]:
        """Return ``∇_x log p_φ(y | x)`` and ``log p_φ(y | x)`` per image.

        Call inside :meth:`eval_mode`. Images are independent in eval mode,
        so the gradient of the summed log-probabilities is each image's own.
        """
        image = images.detach().float().requires_grad_(True)
        with torch.enable_grad():
            log_prob = self.log_prob(image, labels, noisy)
            grad, = torch.autograd.grad(log_prob.sum(), image)
        return grad, log_prob.detach()


def guided_eps(guidance, sample, eps, labels, alpha_bar, scale,
               guidance_input, stats):
    """Eq. 4: the noise prediction corrected by the classifier's gradient,
    with which the sampler takes its step (Eq. 3 with ``eps_hat`` in place
    of ``eps_theta``)::

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
    through the UNet. On ``x_t``, a classifier's auxiliary BatchNorms for
    noised images are used where it has them
    (:class:`NoiseAwareImageClassifier`).

    A sample whose gradient is not finite gets no guidance at this step
    (counted in ``stats['dropped_guidance']``).
    """
    if guidance_input == 'x0_hat':
        x0_hat = (sample - (1 - alpha_bar).sqrt() * eps) / alpha_bar.sqrt()
        grad, _ = guidance.log_prob_grad(x0_hat.clamp(-1, 1), labels)
        grad = grad / alpha_bar.sqrt()  # d x0_hat / d x_t, eps constant
    else:
        grad, _ = guidance.log_prob_grad(sample, labels, noisy=True)
    finite = torch.isfinite(grad).flatten(1).all(dim=1)
    if not finite.all():
        stats['dropped_guidance'] += int((~finite).sum())
        grad = torch.where(finite.view(-1, 1, 1, 1), grad,
                           torch.zeros_like(grad))
    return eps - scale * (1 - alpha_bar).sqrt() * grad
