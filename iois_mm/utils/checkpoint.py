"""Loading MMEngine checkpoints under torch's ``weights_only=True`` default.

Since torch 2.6, ``torch.load`` refuses any global it does not know, and an
MMEngine checkpoint holds a few: the message hub's ``HistoryBuffer`` (with
numpy arrays), numpy dtypes and scalars. Without them ``--resume`` fails with
``Unsupported global``. This module allow-lists exactly those types, and
nothing that can run arbitrary code, instead of turning ``weights_only`` off.
"""
from pickle import UnpicklingError

import numpy as np
import torch
from mmengine.logging import HistoryBuffer

# HistoryBuffer's built-in statistics; its class-level table of them is only
# filled when the first buffer is created.
_DEFAULT_STATISTICS = frozenset({'min', 'max', 'current', 'mean'})


def _history_buffer_getattr(owner, name):
    """The one use of ``getattr`` in an MMEngine checkpoint.

    ``HistoryBuffer`` pickles its table of statistic methods as
    ``getattr(HistoryBuffer, 'mean')`` and so on. This stand-in for the
    builtin resolves exactly those lookups and refuses every other, so
    allowing it does not let a checkpoint reach arbitrary attributes.
    """
    statistics = _DEFAULT_STATISTICS | set(HistoryBuffer._statistics_methods)
    if owner is HistoryBuffer and name in statistics:
        return getattr(HistoryBuffer, name)
    raise UnpicklingError(
        f'checkpoint asks for getattr({owner!r}, {name!r}); only '
        'HistoryBuffer statistic methods are allowed')


def _numpy_globals():
    """numpy's array, dtype and scalar types and their reconstruction entry
    points, under the names numpy 1.x (``numpy.core``) and 2.x
    (``numpy._core``) pickle them with."""
    multiarray = np._core.multiarray if hasattr(np, '_core') \
        else np.core.multiarray
    entries = [np.ndarray, np.dtype] + [
        getattr(np, name) for name in
        ('bool_', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16',
         'uint32', 'uint64', 'float16', 'float32', 'float64', 'complex64',
         'complex128')
    ]
    for package in ('numpy.core', 'numpy._core'):
        entries += [(multiarray._reconstruct,
                     f'{package}.multiarray._reconstruct'),
                    (multiarray.scalar, f'{package}.multiarray.scalar')]
    dtype_classes = getattr(np, 'dtypes', None)
    if dtype_classes is not None:
        entries += [
            getattr(dtype_classes, name) for name in dir(dtype_classes)
            if name.endswith('DType')
        ]
    return entries


def allow_mmengine_checkpoints() -> None:
    """Allow-list the globals MMEngine checkpoints contain (idempotent)."""
    torch.serialization.add_safe_globals(
        [HistoryBuffer, (_history_buffer_getattr, 'builtins.getattr')] +
        _numpy_globals())
