"""The synthetic pool and its refresh protocol: one owner for allocation,
refresh, version, digest, the cross-rank gather and check, checkpoint state
and which pool a DataLoader worker served."""
import hashlib
import math
from typing import List, Optional, Sequence, Tuple

import torch
from mmengine.dist import all_gather, all_gather_object, get_dist_info

from .pool_refresh_plan import plan_refresh, warm_start_sources


class SyntheticPool:
    """``capacity`` uint8 images (RGB, or one grayscale channel) and their
    labels, in shared memory.

    Persistent DataLoader workers keep the dataset object they were started
    with; plain attributes changed later in the main process are invisible
    to them. The pool's tensors are allocated in shared memory before the
    workers start and refreshed in place, so every worker reads the current
    images. Each worker stamps the pool version it served into shared
    memory (:meth:`read`), so the main process can check that the workers
    see every refresh (:meth:`check_served`).

    Refresh protocol (every rank calls the same methods in the same order):

    1. ``mine = pool.rank_share(slots)``: the slots this rank generates;
    2. ``pool.refresh(images, labels, slots)`` with this rank's images for
       ``mine``: gathered from every rank into slot order, written in place,
       ``version`` + 1, and checked identical on every rank (digest).
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 1:
            raise ValueError(f'pool capacity must be >= 1, got {capacity}')
        self.capacity = int(capacity)
        self.images: Optional[torch.Tensor] = None
        self.labels = torch.full((self.capacity, ), -1,
                                 dtype=torch.int64).share_memory_()
        self._version = torch.zeros(1, dtype=torch.int64).share_memory_()
        self._served = torch.zeros(self.capacity,
                                   dtype=torch.int64).share_memory_()
        # the version that last wrote each slot (its age, for partial
        # refreshes); only the main process reads it
        self.written_at = torch.zeros(self.capacity, dtype=torch.int64)

    @property
    def version(self) -> int:
        """Refreshes so far (0: never filled)."""
        return int(self._version[0])

    @property
    def image_size(self) -> Optional[Tuple[int, int]]:
        return None if self.images is None else tuple(self.images.shape[1:3])

    @property
    def filled(self) -> bool:
        return self.version > 0

    @property
    def channels(self) -> Optional[int]:
        """3 (RGB) or 1 (grayscale)."""
        return None if self.images is None else self.images.shape[-1]

    def allocate(self, height: int, width: int, channels: int = 3) -> None:
        """Reserve the image memory; must happen before workers start."""
        if self.images is not None:
            if (self.image_size, self.channels) != ((height, width),
                                                    channels):
                raise ValueError(
                    f'the synthetic pool holds {self.image_size[0]}x'
                    f'{self.image_size[1]}x{self.channels} images, not '
                    f'{height}x{width}x{channels}: set the dataset\'s '
                    "image_size to the diffusion model's resolution")
            return
        self.images = torch.zeros(self.capacity, height, width, channels,
                                  dtype=torch.uint8).share_memory_()

    # ------------------------------------------------------------ reading --
    def read(self, slot: int) -> Tuple[torch.Tensor, int]:
        """Image (H, W, C), RGB or grayscale, and label of ``slot``, as a
        worker serves it; stamps the version served."""
        if not self.filled or self.images is None:
            raise RuntimeError(
                'the synthetic pool is empty: add '
                "custom_hooks=[dict(type='AccuracyAdaptiveSamplingHook')] to "
                'fill it online, or set pool_file to a fixed pool')
        self._served[slot] = self._version[0]
        return self.images[slot], int(self.labels[slot])

    def check_served(self, slots: Sequence[int]) -> None:
        """Raise if a worker served one of ``slots`` from an older pool
        (its copy of the pool is not the shared one)."""
        slots = torch.as_tensor(list(slots), dtype=torch.long)
        stale = slots[self._served[slots] != self.version]
        if len(stale):
            slot = int(stale[0])
            raise RuntimeError(
                f'a DataLoader worker served synthetic slot {slot}, but this '
                'pool records it as last served from version '
                f'{int(self._served[slot])} while it is at version '
                f'{self.version}: the workers read another copy of the pool '
                'and do not see its refreshes. Keep SyntheticMixDataset as '
                'the train dataset and allocate the pool before the workers '
                'start.')

    # ---------------------------------------------------------- refreshing --
    def plan(self, counts: Sequence[int],
             fraction: float = 1.0) -> Tuple[List[int], List[int]]:
        """The slots the next refresh regenerates and their labels, so that
        the pool then holds ``counts[c]`` images of class c
        (:func:`plan_refresh`; ``fraction`` 1 = all slots)."""
        return plan_refresh(self.labels, self.written_at, counts, fraction)

    def warm_start_sources(self, slots: Sequence[int],
                           labels: Sequence[int]) -> List[int]:
        """The slot whose image each new one starts from, or -1
        (:func:`warm_start_sources`)."""
        return warm_start_sources(self.labels, slots, labels)

    def rank_share(self, items: Optional[Sequence] = None) -> list:
        """This rank's share of ``items`` (default: all slots), e.g. the
        slots or the labels of a plan: every ``world_size``-th one."""
        items = range(self.capacity) if items is None else items
        rank, world_size = get_dist_info()
        return list(items)[rank::world_size]

    def refresh(self, images: torch.Tensor, labels: Sequence[int],
                slots: Optional[Sequence[int]] = None) -> str:
        """Write this rank's share (:meth:`rank_share`) of new images into
        ``slots`` (default: the whole pool) on every rank, in place; returns
        the digest, identical on every rank."""
        slots = list(range(self.capacity) if slots is None else slots)
        images = _uint8_images(images, self.channels)
        labels = torch.as_tensor(labels, dtype=torch.int64)
        if len(images) != len(labels) or \
                len(images) != len(self.rank_share(slots)):
            raise ValueError(
                f'this rank generates {len(self.rank_share(slots))} of the '
                f'{len(slots)} slots; got {len(images)} images and '
                f'{len(labels)} labels')
        if get_dist_info()[1] > 1:
            images, labels = _gather_shares(images, labels, len(slots))
        self.allocate(*images.shape[1:])
        index = torch.as_tensor(slots, dtype=torch.long)
        self.images[index] = images
        self.labels[index] = labels
        self._version += 1
        self.written_at[index] = self.version
        return self._check_identical_on_ranks()

    def fill(self, images: torch.Tensor, labels: Sequence[int]) -> None:
        """Replace the whole pool with the same images on every rank (a
        fixed pool, a restored checkpoint)."""
        if len(images) != self.capacity or len(labels) != self.capacity:
            raise ValueError(
                f'the pool holds exactly {self.capacity} images; got '
                f'{len(images)} images and {len(labels)} labels')
        images = _uint8_images(images, self.channels)
        self.allocate(*images.shape[1:])
        self.images.copy_(images)
        self.labels.copy_(torch.as_tensor(labels, dtype=torch.int64))
        self._version += 1
        self.written_at.fill_(self.version)

    def digest(self) -> str:
        """A short hash of the images and labels (same pool, same digest)."""
        hasher = hashlib.sha1()
        if self.images is not None:
            hasher.update(self.images.numpy().tobytes())
        hasher.update(self.labels.numpy().tobytes())
        return hasher.hexdigest()[:16]

    def _check_identical_on_ranks(self) -> str:
        digest = self.digest()  # hashes the whole pool: once a refresh
        if get_dist_info()[1] > 1:
            digests = all_gather_object(digest)
            if len(set(digests)) != 1:
                raise RuntimeError(
                    f'ranks hold different synthetic pools: {digests}')
        return digest

    # -------------------------------------------------------- checkpoints --
    def state_dict(self) -> dict:
        return dict(images=None if self.images is None else
                    self.images.clone(), labels=self.labels.clone(),
                    version=self.version, written_at=self.written_at.clone())

    def load_state_dict(self, state: dict) -> None:
        if state['images'] is None:
            return
        self.fill(state['images'], state['labels'])
        self._version.fill_(int(state['version']))
        if state.get('written_at') is None:  # a checkpoint of before 11/26
            self.written_at.fill_(self.version)
        else:
            self.written_at.copy_(state['written_at'])


def _uint8_images(images, channels: Optional[int] = None) -> torch.Tensor:
    images = torch.as_tensor(images)
    if images.dtype != torch.uint8 or images.ndim != 4 or \
            images.shape[-1] not in ((channels, ) if channels else (1, 3)):
        raise ValueError(
            'synthetic images must be uint8 RGB arrays of shape (N, H, W, 3)'
            f' (or (N, H, W, 1), grayscale) like the pool\'s ({channels} '
            f'channels), got {images.dtype} {tuple(images.shape)}')
    return images


def _gather_shares(images: torch.Tensor, labels: torch.Tensor,
                   count: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """All-gather every rank's share of ``count`` items back into order
    (rank r made items r, r + W, r + 2W, ...)."""
    world_size = get_dist_info()[1]
    per_rank = math.ceil(count / world_size)
    padded = images.new_zeros((per_rank, ) + tuple(images.shape[1:]))
    padded[:len(images)] = images
    padded_labels = torch.full((per_rank, ), -1, dtype=torch.long)
    padded_labels[:len(labels)] = labels
    all_images, all_labels = all_gather(padded), all_gather(padded_labels)
    gathered = images.new_zeros((count, ) + tuple(images.shape[1:]))
    gathered_labels = torch.zeros(count, dtype=torch.long)
    for rank in range(world_size):
        mine = len(range(rank, count, world_size))
        gathered[rank::world_size] = all_images[rank][:mine].cpu()
        gathered_labels[rank::world_size] = all_labels[rank][:mine].cpu()
    return gathered, gathered_labels
