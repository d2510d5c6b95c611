from .hooks import (AccuracyAdaptiveSamplingHook, ClassCountsHook,
                    DiffusionSamplesHook, ExportDiffusionModelHook)

__all__ = [
    'AccuracyAdaptiveSamplingHook', 'ClassCountsHook', 'DiffusionSamplesHook',
    'ExportDiffusionModelHook'
]
