import copy
from typing import List, Optional, Sequence, Union

import numpy as np
from mmengine.dataset import Compose
from mmpretrain.registry import DATASETS

from .class_counts import get_class_counts, get_labels
from .pool_file import load_pool_file
from .synthetic_pool import SyntheticPool


@DATASETS.register_module()
class SyntheticMixDataset:
    """A dataset of real images followed by a fixed-size synthetic pool.

    Index ``i < len(real)`` is real image ``i``; the next ``capacity``
    indices are the synthetic pool. The length never changes, because
    MMEngine's sampler and training loop read it once. Synthetic images are
    stored as RGB uint8 at the diffusion model's resolution and go through
    the wrapped dataset's pipeline without its loading step (so they get the
    same augmentation and resizing as real images).

    The pool (:class:`SyntheticPool`) is refreshed in place (shared
    memory), so persistent DataLoader workers see every refresh. A synthetic
    sample's data sample carries its pool slot (metainfo ``pool_slot``;
    real samples have none), so a hook can tell real from synthetic.

    Two ways to fill it:

    - online: :class:`AccuracyAdaptiveSamplingHook` fills it before the first
      epoch and refreshes it every ``interval`` epochs (IOIS);
    - fixed: ``pool_file``, an ``.npz`` with ``images`` (N, H, W, 3) uint8 RGB
      and ``labels`` (N,), e.g. from ``tools/synthesize.py`` (the paper's
      "+offline" ablation) or a GAN's images.

    Class counts (:meth:`get_class_counts`, used by class-balanced losses)
    are the real images'; labels (:meth:`get_gt_labels`, used by samplers)
    cover real and synthetic images.

    Args:
        dataset (dict | Dataset): The real dataset (any MMPretrain dataset).
        capacity (int, optional): Pool size ``K``. Required without
            ``pool_file``.
        image_size (int | tuple, optional): Pool resolution. Defaults to
            None: allocated by the hook at the diffusion model's resolution.
        pool_file (str, optional): A fixed pool to load.

    Example config::

        train_dataloader = dict(dataset=dict(
            type='SyntheticMixDataset', capacity=2000,
            dataset=dict(type='HAM10000', ...)))
    """

    def __init__(self,
                 dataset: Union[dict, object],
                 capacity: Optional[int] = None,
                 image_size: Optional[Union[int, Sequence[int]]] = None,
                 pool_file: Optional[str] = None,
                 lazy_init: bool = False) -> None:
        self.dataset = DATASETS.build(dataset) if isinstance(dataset, dict) \
            else dataset
        self.pool_file = pool_file
        if pool_file is None and capacity is None:
            raise ValueError(
                'SyntheticMixDataset needs capacity=K (the number of '
                'synthetic images per epoch) or a pool_file')
        self._fixed_pool = None
        if pool_file is not None:
            classes = self.metainfo.get('classes')
            images, labels = load_pool_file(
                pool_file, len(classes) if classes else 2**31, classes)
            if capacity is not None and capacity != len(images):
                raise ValueError(
                    f'capacity={capacity} but {pool_file} holds '
                    f'{len(images)} images; leave capacity out to use them '
                    'all')
            capacity = len(images)
            self._fixed_pool = (images, labels)
        self.pool = SyntheticPool(capacity)
        if self._fixed_pool is not None:
            self.pool.fill(*self._fixed_pool)
        elif image_size is not None:
            size = (image_size, image_size) if isinstance(image_size, int) \
                else tuple(image_size)
            self.pool.allocate(*size)
        self.synthetic_pipeline = Compose([
            t for t in getattr(self.dataset, 'pipeline',
                               Compose([])).transforms
            if not type(t).__name__.startswith('Load')
        ])
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self) -> dict:
        return copy.deepcopy(self.dataset.metainfo)

    @property
    def capacity(self) -> int:
        return self.pool.capacity

    @property
    def has_fixed_pool(self) -> bool:
        return self.pool_file is not None

    @property
    def num_real(self) -> int:
        return len(self.dataset)

    def full_init(self) -> None:
        if self._fully_initialized:
            return
        if hasattr(self.dataset, 'full_init'):
            self.dataset.full_init()
        self._fully_initialized = True

    def __len__(self) -> int:
        return self.num_real + self.capacity

    def __getitem__(self, idx: int) -> dict:
        if idx < self.num_real:
            return self.dataset[idx]
        index = idx - self.num_real
        if index >= self.capacity:
            raise IndexError(f'index {idx} out of range for {len(self)}')
        image, label = self.pool.read(index)
        # in the form the loading step gives: BGR (cv2) from the RGB pool,
        # or (H, W) from a grayscale one (color_type='grayscale')
        image = image.numpy()
        image = image[..., 0].copy() if image.shape[-1] == 1 else \
            image[..., ::-1].copy()
        results = self.synthetic_pipeline(dict(
            img=image,
            img_shape=image.shape[:2],
            ori_shape=image.shape[:2],
            gt_label=label,
            img_path=None,
            sample_idx=idx))
        if 'data_samples' not in results:
            raise RuntimeError(
                "the training pipeline must end with dict(type='PackInputs')"
                ' (MMPretrain data samples), so that synthetic samples can '
                'be told from real ones')
        results['data_samples'].set_metainfo(dict(pool_slot=index))
        return results

    def get_gt_labels(self) -> np.ndarray:
        return np.concatenate(
            [get_labels(self.dataset),
             self.pool.labels.numpy()]).astype(np.int64)

    def get_cat_ids(self, idx: int) -> List[int]:
        if idx < self.num_real:
            return [int(get_labels_at(self.dataset, idx))]
        return [int(self.pool.labels[idx - self.num_real])]

    def get_class_counts(self) -> List[int]:
        """Images per class of the real dataset."""
        return get_class_counts(self.dataset)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(real={self.num_real}, '
                f'synthetic={self.capacity}, pool_size={self.pool.image_size}'
                f', dataset={type(self.dataset).__name__})')


def get_labels_at(dataset, idx: int) -> int:
    if hasattr(dataset, 'get_cat_ids'):
        return dataset.get_cat_ids(idx)[0]
    return get_labels(dataset)[idx]


def online_pool_of(dataset, owner: str) -> SyntheticPool:
    """The synthetic pool of training set ``dataset`` for ``owner`` (a hook)
    to fill and refresh; an actionable error where there is none."""
    if not isinstance(dataset, SyntheticMixDataset):
        raise TypeError(
            f'{owner} needs the training set wrapped in '
            "dict(type='SyntheticMixDataset', capacity=K, dataset=...), got "
            f'{type(dataset).__name__}')
    if dataset.has_fixed_pool:
        raise ValueError(
            f'the training set loads a fixed pool ({dataset.pool_file}); '
            f'{owner} would overwrite it. Remove pool_file for online '
            'synthesis, or the hook for a fixed pool.')
    return dataset.pool
