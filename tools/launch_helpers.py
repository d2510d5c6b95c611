"""Helpers shared by tools/train.py and tools/test.py."""
import os
import os.path as osp
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


def add_launcher_arguments(parser) -> None:
    """MMPretrain's ``--launcher`` and ``--local-rank`` options."""
    parser.add_argument(
        '--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none', help='job launcher')
    # torch.distributed.launch passes --local-rank; torchrun sets LOCAL_RANK
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_launcher_args(parser, argv=None):
    """Parse, and export LOCAL_RANK as MMEngine expects it."""
    args = parser.parse_args(argv)
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def set_work_dir(cfg, config_path: str, work_dir=None) -> None:
    """Work directory: the command line's, else the config's, else
    ``work_dirs/<config name>`` (MMPretrain's rule)."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
