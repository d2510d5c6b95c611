"""A small imbalanced image dataset the project draws itself, for the demo.

Five classes told apart by shape and texture (a disc, a striped square, a
dotted triangle, a ring, a cross) on a noisy skin-toned background. Colour
is drawn from a palette independently of the class, and position, size and
noise vary, so a small CNN has to learn shapes, not colours, and the rare
classes are not trivial. Class sizes 400 / 200 / 100 / 60 / 40 (imbalance
ratio 10). Everything follows from the seed: the same seed writes the same
files.
"""
import os
import os.path as osp
from typing import Sequence

import numpy as np
from mmpretrain.registry import DATASETS

from .annotated_image_dataset import AnnotatedImageDataset
from .preparation import prepare_split

DEMO_CLASSES = ('disc', 'striped_square', 'dotted_triangle', 'ring', 'cross')
DEMO_CLASS_SIZES = (400, 200, 100, 60, 40)
# lesion colours, any class may take any of them
_PALETTE = np.array([[150, 60, 50], [90, 50, 40], [170, 90, 110],
                     [60, 40, 60], [120, 100, 60]], dtype=np.float64)


@DATASETS.register_module()
class DemoShapes(AnnotatedImageDataset):
    """The demo's procedural dataset (see :func:`make_demo_shapes`)."""

    METAINFO = dict(classes=DEMO_CLASSES)
    PREPARE_TOOL = 'tools/demo.py'


def _shape_mask(label: int, size: int, rng: np.random.Generator):
    yy, xx = np.mgrid[:size, :size].astype(np.float64)
    cy, cx = size / 2 + rng.uniform(-size / 8, size / 8, 2)
    radius = rng.uniform(0.16, 0.3) * size
    dy, dx = yy - cy, xx - cx
    if label == 0:  # disc
        return dy**2 + dx**2 <= radius**2
    if label == 1:  # square with horizontal stripes
        square = (np.abs(dy) <= radius * 0.85) & (np.abs(dx) <= radius * 0.85)
        return square & ((yy.astype(int) // 2) % 2 == 0)
    if label == 2:  # triangle with dots
        triangle = (dy <= radius * 0.7) & (np.abs(dx) <= (dy + radius) * 0.6)
        return triangle & ~((yy.astype(int) % 3 == 0)
                            & (xx.astype(int) % 3 == 0))
    if label == 3:  # ring
        distance = np.sqrt(dy**2 + dx**2)
        return (distance <= radius) & (distance >= radius * 0.55)
    width = radius * 0.3  # cross
    return ((np.abs(dy) <= width) & (np.abs(dx) <= radius)) | \
        ((np.abs(dx) <= width) & (np.abs(dy) <= radius))


def draw_demo_image(label: int, size: int,
                    rng: np.random.Generator) -> np.ndarray:
    """One RGB uint8 image of class ``label``."""
    background = np.array([225, 185, 160]) + rng.normal(0, 12, 3)
    image = background + rng.normal(0, 22, (size, size, 3))
    colour = _PALETTE[rng.integers(len(_PALETTE))] + rng.normal(0, 20, 3)
    mask = _shape_mask(label, size, rng)
    image[mask] = colour + rng.normal(0, 22, (int(mask.sum()), 3))
    return image.clip(0, 255).astype(np.uint8)


def make_demo_shapes(out_dir: str, seed: int = 0, image_size: int = 32,
                     class_sizes: Sequence[int] = DEMO_CLASS_SIZES,
                     log=print) -> dict:
    """Draw the dataset into ``out_dir/raw`` and write the annotation files
    (stratified 70/10/20 split) with the converters' code.

    Returns:
        Per-split class counts.
    """
    from PIL import Image

    rng = np.random.default_rng(seed)
    raw = osp.join(out_dir, 'raw')
    records = []
    for label, (name, count) in enumerate(zip(DEMO_CLASSES, class_sizes)):
        os.makedirs(osp.join(raw, name), exist_ok=True)
        for index in range(count):
            path = f'{name}/{index:04d}.png'
            Image.fromarray(draw_demo_image(label, image_size, rng)).save(
                osp.join(raw, path))
            records.append(dict(img_path=path, gt_label=label))
    return prepare_split(records, DEMO_CLASSES, raw, out_dir, 'DemoShapes',
                         seed=seed, check_images=False, log=log)
