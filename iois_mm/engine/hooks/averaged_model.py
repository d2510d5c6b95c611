"""The weights a diffusion pre-training run should sample and export."""
from mmengine.hooks import EMAHook

from ...utils.unwrap import unwrap_model


def averaged_or_current_model(runner):
    """The EMA copy kept by MMEngine's ``EMAHook`` when the run has one,
    else the model being trained (unwrapped from DDP)."""
    for hook in runner.hooks:
        if isinstance(hook, EMAHook) and hasattr(hook, 'ema_model'):
            return hook.ema_model.module
    return unwrap_model(runner.model)
