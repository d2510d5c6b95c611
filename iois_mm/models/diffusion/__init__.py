from .ddpm_pretrainer import DDPMPretrainer
from .export import export_diffusion_model

__all__ = ['DDPMPretrainer', 'export_diffusion_model']
