"""Image grids for the visualizer: one tiling routine."""
import math
from typing import Sequence

import numpy as np
import torch


def tile_rows(rows: Sequence[Sequence[np.ndarray]], columns: int,
              height: int, width: int) -> np.ndarray:
    """One uint8 (H, W, 3) image: ``rows[r][c]`` at row r, column c; short
    rows are padded with black."""
    grid = np.zeros((max(len(rows), 1) * height, max(columns, 1) * width, 3),
                    dtype=np.uint8)
    for row, images in enumerate(rows):
        for column, image in enumerate(images[:columns]):
            grid[row * height:(row + 1) * height,
                 column * width:(column + 1) * width] = np.asarray(image)
    return grid


def tile(images) -> np.ndarray:
    """(N, H, W, 3) uint8 -> one near-square grid."""
    images = np.asarray(images)
    count, height, width = images.shape[:3]
    columns = math.ceil(math.sqrt(count))
    rows = [images[start:start + columns]
            for start in range(0, count, columns)]
    return tile_rows(rows, columns, height, width)


def class_rows(images, labels, num_classes: int,
               per_class: int) -> np.ndarray:
    """One row per class, its first ``per_class`` images of (N, H, W, 3)."""
    images, labels = np.asarray(images), torch.as_tensor(labels).numpy()
    counts = np.bincount(labels, minlength=num_classes) if len(labels) \
        else np.ones(1, dtype=int)
    columns = min(per_class, int(counts.max()))
    rows = [images[labels == label][:columns]
            for label in range(num_classes)]
    return tile_rows(rows, columns, *images.shape[1:3])
