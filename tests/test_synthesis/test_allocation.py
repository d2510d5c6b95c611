import numpy as np
import pytest

from iois_mm import accuracy_adaptive_allocation


def softmax(values):
    exp = np.exp(values - np.max(values))
    return exp / exp.sum()


def test_worked_example():
    # softmax(0.1, 0.5, 0.5) * 10 = (2.51, 3.745, 3.745): floors 2, 3, 3 and
    # the two leftover images go to the largest remainders (classes 1, 2)
    assert accuracy_adaptive_allocation([0.9, 0.5, 0.5], 10) == [2, 4, 4]


@pytest.mark.parametrize('seed', range(20))
def test_counts_follow_eq5_and_sum_to_k(seed):
    rng = np.random.default_rng(seed)
    acc = rng.random(int(rng.integers(2, 9)))
    total = int(rng.integers(0, 5000))
    temperature = float(rng.choice([0.25, 1.0, 4.0]))
    counts = accuracy_adaptive_allocation(acc, total, temperature)
    exact = softmax((1 - acc) / temperature) * total
    assert sum(counts) == total
    assert np.all(np.abs(np.array(counts) - exact) < 1)
    # a less accurate class never gets fewer images
    order = np.argsort(acc)
    assert np.all(np.diff(np.array(counts)[order]) <= 1)


def test_ties_share_equally_extra_to_lower_index():
    assert accuracy_adaptive_allocation([0.3] * 3, 2000) == [667, 667, 666]
    assert accuracy_adaptive_allocation([1.0] * 7, 2000) == \
        [286, 286, 286, 286, 286, 285, 285]


def test_temperature_sharpens_or_flattens():
    acc = [0.9, 0.1]
    # T = 0.1: softmax(1, 9) puts 99.97% on the weak class
    assert accuracy_adaptive_allocation(
        acc, 1000, temperature=0.1) == [0, 1000]
    paper = accuracy_adaptive_allocation(acc, 1000)
    assert paper == [310, 690]  # softmax(0.1, 0.9) = (0.310, 0.690)
    flat = accuracy_adaptive_allocation(acc, 1000, temperature=100)
    assert abs(flat[0] - 500) < 5


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match='percentages'):
        accuracy_adaptive_allocation([85.0, 60.0], 100)
    with pytest.raises(ValueError, match='temperature'):
        accuracy_adaptive_allocation([0.5, 0.5], 100, temperature=0)
    with pytest.raises(ValueError):
        accuracy_adaptive_allocation([], 100)
