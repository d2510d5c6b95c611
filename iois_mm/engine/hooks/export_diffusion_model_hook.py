import os.path as osp

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...synthesis.diffusion_model_dir import export_diffusion_model
from .averaged_model import averaged_or_current_model


@HOOKS.register_module()
class ExportDiffusionModelHook(Hook):
    """At the end of diffusion pre-training, writes the UNet (its EMA
    weights when ``EMAHook`` is used) and its noise schedule with diffusers'
    ``save_pretrained`` to ``WORK_DIR/<out_dir>``: the directory
    :class:`GuidedDiffusionSynthesizer` loads (``diffusion_model_dir``).
    The export is atomic (see :func:`export_diffusion_model`). Any
    checkpoint can be exported later with ``tools/export_diffusion.py``.

    Args:
        out_dir (str): Relative to the work directory. Defaults to
            'diffusion_model'.
        dtype (str): 'float32' or 'bfloat16' (half the size). Defaults to
            'float32'.
    """

    priority = 'LOW'

    def __init__(self, out_dir: str = 'diffusion_model',
                 dtype: str = 'float32') -> None:
        if dtype not in ('float32', 'bfloat16'):
            raise ValueError(f"dtype must be 'float32' or 'bfloat16', got "
                             f'{dtype!r}')
        self.out_dir = out_dir
        self.dtype = dtype

    def after_train(self, runner) -> None:
        if runner.rank != 0:
            return
        import torch
        model = averaged_or_current_model(runner)
        path = export_diffusion_model(
            model.unet, model.noise_scheduler.config,
            osp.join(runner.work_dir, self.out_dir),
            dtype=getattr(torch, self.dtype))
        runner.logger.info(
            f'diffusion model exported to {path}; use it with --cfg-options '
            f'synthesizer.diffusion_model_dir={path}')
