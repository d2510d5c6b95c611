from .noise_aware_cls_data_preprocessor import (NOISE_STEP_KEY,
                                                NoiseAwareClsDataPreprocessor)

__all__ = ['NOISE_STEP_KEY', 'NoiseAwareClsDataPreprocessor']
