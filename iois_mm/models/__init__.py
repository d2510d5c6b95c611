from .losses import ClassBalancedFocalLoss, SoftmaxFocalLoss

__all__ = ['ClassBalancedFocalLoss', 'SoftmaxFocalLoss']
