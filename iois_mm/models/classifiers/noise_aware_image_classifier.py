"""An image classifier with separate BatchNorm statistics for images noised
by the diffusion forward process, so that learning to classify them (for
Eq. 4's guidance on ``x_t``) does not disturb those of clean images."""
import torch
from mmpretrain.models.classifiers import ImageClassifier
from mmpretrain.registry import MODELS

from ..data_preprocessors import NOISE_STEP_KEY
from .dual_batch_norm import batch_norm_route, convert_to_dual_batch_norm


@MODELS.register_module()
class NoiseAwareImageClassifier(ImageClassifier):
    """:class:`ImageClassifier` whose backbone and neck BatchNorms are
    :class:`DualBatchNorm2d`: the convolutions and the head are shared, but
    the images that :class:`NoiseAwareClsDataPreprocessor` noised (their
    data samples carry ``metainfo['diffusion_noise_step']``) are normalised
    with their own statistics and affine parameters, the auxiliary
    BatchNorms of AdvProp (Xie et al., CVPR 2020), which did the same for
    adversarial images to keep them from hurting clean accuracy.

    Measured on HAM-32 before this class: a noise-aware guide with shared
    BatchNorms made guidance carry the class but cost the classifier 9-21
    Macro-F1 points on clean test images (``benchmarks/ham32/README.md``).

    Evaluation, prediction and plain ``mode='tensor'`` calls use the main
    (clean) branch. :class:`ClassifierGuidance` routes its gradient on a
    noisy ``x_t`` through the auxiliary branch (``guidance_input='x_t'``),
    and on ``x0_hat`` through the main one.

    Not with ``sync_bn``: converting to SyncBatchNorm would drop the
    auxiliary branch. Under DDP, a batch without noised images leaves the
    auxiliary parameters without a gradient; with ``noise_fraction`` 0.5
    and 64 images a batch that happens with probability 2^-64.

    Args:
        **kwargs: :class:`ImageClassifier`'s arguments.

    Example::

        model = dict(
            type='NoiseAwareImageClassifier',
            data_preprocessor=dict(type='NoiseAwareClsDataPreprocessor',
                                   noise_fraction=0.25, max_timestep=600),
            backbone=dict(...), neck=dict(...), head=dict(...))
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.backbone = convert_to_dual_batch_norm(self.backbone)
        if self.with_neck:
            self.neck = convert_to_dual_batch_norm(self.neck)

    def loss(self, inputs: torch.Tensor, data_samples) -> dict:
        noised = torch.tensor(
            [NOISE_STEP_KEY in s.metainfo for s in data_samples],
            dtype=torch.bool, device=inputs.device)
        with batch_norm_route(self, noised):
            return super().loss(inputs, data_samples)
