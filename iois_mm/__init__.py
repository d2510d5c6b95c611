"""IOIS for MMPretrain: importing this package registers its datasets,
samplers, losses, metrics and hooks in MMPretrain's registries."""
import warnings

# mmcv-lite has no compiled ops by design; nothing here uses this one.
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``')
from .utils.environment import warn_if_two_mmcv_distributions  # noqa: E402

warn_if_two_mmcv_distributions()

from .utils.checkpoint import allow_mmengine_checkpoints  # noqa: E402

allow_mmengine_checkpoints()

from . import datasets, engine, evaluation, models, synthesis  # noqa: E402,F401
from .synthesis import accuracy_adaptive_allocation  # noqa: E402,F401
from .version import __version__  # noqa: E402,F401
