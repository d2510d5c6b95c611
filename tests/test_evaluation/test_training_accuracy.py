"""Per-class training accuracy (Eq. 5's acc_i): exact counts on a
hand-made batch stream, real and synthetic samples told apart by their
pool slot, and sums over two ranks."""
import pytest
import torch
from mmpretrain.structures import DataSample

from iois_mm.evaluation.training_accuracy import TrainingAccuracyCounter

from ..conftest import run_on_ranks


class Classifier(torch.nn.Module):
    """A "classifier" whose head returns the logits it is given."""

    def __init__(self, batch_augments=None):
        super().__init__()
        self.head = torch.nn.Identity()
        self.data_preprocessor = type(
            'Preprocessor', (), {'batch_augments': batch_augments})()


def samples(labels, slots=None):
    slots = slots or [None] * len(labels)
    out = []
    for label, slot in zip(labels, slots):
        sample = DataSample().set_gt_label(label)
        if slot is not None:
            sample.set_metainfo(dict(pool_slot=slot))
        out.append(sample)
    return out


def one_hot(predictions, num_classes=3):
    return torch.nn.functional.one_hot(torch.tensor(predictions),
                                       num_classes).float()


def feed(counter, model, predictions, labels, slots=None):
    model.head(one_hot(predictions))  # the training forward pass
    return counter.count_batch(samples(labels, slots))


def test_exact_counts_real_images_only():
    model = Classifier().train()
    counter = TrainingAccuracyCounter(3)
    counter.watch(model)
    # batch 1: class 0 right, class 1 wrong, a synthetic class-2 sample
    # predicted wrong (must not count)
    assert feed(counter, model, [0, 2, 0], [0, 1, 2], [None, None, 5]) == [5]
    # batch 2: class 2 right twice, class 0 wrong, synthetic slots 1 and 7
    assert feed(counter, model, [2, 2, 1, 0, 0], [2, 2, 0, 1, 1],
                [None, None, None, 1, 7]) == [1, 7]
    accuracy, seen = counter.per_class_accuracy()
    assert seen == [2, 1, 2]
    assert accuracy == [0.5, 0.0, 1.0]
    assert counter.synthetic_total() == 3

    model.eval()  # eval-mode forwards (validation) are not training counts
    model.head(one_hot([1]))
    counter.reset()
    model.train()
    feed(counter, model, [1], [1])
    assert counter.per_class_accuracy() == ([0.0, 1.0, 0.0], [0, 1, 0])

    counter.unwatch()  # no longer counting: only synthetic slots come back
    model.head(one_hot([0, 0]))
    assert counter.count_batch(samples([0, 1], [None, 4])) == [4]
    assert counter.per_class_accuracy()[1] == [0, 1, 0]


def test_noised_copies_count_neither_as_real_nor_as_served_pool_images():
    from iois_mm.models.data_preprocessors.noise_aware_cls_data_preprocessor \
        import NOISE_STEP_KEY
    model = Classifier().train()
    counter = TrainingAccuracyCounter(3)
    counter.watch(model)
    # a real class-0 image, pool slot 5, then noised copies of both
    # appended (NoiseAwareClsDataPreprocessor(append=True)), all predicted 0
    batch = samples([0, 2, 0, 2], [None, 5, None, 5])
    for copy in batch[2:]:
        copy.set_metainfo({NOISE_STEP_KEY: 400})
    model.head(one_hot([0, 0, 0, 0]))
    assert counter.count_batch(batch) == [5]
    assert counter.per_class_accuracy() == ([1.0, 0.0, 0.0], [1, 0, 0])
    assert counter.synthetic_total() == 1


def test_batch_augmentations_and_mismatched_logits_are_refused():
    counter = TrainingAccuracyCounter(3)
    with pytest.raises(ValueError, match="accuracy_source='eval'"):
        counter.watch(Classifier(batch_augments=object()))
    model = Classifier().train()
    counter.watch(model)
    model.head(one_hot([0, 1]))
    with pytest.raises(RuntimeError, match='2 training logits for a batch '
                       'of 3 samples'):
        counter.count_batch(samples([0, 1, 2]))


def count_on_rank(rank):
    model = Classifier().train()
    counter = TrainingAccuracyCounter(3)
    counter.watch(model)
    if rank == 0:
        feed(counter, model, [0, 1, 1], [0, 1, 2], [None, None, 3])
    else:
        feed(counter, model, [0, 0, 2, 2], [0, 0, 2, 1],
             [None, 0, None, None])
    accuracy, seen = counter.per_class_accuracy()
    return dict(accuracy=accuracy, seen=seen,
                synthetic=counter.synthetic_total())


def test_counts_are_summed_over_two_ranks(tmp_path):
    results = run_on_ranks(count_on_rank, tmp_path)
    # real samples: class 0 right on both ranks (2/2), class 1 right on
    # rank 0 and wrong on rank 1 (1/2), class 2 right on rank 1 (1/1)
    for result in results:
        assert result == dict(accuracy=[1.0, 0.5, 1.0], seen=[2, 2, 1],
                              synthetic=2)
