import math
import os
import socket
import warnings

import numpy as np
import pytest
import torch
import torch.multiprocessing as mp

from iois_mm.evaluation import ImbalancedMetric


def samples(targets, preds, num_classes):
    """DataSample dicts as MMEngine's evaluator hands them to a metric."""
    return [
        dict(gt_label=torch.tensor([t]),
             pred_score=torch.nn.functional.one_hot(
                 torch.tensor(p), num_classes).float())
        for t, p in zip(targets, preds)
    ]


def evaluate(targets, preds, classes):
    metric = ImbalancedMetric()
    metric.dataset_meta = dict(classes=classes)
    metric.process(None, samples(targets, preds, len(classes)))
    return metric.evaluate(len(targets))


def test_three_class_case_worked_by_hand():
    # true \ pred   a  b  c
    #        a      2  1  0
    #        b      0  1  1
    #        c      0  0  1
    got = evaluate([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], ('a', 'b', 'c'))
    # recall 2/3, 1/2, 1 -> balanced accuracy 13/18
    assert got['imbalanced/balanced_acc'] == pytest.approx(100 * 13 / 18)
    # precision 1, 1/2, 1/2 -> F1 4/5, 1/2, 2/3 -> mean 59/90
    assert got['imbalanced/macro_f1'] == pytest.approx(100 * 59 / 90)
    # c=4 correct, s=6, t=(3,2,1), p=(2,2,2):
    # (4*6 - 12) / sqrt((36 - 12) * (36 - 14)) = 12 / sqrt(528)
    assert got['imbalanced/mcc'] == pytest.approx(100 * 12 / math.sqrt(528))
    assert got['imbalanced/accuracy'] == pytest.approx(100 * 4 / 6)
    assert got['imbalanced/acc_a'] == pytest.approx(100 * 2 / 3)
    assert got['imbalanced/acc_b'] == pytest.approx(50)
    assert got['imbalanced/acc_c'] == pytest.approx(100)


def test_binary_mcc_worked_by_hand():
    # TP=3, FN=2, FP=1, TN=4 (class 1 positive):
    # (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN)) = 10 / sqrt(600)
    targets = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]
    preds = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    got = evaluate(targets, preds, ('neg', 'pos'))
    assert got['imbalanced/mcc'] == pytest.approx(100 * 10 / math.sqrt(600))


def test_absent_classes_give_defined_numbers():
    # class c never true but predicted once; class d never true nor predicted
    got = evaluate([0, 0, 1, 1], [0, 2, 1, 1], ('a', 'b', 'c', 'd'))
    assert all(np.isfinite(v) for v in got.values())
    # balanced accuracy over the classes present in the targets: (1/2 + 1)/2
    assert got['imbalanced/balanced_acc'] == pytest.approx(75)
    # macro F1 over classes seen in targets or predictions (a, b, c):
    # F1 a = 2/3, b = 1, c = 0
    assert got['imbalanced/macro_f1'] == pytest.approx(100 * (2 / 3 + 1) / 3)
    assert got['imbalanced/acc_c'] == 0 and got['imbalanced/acc_d'] == 0


def test_all_predictions_in_one_class_has_zero_mcc():
    got = evaluate([0, 1, 2, 2], [2, 2, 2, 2], ('a', 'b', 'c'))
    assert got['imbalanced/mcc'] == 0
    assert got['imbalanced/balanced_acc'] == pytest.approx(100 / 3)


def test_agrees_with_scikit_learn_on_random_cases():
    from sklearn.metrics import (balanced_accuracy_score, f1_score,
                                 matthews_corrcoef)
    rng = np.random.default_rng(0)
    for _ in range(25):
        num_classes = int(rng.integers(2, 8))
        size = int(rng.integers(5, 200))
        # imbalanced targets; predictions right 60% of the time
        targets = rng.choice(num_classes, size,
                             p=np.arange(num_classes, 0, -1) /
                             np.arange(num_classes, 0, -1).sum())
        preds = np.where(rng.random(size) < 0.6, targets,
                         rng.integers(0, num_classes, size))
        got = evaluate(targets.tolist(), preds.tolist(),
                       tuple(f'k{i}' for i in range(num_classes)))
        assert got['imbalanced/macro_f1'] == pytest.approx(
            100 * f1_score(targets, preds, average='macro'))
        # sklearn warns, then averages over the classes present in targets
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            expected_bacc = balanced_accuracy_score(targets, preds)
        assert got['imbalanced/balanced_acc'] == pytest.approx(
            100 * expected_bacc)
        assert got['imbalanced/mcc'] == pytest.approx(
            100 * matthews_corrcoef(targets, preds))


def test_class_names_become_safe_log_keys():
    got = evaluate([0, 1], [0, 1], ('No DR', 'Proliferative DR'))
    assert 'imbalanced/acc_no_dr' in got
    assert 'imbalanced/acc_proliferative_dr' in got


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _distributed_worker(rank, world_size, port, targets, preds, queue):
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    torch.distributed.init_process_group('gloo', rank=rank,
                                         world_size=world_size)
    metric = ImbalancedMetric()
    metric.dataset_meta = dict(classes=('a', 'b', 'c'))
    # DefaultSampler's sharding: rank r gets items r, r+W, ..., padded by
    # repeating the first items so every rank has the same count
    size = len(targets)
    per_rank = -(-size // world_size)
    padded = list(range(size)) + list(range(per_rank * world_size - size))
    mine = padded[rank::world_size]
    metric.process(None, samples([targets[i] for i in mine],
                                 [preds[i] for i in mine], 3))
    result = metric.evaluate(size)
    if rank == 0:
        queue.put(result)
    torch.distributed.destroy_process_group()


def test_distributed_evaluation_equals_single_process():
    rng = np.random.default_rng(1)
    targets = rng.choice(3, 37, p=[0.7, 0.2, 0.1]).tolist()  # 37: padding
    preds = np.where(rng.random(37) < 0.7, targets,
                     rng.integers(0, 3, 37)).tolist()
    expected = evaluate(targets, preds, ('a', 'b', 'c'))

    context = mp.get_context('spawn')
    queue = context.Queue()
    mp.start_processes(_distributed_worker,
                       args=(2, _free_port(), targets, preds, queue),
                       nprocs=2, start_method='spawn')
    got = queue.get(timeout=60)
    assert got == pytest.approx(expected)
