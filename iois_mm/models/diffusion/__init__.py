from .ddpm_pretrainer import DDPMPretrainer
from ...synthesis.diffusion_model_dir import export_diffusion_model

__all__ = ['DDPMPretrainer', 'export_diffusion_model']
