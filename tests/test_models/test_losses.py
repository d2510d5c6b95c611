import math

import pytest
import torch
import torch.nn.functional as F

from iois_mm.models.losses import (ClassBalancedFocalLoss, SoftmaxFocalLoss,
                                   class_balanced_weights)


def test_focal_with_gamma_zero_is_cross_entropy():
    torch.manual_seed(0)
    logits, labels = torch.randn(16, 5), torch.randint(0, 5, (16, ))
    loss = SoftmaxFocalLoss(gamma=0.0)(logits, labels)
    assert loss.item() == pytest.approx(F.cross_entropy(logits, labels).item(),
                                        rel=1e-6)


def test_focal_value_worked_by_hand():
    # p_t = e^2 / (e^2 + 2); FL = -(1 - p_t)^2 * log(p_t)
    p_t = math.exp(2) / (math.exp(2) + 2)
    expected = -(1 - p_t)**2 * math.log(p_t)
    loss = SoftmaxFocalLoss(gamma=2.0)(torch.tensor([[2.0, 0.0, 0.0]]),
                                       torch.tensor([0]))
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_focal_down_weights_easy_examples():
    easy, hard = torch.tensor([[6.0, 0.0]]), torch.tensor([[0.2, 0.0]])
    label = torch.tensor([0])
    ce_ratio = (F.cross_entropy(hard, label) / F.cross_entropy(easy, label))
    focal = SoftmaxFocalLoss(gamma=2.0)
    assert focal(hard, label) / focal(easy, label) > 10 * ce_ratio


def test_focal_soft_targets_match_hard_targets_for_one_hot():
    logits, labels = torch.randn(8, 4), torch.randint(0, 4, (8, ))
    focal = SoftmaxFocalLoss(gamma=1.5)
    assert torch.allclose(focal(logits, labels),
                          focal(logits, F.one_hot(labels, 4).float()))


def test_class_balanced_weights_follow_effective_number():
    # Cui et al.: w_c = (1 - b) / (1 - b^n_c), scaled to sum to C
    counts, beta = [100, 10, 1], 0.99
    raw = [(1 - beta) / (1 - beta**n) for n in counts]
    expected = [3 * w / sum(raw) for w in raw]
    got = class_balanced_weights(counts, beta)
    assert got.tolist() == pytest.approx(expected, rel=1e-6)
    assert got.sum().item() == pytest.approx(3)


def test_class_balanced_focal_weights_each_sample_by_its_class():
    loss = ClassBalancedFocalLoss(beta=0.999, gamma=2.0,
                                  class_counts=[900, 100])
    weights = class_balanced_weights([900, 100], 0.999)
    logits = torch.tensor([[0.3, 0.1], [0.3, 0.1]])
    labels = torch.tensor([0, 1])
    per_sample = loss(logits, labels, reduction_override='none')
    plain = SoftmaxFocalLoss(gamma=2.0)(logits, labels,
                                        reduction_override='none')
    assert torch.allclose(per_sample, plain * weights)


def test_class_balanced_focal_without_counts_says_how_to_fix():
    loss = ClassBalancedFocalLoss()
    with pytest.raises(RuntimeError, match='ClassCountsHook'):
        loss(torch.randn(2, 3), torch.tensor([0, 1]))


def test_class_balanced_focal_rejects_wrong_class_count_and_empty_class():
    loss = ClassBalancedFocalLoss(class_counts=[5, 5])
    with pytest.raises(ValueError, match='2 class weights'):
        loss(torch.randn(2, 3), torch.tensor([0, 1]))
    with pytest.raises(ValueError, match='no samples'):
        ClassBalancedFocalLoss(class_counts=[5, 0])
