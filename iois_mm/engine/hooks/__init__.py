from .accuracy_adaptive_sampling_hook import AccuracyAdaptiveSamplingHook
from .class_counts_hook import ClassCountsHook

__all__ = ['AccuracyAdaptiveSamplingHook', 'ClassCountsHook']
