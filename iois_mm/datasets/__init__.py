from .aptos import APTOS
from .class_counts import get_class_counts, get_labels
from .demo_shapes import DemoShapes, make_demo_shapes
from .ham10000 import HAM10000
from .prepared_image_dataset import PreparedImageDataset
from .samplers import ProgressivelyBalancedSampler, SqrtResamplingSampler
from .synthetic_mix_dataset import SyntheticMixDataset

__all__ = [
    'APTOS', 'DemoShapes', 'HAM10000', 'PreparedImageDataset',
    'ProgressivelyBalancedSampler',
    'SqrtResamplingSampler', 'SyntheticMixDataset', 'get_class_counts',
    'get_labels', 'make_demo_shapes'
]
