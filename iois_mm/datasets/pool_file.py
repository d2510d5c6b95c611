"""Fixed synthetic pools on disk: an ``.npz`` with ``images`` (N, H, W, 3)
uint8 RGB (or (N, H, W, 1) grayscale), ``labels`` (N,) and optionally
``classes``."""
import os
import os.path as osp
import tempfile
from typing import Optional, Sequence

import numpy as np
import torch

from ..utils.io import current_umask


def save_pool_file(path: str, images: torch.Tensor, labels: torch.Tensor,
                   classes: Sequence[str]) -> None:
    """Write a pool ``.npz`` (``images`` uint8 RGB (N, H, W, 3), ``labels``,
    ``classes``) through a temporary file, so an interrupted run never
    leaves a truncated pool."""
    directory = osp.dirname(osp.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(dir=directory, suffix='.npz')
    os.close(fd)
    os.chmod(tmp_path, 0o666 & ~current_umask())
    try:
        np.savez(tmp_path, images=torch.as_tensor(images).numpy(),
                 labels=torch.as_tensor(labels).numpy(),
                 classes=np.array(list(classes)))
        os.replace(tmp_path, path)
    finally:
        if osp.exists(tmp_path):
            os.remove(tmp_path)


def load_pool_file(path: str, num_classes: int,
                   class_names: Optional[Sequence[str]] = None):
    """Read and check an ``.npz`` pool: ``images`` uint8 (N, H, W, 3) RGB and
    ``labels`` int (N,); an optional ``classes`` array must match the
    dataset's class names."""
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'synthetic pool file {path} not found. Generate one with '
            'tools/synthesize.py CONFIG --classifier CKPT --num N --out '
            f'{path}, or point pool_file at your own .npz')
    with np.load(path, allow_pickle=False) as data:
        missing = {'images', 'labels'} - set(data.files)
        if missing:
            raise ValueError(
                f'{path} lacks {sorted(missing)}; a pool file holds "images" '
                '(N, H, W, 3) uint8 RGB and "labels" (N,) int')
        images, labels = data['images'], data['labels']
        file_classes = data['classes'].tolist() if 'classes' in data.files \
            else None
    if images.dtype != np.uint8 or images.ndim != 4 or \
            images.shape[-1] not in (1, 3):
        raise ValueError(
            f'{path}: images must be uint8 (N, H, W, 3) RGB or (N, H, W, 1) '
            f'grayscale, got {images.dtype} {images.shape}')
    if labels.ndim != 1 or len(labels) != len(images) or len(labels) == 0:
        raise ValueError(
            f'{path}: need one label per image, got {len(labels)} labels for '
            f'{len(images)} images')
    if labels.min() < 0 or labels.max() >= num_classes:
        raise ValueError(
            f'{path}: labels must be in 0..{num_classes - 1}, found '
            f'{labels.min()}..{labels.max()}')
    if file_classes is not None and class_names is not None and \
            list(file_classes) != list(class_names):
        raise ValueError(
            f'{path} was made for the classes {file_classes}, not '
            f'{list(class_names)}')
    return torch.from_numpy(images), torch.from_numpy(labels.astype(np.int64))


def checkpoint_pool(checkpoint: dict, path: str):
    """The synthetic pool an IOIS run's checkpoint keeps (what it trained on
    last): ``images`` uint8 (N, H, W, C) and ``labels`` (N,)."""
    pool = (checkpoint.get('aas') or {}).get('pool') or {}
    if pool.get('images') is None:
        raise ValueError(f'{path} holds no synthetic pool (not a checkpoint '
                         'of an IOIS run?); give its pool as an .npz instead')
    return torch.as_tensor(pool['images']), torch.as_tensor(pool['labels'])
