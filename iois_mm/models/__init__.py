from .classifiers import NoiseAwareImageClassifier
from .data_preprocessors import NoiseAwareClsDataPreprocessor
from .diffusion import DDPMPretrainer, export_diffusion_model
from .heads import SyntheticWeightedLinearClsHead
from .losses import ClassBalancedFocalLoss, SoftmaxFocalLoss

__all__ = [
    'ClassBalancedFocalLoss', 'DDPMPretrainer',
    'NoiseAwareClsDataPreprocessor', 'NoiseAwareImageClassifier',
    'SoftmaxFocalLoss',
    'SyntheticWeightedLinearClsHead', 'export_diffusion_model'
]
