"""Which slots of the synthetic pool a refresh regenerates, and from which
previous images a warm-started refresh starts (issue: cheap online
synthesis; both are off by default, i.e. the whole pool from noise)."""
from typing import List, Sequence, Tuple

import numpy as np


def plan_refresh(pool_labels: Sequence[int], written_at: Sequence[int],
                 counts: Sequence[int],
                 fraction: float = 1.0) -> Tuple[List[int], List[int]]:
    """Slots to regenerate and their new labels, so that afterwards the
    pool holds ``counts[c]`` images of class ``c`` (Eq. 5's counts).

    ``fraction`` 1 regenerates every slot (the paper). Below 1 (a partial
    refresh), only the slots whose class must change are regenerated,
    oldest first within a class, plus the least recently written others
    until at least ``round(fraction * K)`` slots are; the rest keep their
    images. A pool never filled (labels -1) is regenerated whole.
    """
    pool_labels = np.asarray(pool_labels, dtype=np.int64)
    written_at = np.asarray(written_at, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    capacity = len(pool_labels)
    if counts.sum() != capacity:
        raise ValueError(f'counts sum to {counts.sum()}, the pool holds '
                         f'{capacity}')
    if not 0 < fraction <= 1:
        raise ValueError(f'refresh fraction must be in (0, 1], got '
                         f'{fraction}')
    if fraction == 1 or (pool_labels < 0).any():
        return (list(range(capacity)),
                np.repeat(np.arange(len(counts)), counts).tolist())
    # oldest first, then by slot, so the choice is the same on every rank
    by_age = np.lexsort((np.arange(capacity), written_at))
    held = np.bincount(pool_labels, minlength=len(counts))
    released = []  # slots of classes holding more than their new count
    for label in np.flatnonzero(held > counts):
        of_class = by_age[pool_labels[by_age] == label]
        released += of_class[:held[label] - counts[label]].tolist()
    needed = np.repeat(np.arange(len(counts)),
                       np.clip(counts - held, 0, None)).tolist()
    slots, labels = released, needed
    extra = round(fraction * capacity) - len(slots)
    if extra > 0:
        released_set = set(released)
        kept = [s for s in by_age.tolist() if s not in released_set]
        slots = slots + kept[:extra]
        labels = labels + pool_labels[kept[:extra]].tolist()
    order = np.argsort(slots, kind='stable')
    return ([int(slots[i]) for i in order], [int(labels[i]) for i in order])


def warm_start_sources(pool_labels: Sequence[int], slots: Sequence[int],
                       labels: Sequence[int]) -> List[int]:
    """For each slot to regenerate with label ``labels[i]``: the slot whose
    current image it starts from: itself when its class stays, else the
    pool's images of the new class in turn; -1 when the pool holds none
    (that image starts from noise)."""
    pool_labels = np.asarray(pool_labels, dtype=np.int64)
    of_class = {}
    sources = []
    for slot, label in zip(slots, labels):
        if pool_labels[slot] == label:
            sources.append(int(slot))
            continue
        candidates = of_class.setdefault(
            label, [np.flatnonzero(pool_labels == label), 0])
        if len(candidates[0]) == 0:
            sources.append(-1)
            continue
        sources.append(int(candidates[0][candidates[1] %
                                         len(candidates[0])]))
        candidates[1] += 1
    return sources
