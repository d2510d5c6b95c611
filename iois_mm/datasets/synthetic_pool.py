"""A fixed-capacity store of synthetic images that DataLoader workers see."""
import hashlib
import os.path as osp
from typing import Optional, Sequence, Tuple

import numpy as np
import torch


class SyntheticPool:
    """``capacity`` RGB uint8 images and their labels, in shared memory.

    Persistent DataLoader workers keep the dataset object they were started
    with; plain attributes changed later in the main process are invisible
    to them. The pool's tensors are allocated in shared memory before the
    workers start and refreshed in place (``copy_``), so every worker reads
    the current images. ``version`` counts refreshes; it is shared too, so a
    worker can say which pool an image came from.
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f'pool capacity must be >= 1, got {capacity}')
        self.capacity = int(capacity)
        self.images: Optional[torch.Tensor] = None
        self.labels = torch.full((self.capacity, ), -1,
                                 dtype=torch.int64).share_memory_()
        self.version = torch.zeros(1, dtype=torch.int64).share_memory_()

    @property
    def image_size(self) -> Optional[Tuple[int, int]]:
        return None if self.images is None else tuple(self.images.shape[1:3])

    @property
    def filled(self) -> bool:
        return int(self.version[0]) > 0

    def allocate(self, height: int, width: int) -> None:
        """Reserve the image memory; must happen before workers start."""
        if self.images is not None:
            if self.image_size != (height, width):
                raise ValueError(
                    f'the synthetic pool holds {self.image_size[0]}x'
                    f'{self.image_size[1]} images, not {height}x{width}: set '
                    "the dataset's image_size to the diffusion model's "
                    'resolution')
            return
        self.images = torch.zeros(self.capacity, height, width, 3,
                                  dtype=torch.uint8).share_memory_()

    def fill(self, images: torch.Tensor, labels: Sequence[int]) -> None:
        """Replace the whole pool in place (N = capacity images, NHWC)."""
        images = torch.as_tensor(images)
        labels = torch.as_tensor(labels, dtype=torch.int64)
        if images.dtype != torch.uint8 or images.ndim != 4 or \
                images.shape[-1] != 3:
            raise ValueError(
                'synthetic images must be uint8 RGB arrays of shape '
                f'(N, H, W, 3), got {images.dtype} {tuple(images.shape)}')
        if len(images) != self.capacity or len(labels) != self.capacity:
            raise ValueError(
                f'the pool holds exactly {self.capacity} images; got '
                f'{len(images)} images and {len(labels)} labels')
        self.allocate(*images.shape[1:3])
        self.images.copy_(images)
        self.labels.copy_(labels)
        self.version += 1

    def digest(self) -> str:
        """A short hash of the images and labels (same pool, same digest)."""
        hasher = hashlib.sha1()
        if self.images is not None:
            hasher.update(self.images.numpy().tobytes())
        hasher.update(self.labels.numpy().tobytes())
        return hasher.hexdigest()[:16]

    def state_dict(self) -> dict:
        return dict(images=None if self.images is None else
                    self.images.clone(), labels=self.labels.clone(),
                    version=int(self.version[0]))

    def load_state_dict(self, state: dict) -> None:
        if state['images'] is None:
            return
        self.fill(state['images'], state['labels'])
        self.version.fill_(int(state['version']))


def save_pool_file(path: str, images: torch.Tensor, labels: torch.Tensor,
                   classes: Sequence[str]) -> None:
    """Write a pool ``.npz`` (``images`` uint8 RGB (N, H, W, 3), ``labels``,
    ``classes``) through a temporary file, so an interrupted run never
    leaves a truncated pool."""
    import os
    import tempfile

    from ..utils.io import current_umask
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
    if images.dtype != np.uint8 or images.ndim != 4 or images.shape[-1] != 3:
        raise ValueError(
            f'{path}: images must be uint8 (N, H, W, 3) RGB, got '
            f'{images.dtype} {images.shape}')
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
