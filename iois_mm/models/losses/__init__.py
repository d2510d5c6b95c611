from .class_balanced_focal_loss import (ClassBalancedFocalLoss,
                                        class_balanced_weights)
from .softmax_focal_loss import SoftmaxFocalLoss, softmax_focal_loss

__all__ = [
    'ClassBalancedFocalLoss', 'SoftmaxFocalLoss', 'class_balanced_weights',
    'softmax_focal_loss'
]
