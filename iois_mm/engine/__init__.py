from .hooks import AccuracyAdaptiveSamplingHook, ClassCountsHook

__all__ = ['AccuracyAdaptiveSamplingHook', 'ClassCountsHook']
