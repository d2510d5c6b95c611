"""Partial and warm-started refreshes: which slots change, with which
labels, starting from which previous images."""
import numpy as np
import pytest

from iois_mm.datasets.pool_refresh_plan import (plan_refresh,
                                                warm_start_sources)


def test_full_refresh_is_the_papers_sorted_layout():
    slots, labels = plan_refresh([0, 0, 1, 1, 2, 2], [1] * 6, [1, 2, 3])
    assert slots == [0, 1, 2, 3, 4, 5]
    assert labels == [0, 1, 1, 2, 2, 2]
    # a pool never filled is regenerated whole, whatever the fraction
    assert plan_refresh([-1] * 4, [0] * 4, [2, 2], fraction=0.25)[0] == \
        [0, 1, 2, 3]


def test_partial_refresh_moves_only_what_eq5_needs_then_the_oldest():
    pool_labels = [0, 0, 0, 1, 1, 2, 2, 2]
    written_at = [3, 1, 2, 5, 4, 6, 7, 2]
    # class 0 must give up 2 slots (its oldest: 1 then 2), class 2 one (its
    # oldest: 7); class 1 gains 3
    slots, labels = plan_refresh(pool_labels, written_at, [1, 5, 2],
                                 fraction=0.25)
    assert slots == [1, 2, 7] and labels == [1, 1, 1]
    new = np.array(pool_labels)
    new[slots] = labels
    assert np.bincount(new, minlength=3).tolist() == [1, 5, 2]

    # same counts: nothing must move; the 2 least recently written slots
    # (2 budget = 0.25 * 8) are regenerated with their own class
    slots, labels = plan_refresh(pool_labels, written_at, [3, 2, 3],
                                 fraction=0.25)
    assert slots == [1, 2] and labels == [0, 0]
    with pytest.raises(ValueError, match='sum to 7'):
        plan_refresh(pool_labels, written_at, [3, 2, 2])


def test_warm_start_sources():
    pool_labels = [0, 0, 1, 2]
    # slot 0 keeps class 0: itself; slots 1 and 3 become class 1 (one
    # image of it, slot 2) and slot 2 becomes class 3 (none: noise)
    assert warm_start_sources(pool_labels, [0, 1, 2, 3], [0, 1, 3, 1]) == \
        [0, 2, -1, 2]
