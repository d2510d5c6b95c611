import math

import numpy as np
import pytest
from mmengine.logging import MessageHub

from iois_mm.datasets.samplers import (ProgressivelyBalancedSampler,
                                       SqrtResamplingSampler)
from iois_mm.datasets.samplers import class_resampler

COUNTS = [400, 100, 25, 9]


class LabelledDataset:
    """The part of a dataset the samplers use: its length and labels."""

    def __init__(self, counts):
        self.labels = np.repeat(np.arange(len(counts)), counts)

    def __len__(self):
        return len(self.labels)

    def get_gt_labels(self):
        return self.labels


def class_frequencies(sampler, dataset, epochs):
    drawn = []
    for epoch in epochs:
        sampler.set_epoch(epoch)
        drawn += list(sampler)
    labels = dataset.labels[drawn]
    return np.bincount(labels, minlength=len(COUNTS)) / len(labels), drawn


def test_sqrt_resampling_class_frequencies_follow_sqrt_counts():
    dataset = LabelledDataset(COUNTS)
    sampler = SqrtResamplingSampler(dataset, seed=0)
    freq, drawn = class_frequencies(sampler, dataset, range(20))
    root = np.sqrt(COUNTS)
    # 20 epochs x 534 draws: binomial std < 0.005 per class
    assert freq == pytest.approx(root / root.sum(), abs=0.02)
    # images within a class are drawn uniformly
    rare = np.bincount(np.asarray(drawn)[dataset.labels[drawn] == 3] - 525)
    assert rare.min() > 0.5 * rare.mean()


def test_progressively_balanced_moves_from_instance_to_class_balanced():
    dataset = LabelledDataset(COUNTS)
    MessageHub.get_current_instance().update_info('max_epochs', 10)
    counts = np.array(COUNTS, dtype=float)
    for epoch in (0, 5, 10):
        t = epoch / 10
        expected = (1 - t) * counts / counts.sum() + t / len(COUNTS)
        # one epoch's draw is fixed by seed + epoch: pool 15 seeds
        drawn = []
        for seed in range(15):
            sampler = ProgressivelyBalancedSampler(dataset, seed=100 * seed)
            sampler.set_epoch(epoch)
            drawn += list(sampler)
        freq = np.bincount(dataset.labels[drawn]) / len(drawn)
        assert freq == pytest.approx(expected, abs=0.02), epoch


def test_progressively_balanced_explicit_epochs_override_runner():
    sampler = ProgressivelyBalancedSampler(LabelledDataset(COUNTS),
                                           num_epochs=4, seed=0)
    sampler.set_epoch(4)
    assert sampler.class_probabilities(np.array(COUNTS)) == pytest.approx(
        [0.25] * 4)


@pytest.mark.parametrize('sampler_type',
                         [SqrtResamplingSampler, ProgressivelyBalancedSampler])
def test_distributed_ranks_share_one_epoch_and_reshuffle(
        sampler_type, monkeypatch):
    dataset = LabelledDataset([7, 3, 1])  # 11 items: ranks need padding
    MessageHub.get_current_instance().update_info('max_epochs', 10)
    shards = []
    for rank in (0, 1):
        monkeypatch.setattr(class_resampler, 'get_dist_info',
                            lambda rank=rank: (rank, 2))
        sampler = sampler_type(dataset, seed=5)
        sampler.set_epoch(3)
        shards.append(list(sampler))
        assert len(sampler) == len(shards[-1]) == math.ceil(11 / 2)
    # the two shards interleave into the single global draw of the epoch
    monkeypatch.setattr(class_resampler, 'get_dist_info', lambda: (0, 1))
    whole = sampler_type(dataset, seed=5)
    whole.total_size = 12  # what two ranks draw together
    whole.set_epoch(3)
    merged = [i for pair in zip(*shards) for i in pair]
    assert merged == list(whole)
    # a new epoch draws a new list, of the same length
    sampler.set_epoch(4)
    assert list(sampler) != shards[1] and len(list(sampler)) == 6


class RealAndSyntheticDataset(LabelledDataset):
    """Real images (``counts``) followed by a pool (``pool_counts``), as
    ``SyntheticMixDataset`` lays them out."""

    def __init__(self, counts, pool_counts):
        super().__init__(counts)
        self.num_real = len(self.labels)
        self.labels = np.concatenate(
            [self.labels, np.repeat(np.arange(len(counts)), pool_counts)])


@pytest.mark.parametrize('sampler_type',
                         [SqrtResamplingSampler, ProgressivelyBalancedSampler])
def test_resample_real_only_keeps_real_draws_and_adds_each_pool_image_once(
        sampler_type):
    MessageHub.get_current_instance().update_info('max_epochs', 10)
    pool = [10, 40, 60, 90]  # a pool that favours the rare classes
    dataset = RealAndSyntheticDataset(COUNTS, pool)
    num_real = dataset.num_real
    mixed = sampler_type(dataset, seed=0)
    real_only = sampler_type(dataset, seed=0, resample_real_only=True)
    real_draws = {True: [], False: []}
    expected = np.zeros(len(COUNTS))  # q_c of the real counts, per epoch
    for epoch in range(20):
        real_only.set_epoch(epoch)
        expected += real_only.class_probabilities(
            np.array(COUNTS, dtype=float)) / 20
        for sampler in (mixed, real_only):
            sampler.set_epoch(epoch)
            drawn = np.array(list(sampler))
            assert len(drawn) == len(dataset) == len(sampler)
            real = drawn[drawn < num_real].tolist()
            real_draws[sampler is real_only] += real
        # every pool image exactly once, shuffled in among the real ones
        synthetic = drawn[drawn >= num_real]
        assert sorted(synthetic) == list(range(num_real, len(dataset)))
        assert synthetic.tolist() != sorted(synthetic)
        assert (drawn < num_real)[:len(drawn) // 2].mean() < 0.95
    # the real images are re-sampled as without any pool: q_c of the real
    # counts, num_real draws an epoch
    labels = dataset.labels[real_draws[True]]
    assert len(labels) == 20 * num_real
    assert np.bincount(labels) / len(labels) == pytest.approx(expected,
                                                              abs=0.02)
    # mixed re-sampling gives the rarest class's real images far fewer
    # draws: its pool takes most of them
    rare_real = {key: np.sum(dataset.labels[draws] == 3)
                 for key, draws in real_draws.items()}
    assert rare_real[False] < 0.5 * rare_real[True]


def test_resample_real_only_needs_real_and_synthetic_dataset():
    with pytest.raises(TypeError, match='SyntheticMixDataset'):
        SqrtResamplingSampler(LabelledDataset(COUNTS), seed=0,
                              resample_real_only=True)


@pytest.mark.parametrize('real_only', [False, True])
def test_expected_draws_match_the_draws(real_only):
    dataset = RealAndSyntheticDataset(COUNTS, [10, 40, 60, 90])
    sampler = SqrtResamplingSampler(dataset, seed=0,
                                    resample_real_only=real_only)
    expected = sampler.expected_draws()
    assert expected.sum() == pytest.approx(len(dataset))
    drawn = []
    for epoch in range(40):
        sampler.set_epoch(epoch)
        drawn += list(sampler)
    counted = np.bincount(drawn, minlength=len(dataset)) / 40
    # per class, real and synthetic apart: 40 epochs make these exact
    # to a few per cent
    is_real = np.arange(len(dataset)) < dataset.num_real
    for label in range(len(COUNTS)):
        for part in (is_real, ~is_real):
            chosen = part & (dataset.labels == label)
            assert counted[chosen].sum() == pytest.approx(
                expected[chosen].sum(), rel=0.1, abs=2)
