from .diffusion import DDPMPretrainer, export_diffusion_model
from .losses import ClassBalancedFocalLoss, SoftmaxFocalLoss

__all__ = [
    'ClassBalancedFocalLoss', 'DDPMPretrainer', 'SoftmaxFocalLoss',
    'export_diffusion_model'
]
