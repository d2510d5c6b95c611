"""Labels and class counts of any MMPretrain / MMEngine dataset."""
from typing import List, Optional, Sequence

import numpy as np


def get_labels(dataset) -> np.ndarray:
    """The label of every index of ``dataset``, as an int64 array.

    Uses ``get_gt_labels()`` when the dataset has it (MMPretrain datasets),
    else ``get_cat_ids(idx)`` (MMEngine wrappers such as
    ``ClassBalancedDataset``, ``ConcatDataset``, ``RepeatDataset``).
    """
    if hasattr(dataset, 'get_gt_labels'):
        return np.asarray(dataset.get_gt_labels(), dtype=np.int64)
    if hasattr(dataset, 'get_cat_ids'):
        return np.array([dataset.get_cat_ids(i)[0]
                         for i in range(len(dataset))], dtype=np.int64)
    raise TypeError(
        f'{type(dataset).__name__} exposes neither get_gt_labels() nor '
        'get_cat_ids(idx); class-aware samplers and losses need one')


def get_class_counts(dataset, num_classes: Optional[int] = None) -> List[int]:
    """Images per class of the training set, in class order.

    A dataset may define ``get_class_counts()`` to say what counts (a
    dataset that mixes real and synthetic images reports the real ones);
    otherwise the labels of every index are counted.
    """
    if hasattr(dataset, 'get_class_counts'):
        counts = list(dataset.get_class_counts())
    else:
        if num_classes is None:
            classes = getattr(dataset, 'metainfo', {}).get('classes')
            num_classes = len(classes) if classes else None
        counts = np.bincount(get_labels(dataset),
                             minlength=num_classes or 0).tolist()
    if num_classes is not None and len(counts) < num_classes:
        counts += [0] * (num_classes - len(counts))
    return [int(n) for n in counts]


def imbalance_ratio(counts: Sequence[int]) -> float:
    """Largest class size over smallest (inf when a class is empty)."""
    smallest = min(counts)
    return float('inf') if smallest == 0 else max(counts) / smallest
