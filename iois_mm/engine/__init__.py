from .hooks import (AccuracyAdaptiveSamplingHook, ClassCountsHook,
                    DiffusionSamplesHook, EpochTimerHook,
                    ExportDiffusionModelHook)

__all__ = [
    'AccuracyAdaptiveSamplingHook', 'ClassCountsHook', 'DiffusionSamplesHook',
    'EpochTimerHook', 'ExportDiffusionModelHook'
]
