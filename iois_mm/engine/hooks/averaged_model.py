"""The weights a diffusion pre-training run should sample and export."""
from mmengine.hooks import EMAHook
from mmengine.model import is_model_wrapper


def averaged_or_current_model(runner):
    """The EMA copy kept by MMEngine's ``EMAHook`` when the run has one,
    else the model being trained (unwrapped from DDP)."""
    for hook in runner.hooks:
        if isinstance(hook, EMAHook) and hasattr(hook, 'ema_model'):
            return hook.ema_model.module
    model = runner.model
    return model.module if is_model_wrapper(model) else model
