"""SyntheticWeightedLinearClsHead: the loss weight of synthetic samples."""
import pytest
import torch
import torch.nn.functional as F
from mmengine.logging import MessageHub
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample

import iois_mm  # noqa: F401  (registers components)


def batch(labels, synthetic):
    samples = []
    for i, (label, is_synthetic) in enumerate(zip(labels, synthetic)):
        sample = DataSample().set_gt_label(label)
        if is_synthetic:
            sample.set_metainfo(dict(pool_slot=i))
        samples.append(sample)
    return samples


def head(**kwargs):
    return MODELS.build(dict(
        type='SyntheticWeightedLinearClsHead', num_classes=3,
        in_channels=4, loss=dict(type='CrossEntropyLoss'), **kwargs))


def set_epoch(epoch):
    MessageHub.get_instance('test_synthetic_weighted_head').update_info(
        'epoch', epoch)


@pytest.fixture(autouse=True)
def message_hub():
    MessageHub.get_instance('test_synthetic_weighted_head')
    set_epoch(0)


def test_synthetic_samples_weigh_w_in_a_batch_mean():
    torch.manual_seed(0)
    feats = (torch.randn(4, 4), )
    labels, synthetic = [0, 1, 2, 1], [False, True, False, True]
    model = head(synthetic_loss_weight=0.25)
    logits = model(feats)
    per_sample = F.cross_entropy(logits, torch.tensor(labels),
                                 reduction='none')
    expected = (per_sample[0] + per_sample[2]
                + 0.25 * (per_sample[1] + per_sample[3])) / 4
    loss = model.loss(feats, batch(labels, synthetic))['loss']
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    # an all-real batch is the plain head's loss
    plain = MODELS.build(dict(type='LinearClsHead', num_classes=3,
                              in_channels=4))
    plain.load_state_dict(model.state_dict())
    assert model.loss(feats, batch(labels, [False] * 4))['loss'].item() == \
        pytest.approx(plain.loss(feats, batch(labels, [False] * 4))[
            'loss'].item(), rel=1e-6)


def test_the_weight_follows_the_epoch_schedule():
    torch.manual_seed(1)
    feats = (torch.randn(2, 4), )
    labels = [0, 2]
    model = head(synthetic_loss_weight=[1.0, 0.0], milestones=[18])
    real_only = F.cross_entropy(model(feats)[:1], torch.tensor([0])) / 2
    full = F.cross_entropy(model(feats), torch.tensor(labels))
    for epoch, expected in ((0, full), (17, full), (18, real_only),
                            (59, real_only)):
        set_epoch(epoch)
        loss = model.loss(feats, batch(labels, [False, True]))['loss']
        assert loss.item() == pytest.approx(expected.item(), rel=1e-6), epoch


@pytest.mark.parametrize('kwargs', [
    dict(synthetic_loss_weight=[1.0, 0.5]),
    dict(synthetic_loss_weight=-0.5),
    dict(synthetic_loss_weight=[1.0, 0.5, 0.0], milestones=[20, 10]),
])
def test_bad_schedules_are_refused(kwargs):
    with pytest.raises(ValueError, match='synthetic_loss_weight'):
        head(**kwargs)
