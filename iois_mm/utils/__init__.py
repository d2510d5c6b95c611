from .checkpoint import allow_mmengine_checkpoints
from .distributed import setup_cpu_distributed, shutdown_distributed

__all__ = ['allow_mmengine_checkpoints', 'setup_cpu_distributed',
           'shutdown_distributed']
