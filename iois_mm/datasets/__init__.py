from .aptos import APTOS
from .class_counts import get_class_counts, get_labels
from .ham10000 import HAM10000
from .samplers import ProgressivelyBalancedSampler, SqrtResamplingSampler

__all__ = [
    'APTOS', 'HAM10000', 'ProgressivelyBalancedSampler',
    'SqrtResamplingSampler', 'get_class_counts', 'get_labels'
]
