"""Base for samplers that draw each epoch from a class distribution."""
import math
from abc import ABCMeta, abstractmethod
from typing import Iterator, Optional, Sized

import numpy as np
import torch
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import Sampler

from ..class_counts import get_labels


class ClassResampler(Sampler, metaclass=ABCMeta):
    """Draws a fixed number of indices per epoch, with replacement, so that
    class ``c`` is drawn with probability ``q_c`` (set by the subclass) and
    images within a class uniformly.

    Distributed: every rank draws the same global list from ``seed + epoch``
    and keeps every ``world_size``-th index from its rank on, so the ranks
    share out one epoch without overlap in positions, and the list changes
    every epoch (``DistSamplerSeedHook`` calls :meth:`set_epoch`). The epoch
    length is ``ceil(len(dataset) / world_size)`` per rank, as with
    ``DefaultSampler``. Labels are read at every epoch, so a dataset whose
    labels change between epochs (a synthetic pool) is sampled correctly.

    Over a :class:`SyntheticMixDataset` the class distribution is by default
    that of real and synthetic images together, so a rare class's pool
    images take most of its draws: on HAM-32, Sqrt-RS draws each real df
    image 4.9 times an epoch alone, and 1.9 times beside a pool of about
    220 df images. ``resample_real_only=True`` keeps re-sampling as it is
    without the pool (``q_c`` from, and drawn over, the real images) and
    adds each synthetic image once an epoch, as plain sampling would.

    Args:
        dataset (Sized): Needs ``get_cat_ids(idx)`` or ``get_gt_labels()``;
            with ``resample_real_only``, ``num_real`` too (its first
            ``num_real`` indices are the real images).
        seed (int, optional): Shared seed; synced from rank 0 when None.
        resample_real_only (bool): Re-sample the real images only, and draw
            every synthetic one once. Defaults to False.
    """

    def __init__(self,
                 dataset: Sized,
                 seed: Optional[int] = None,
                 resample_real_only: bool = False) -> None:
        if resample_real_only and not hasattr(dataset, 'num_real'):
            raise TypeError(
                'resample_real_only=True needs a dataset of real and '
                "synthetic images (dict(type='SyntheticMixDataset', ...)); "
                f'got {type(dataset).__name__}')
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.resample_real_only = resample_real_only
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        self.num_samples = math.ceil(len(dataset) / self.world_size)
        self.total_size = self.num_samples * self.world_size

    @abstractmethod
    def class_probabilities(self, class_counts: np.ndarray) -> np.ndarray:
        """Probability of drawing each class this epoch (sums to 1)."""

    def sample_weights(self) -> torch.Tensor:
        """Probability of each index to be drawn (each real one only, with
        ``resample_real_only``)."""
        labels = get_labels(self.dataset)
        if self.resample_real_only:
            labels = labels[:self.dataset.num_real]
        counts = np.bincount(labels)
        class_prob = self.class_probabilities(counts)
        # q_c spread evenly over the n_c images of class c
        per_image = class_prob / np.maximum(counts, 1)
        return torch.as_tensor(per_image[labels], dtype=torch.float64)

    def drawn_once(self) -> torch.Tensor:
        """Indices drawn exactly once an epoch, outside the re-sampling: the
        synthetic ones with ``resample_real_only``, else none."""
        if not self.resample_real_only:
            return torch.arange(0)
        return torch.arange(self.dataset.num_real, len(self.dataset))

    def expected_draws(self) -> np.ndarray:
        """How many times each index is drawn, on average, in one epoch (of
        all ranks together)."""
        num_once = len(self.drawn_once())
        weights = self.sample_weights().numpy()
        resampled = weights / weights.sum() * (self.total_size - num_once)
        return np.concatenate([resampled, np.ones(num_once)])

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        once = self.drawn_once()
        drawn = torch.multinomial(
            self.sample_weights(), self.total_size - len(once),
            replacement=True, generator=generator)
        indices = torch.cat([drawn, once])
        if len(once):
            indices = indices[torch.randperm(len(indices),
                                             generator=generator)]
        indices = indices.tolist()
        return iter(indices[self.rank:self.total_size:self.world_size])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
