"""Real training images at the diffusion model's resolution, as starting
points of warm-started synthesis (``warm_start_from='real'`` of the AAS
hook)."""
from typing import Sequence, Tuple

import torch

from ..evaluation.generative_quality import load_resized_images
from .class_counts import get_labels


class RealImageBank:
    """Every real training image, uint8 (N, H, W, C) resized to ``size``
    (RGB, or grayscale for ``channels=1``), with its label; draws starting
    images per class."""

    def __init__(self, dataset, size: Tuple[int, int],
                 channels: int = 3) -> None:
        self.labels = torch.as_tensor(get_labels(dataset), dtype=torch.long)
        self.images = load_resized_images(dataset, range(len(dataset)), size,
                                          channels)

    def draw(self, labels: Sequence[int], seed: int) -> torch.Tensor:
        """One real image of each label's class, drawn at random (the same
        seed, the same draw); a class without real images is an error."""
        generator = torch.Generator().manual_seed(seed)
        labels = torch.as_tensor(labels, dtype=torch.long)
        picks = torch.empty(len(labels), dtype=torch.long)
        for label in labels.unique().tolist():
            members = torch.nonzero(self.labels == label).flatten()
            if len(members) == 0:
                raise ValueError(f'no real training image of class {label} '
                                 'to warm-start from')
            chosen = labels == label
            draws = torch.randint(len(members), (int(chosen.sum()), ),
                                  generator=generator)
            picks[chosen] = members[draws]
        return self.images[picks]
