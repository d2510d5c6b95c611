from .dual_batch_norm import (DualBatchNorm2d, batch_norm_route,
                              convert_to_dual_batch_norm)
from .noise_aware_image_classifier import NoiseAwareImageClassifier

__all__ = [
    'DualBatchNorm2d', 'NoiseAwareImageClassifier', 'batch_norm_route',
    'convert_to_dual_batch_norm'
]
