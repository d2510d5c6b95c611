from .accuracy_adaptive_sampling_hook import AccuracyAdaptiveSamplingHook
from .class_counts_hook import ClassCountsHook
from .diffusion_quality_gate_hook import DiffusionQualityGateHook
from .diffusion_samples_hook import DiffusionSamplesHook
from .epoch_timer_hook import EpochTimerHook
from .export_diffusion_model_hook import ExportDiffusionModelHook
from .guide_training_hook import GuideTrainingHook
from .time_budget_hook import TimeBudgetHook

__all__ = [
    'AccuracyAdaptiveSamplingHook', 'ClassCountsHook',
    'DiffusionQualityGateHook', 'DiffusionSamplesHook',
    'EpochTimerHook', 'ExportDiffusionModelHook', 'GuideTrainingHook',
    'TimeBudgetHook'
]
