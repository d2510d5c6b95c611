"""Accuracy Adaptive Sampling (AAS): how many images each class gets."""
from typing import List, Sequence

import numpy as np


def largest_remainder_round(shares: Sequence[float], total: int) -> List[int]:
    """Integers proportional to ``shares`` that sum to exactly ``total``.

    Each class first gets the floor of its exact share; the units left over
    go to the largest fractional parts (ties to the lower class index), so
    no class is ever more than one image from its exact share.
    """
    shares = np.asarray(shares, dtype=np.float64)
    exact = shares / shares.sum() * total
    counts = np.floor(exact).astype(np.int64)
    # round away float noise so equal shares tie exactly
    remainders = np.round(exact - counts, 9)
    leftover = total - int(counts.sum())
    order = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for index in order[:leftover]:
        counts[index] += 1
    return counts.tolist()


def accuracy_adaptive_allocation(per_class_acc: Sequence[float],
                                 total: int,
                                 temperature: float = 1.0) -> List[int]:
    """Synthetic images per class from per-class training accuracy (Eq. 5).

    ``[k_1, ..., k_c] = Softmax([1 - acc_1, ..., 1 - acc_c] / T) * K``: the
    lower a class's training accuracy, the more images it gets. ``T = 1`` is
    the paper; a smaller temperature concentrates the images on the weakest
    classes, a larger one spreads them towards uniform. The counts are
    rounded by largest remainder, so they sum to exactly ``total``.

    Args:
        per_class_acc: Training accuracy of each class, in [0, 1].
        total: ``K``, the number of synthetic images to share out.
        temperature: ``T`` > 0. Defaults to 1.0.

    Returns:
        ``k_i`` for each class, non-negative integers summing to ``total``.

    Example:
        >>> accuracy_adaptive_allocation([0.9, 0.5, 0.5], 10)
        [2, 4, 4]
    """
    acc = np.asarray(per_class_acc, dtype=np.float64)
    if acc.ndim != 1 or acc.size == 0:
        raise ValueError('per_class_acc must be a non-empty 1-D sequence')
    if not np.all((acc >= 0) & (acc <= 1)):
        raise ValueError(
            f'per-class accuracies must be fractions in [0, 1], got '
            f'{acc.tolist()} (percentages? divide by 100)')
    if temperature <= 0:
        raise ValueError(f'temperature must be > 0, got {temperature}')
    if total < 0:
        raise ValueError(f'total must be >= 0, got {total}')
    logits = (1.0 - acc) / temperature
    weights = np.exp(logits - logits.max())  # Eq. 5 softmax, stabilised
    return largest_remainder_round(weights, total)
