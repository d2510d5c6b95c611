"""Helpers shared by tools/train.py and tools/test.py."""
import urllib.error
from typing import Sequence

import torch


def apply_dataloader_defaults(cfg, fields: Sequence[str],
                              persistent_workers: bool = True,
                              pin_memory: bool = True) -> None:
    """MMPretrain's dataloader defaults, made valid for every setting.

    MMPretrain's tools force ``persistent_workers=True`` (a ``ValueError``
    with ``num_workers=0``) and ``pin_memory=True`` (pointless without a
    CUDA device). Here ``persistent_workers`` is on when there are workers
    and neither the config nor the flag turned it off, and ``pin_memory``
    when CUDA is available and neither turned it off.
    """
    for field in fields:
        loader = cfg.get(field, None)
        if loader is None:
            continue
        loader.setdefault('collate_fn', dict(type='default_collate'))
        has_workers = loader.get('num_workers', 0) > 0
        loader['persistent_workers'] = (
            has_workers and persistent_workers
            and loader.get('persistent_workers', True))
        loader['pin_memory'] = (
            torch.cuda.is_available() and pin_memory
            and loader.get('pin_memory', True))


def is_download_error(error: BaseException) -> bool:
    """True for the errors a failed weight download raises offline."""
    while error is not None:
        if isinstance(error, (urllib.error.URLError, ConnectionError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def explain_download_error(error: BaseException) -> str:
    return (f'error: downloading pre-trained weights failed ({error}). '
            'Without network access, train from scratch with '
            '--cfg-options model.backbone.init_cfg=None, or download the '
            'checkpoint elsewhere and pass '
            'model.backbone.init_cfg.checkpoint=/path/to/file.pth.')
