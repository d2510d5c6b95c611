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

    Args:
        dataset (Sized): Needs ``get_cat_ids(idx)`` or ``get_gt_labels()``.
        seed (int, optional): Shared seed; synced from rank 0 when None.
    """

    def __init__(self, dataset: Sized, seed: Optional[int] = None) -> None:
        self.rank, self.world_size = get_dist_info()
        self.dataset = dataset
        self.seed = sync_random_seed() if seed is None else seed
        self.epoch = 0
        self.num_samples = math.ceil(len(dataset) / self.world_size)
        self.total_size = self.num_samples * self.world_size

    @abstractmethod
    def class_probabilities(self, class_counts: np.ndarray) -> np.ndarray:
        """Probability of drawing each class this epoch (sums to 1)."""

    def sample_weights(self) -> torch.Tensor:
        labels = get_labels(self.dataset)
        counts = np.bincount(labels)
        class_prob = self.class_probabilities(counts)
        # q_c spread evenly over the n_c images of class c
        per_image = class_prob / np.maximum(counts, 1)
        return torch.as_tensor(per_image[labels], dtype=torch.float64)

    def __iter__(self) -> Iterator[int]:
        generator = torch.Generator()
        generator.manual_seed(self.seed + self.epoch)
        indices = torch.multinomial(
            self.sample_weights(), self.total_size, replacement=True,
            generator=generator).tolist()
        return iter(indices[self.rank:self.total_size:self.world_size])

    def __len__(self) -> int:
        return self.num_samples

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch
