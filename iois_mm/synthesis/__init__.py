from .allocation import accuracy_adaptive_allocation, largest_remainder_round
from .classifier_guidance import ClassifierGuidance
from .diffusion_model_dir import DiffusionModelError, load_unet
from .guided_diffusion_synthesizer import GuidedDiffusionSynthesizer

__all__ = [
    'ClassifierGuidance', 'DiffusionModelError', 'GuidedDiffusionSynthesizer',
    'accuracy_adaptive_allocation', 'largest_remainder_round', 'load_unet'
]
