"""The pool's refresh protocol: slots, versions, checkpoint state, and the
same pool on every rank."""
import pytest
import torch

from iois_mm.datasets.synthetic_pool import SyntheticPool

from ..conftest import run_on_ranks


def images_for(slots, size=4):
    """Image of slot s: every pixel s * 10."""
    images = torch.zeros(len(slots), size, size, 3, dtype=torch.uint8)
    for i, slot in enumerate(slots):
        images[i] = slot * 10
    return images


def pixel_values(pool):
    return pool.images[:, 0, 0, 0].tolist()


def test_refresh_all_or_some_slots_and_restore():
    pool = SyntheticPool(5)
    assert not pool.filled and pool.rank_share() == [0, 1, 2, 3, 4]
    pool.refresh(images_for(range(5)), [0, 1, 2, 0, 1])
    assert pool.version == 1 and pixel_values(pool) == [0, 10, 20, 30, 40]

    # a partial refresh replaces only the given slots
    pool.refresh(images_for([4, 1]) + 1, [2, 2], slots=[4, 1])
    assert pool.version == 2
    assert pixel_values(pool) == [0, 11, 20, 30, 41]
    assert pool.labels.tolist() == [0, 2, 2, 0, 2]

    restored = SyntheticPool(5)
    restored.load_state_dict(pool.state_dict())
    assert restored.version == 2 and restored.digest() == pool.digest()

    with pytest.raises(ValueError, match='uint8 RGB'):
        pool.refresh(images_for(range(5)).float(), [0] * 5)
    with pytest.raises(ValueError, match='generates 2 of the 2 slots'):
        pool.refresh(images_for(range(3)), [0] * 3, slots=[0, 1])


def refresh_on_rank(rank):
    pool = SyntheticPool(5)
    mine = pool.rank_share()  # uneven: 3 slots and 2
    first = pool.refresh(images_for(mine), mine)
    # then a partial refresh of 3 of the slots, shared 2 and 1
    slots = [4, 0, 2]
    mine_now = pool.rank_share(slots)
    second = pool.refresh(images_for(mine_now) + 5, [6] * len(mine_now),
                          slots=slots)
    return dict(shares=[mine, mine_now], digests=[first, second],
                pixels=pixel_values(pool), labels=pool.labels.tolist(),
                version=pool.version)


def test_two_ranks_generate_shares_and_hold_the_same_pool(tmp_path):
    ranks = run_on_ranks(refresh_on_rank, tmp_path)
    assert ranks[0]['shares'] == [[0, 2, 4], [4, 2]]
    assert ranks[1]['shares'] == [[1, 3], [0]]
    for result in ranks:
        assert result['pixels'] == [5, 10, 25, 30, 45]
        assert result['labels'] == [6, 1, 6, 3, 6]
        assert result['version'] == 2
    assert ranks[0]['digests'] == ranks[1]['digests']
