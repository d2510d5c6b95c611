from .progressively_balanced_sampler import ProgressivelyBalancedSampler
from .sqrt_resampling_sampler import SqrtResamplingSampler

__all__ = ['ProgressivelyBalancedSampler', 'SqrtResamplingSampler']
