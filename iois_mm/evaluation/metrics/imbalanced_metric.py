import re
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmpretrain.registry import METRICS


@METRICS.register_module()
class ImbalancedMetric(BaseMetric):
    """Metrics for imbalanced single-label classification, in percent.

    Reports, under the ``imbalanced/`` prefix:

    - ``macro_f1``: mean F1 over the classes present in the targets or the
      predictions (a class that is predicted but never true scores 0).
    - ``balanced_acc``: mean per-class recall over the classes present in the
      targets.
    - ``mcc``: multi-class Matthews correlation coefficient (Gorodkin's R_K),
      0 when it is undefined (all targets or all predictions in one class).
    - ``accuracy``: overall top-1 accuracy.
    - ``acc_<class>``: recall of each class, named from the dataset's
      ``classes``; 0 for a class with no samples in the evaluated set (with a
      warning).

    The conventions are scikit-learn's (``f1_score(average='macro')``,
    ``balanced_accuracy_score``, ``matthews_corrcoef``), so numbers can be
    cross-checked. Everything is computed from the confusion matrix of all
    samples gathered from every rank, so distributed evaluation gives the
    same numbers as a single process.

    Args:
        num_classes (int, optional): Used when the dataset metainfo has no
            ``classes``. Defaults to None (taken from the prediction scores).
        collect_device (str): Where results are gathered across ranks.
        prefix (str, optional): Defaults to ``'imbalanced'``.

    Example config::

        val_evaluator = dict(type='ImbalancedMetric')
        default_hooks = dict(checkpoint=dict(
            type='CheckpointHook', save_best='imbalanced/macro_f1',
            rule='greater'))
    """

    default_prefix: Optional[str] = 'imbalanced'

    def __init__(self,
                 num_classes: Optional[int] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.num_classes = num_classes

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            score = sample['pred_score']
            self.results.append(dict(
                pred=int(score.argmax()),
                target=int(sample['gt_label'].reshape(-1)[0]),
                num_scores=int(score.numel())))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        class_names = self._class_names(results)
        preds = np.array([r['pred'] for r in results], dtype=np.int64)
        targets = np.array([r['target'] for r in results], dtype=np.int64)
        confusion = confusion_matrix(preds, targets, len(class_names))

        metrics = dict(
            macro_f1=macro_f1(confusion),
            balanced_acc=balanced_accuracy(confusion),
            mcc=matthews_corrcoef(confusion),
            accuracy=100.0 * np.trace(confusion) / max(confusion.sum(), 1))
        support = confusion.sum(axis=1)
        absent = [name for name, n in zip(class_names, support) if n == 0]
        if absent:
            print_log(
                f'ImbalancedMetric: no samples of {absent} in the evaluated '
                'set; their per-class accuracy is reported as 0 and they are '
                'left out of balanced_acc', logger='current', level=30)
        recall = per_class_recall(confusion)
        for name, value in zip(class_names, recall):
            metrics[f'acc_{class_key(name)}'] = value
        return {key: float(value) for key, value in metrics.items()}

    def _class_names(self, results: List[dict]) -> List[str]:
        classes = (self.dataset_meta or {}).get('classes')
        if classes:
            return list(classes)
        num_classes = self.num_classes or max(
            [r['num_scores'] for r in results] or [0])
        return [f'class_{i}' for i in range(num_classes)]


def class_key(name: str) -> str:
    """A class name usable as a log key: lower case, no spaces."""
    return re.sub(r'[^0-9a-zA-Z_]+', '_', str(name)).strip('_').lower()


def confusion_matrix(preds: np.ndarray, targets: np.ndarray,
                     num_classes: int) -> np.ndarray:
    """``C[i, j]`` = number of samples of true class i predicted as j."""
    if len(targets) and (max(preds.max(), targets.max()) >= num_classes
                         or min(preds.min(), targets.min()) < 0):
        raise ValueError(
            f'labels or predictions outside 0..{num_classes - 1}: the model '
            'has more outputs than the dataset has classes, or the reverse')
    return np.bincount(targets * num_classes + preds,
                       minlength=num_classes * num_classes).reshape(
                           num_classes, num_classes)


def per_class_recall(confusion: np.ndarray) -> np.ndarray:
    support = confusion.sum(axis=1)
    return 100.0 * np.diag(confusion) / np.maximum(support, 1)


def macro_f1(confusion: np.ndarray) -> float:
    true_positive = np.diag(confusion).astype(np.float64)
    support = confusion.sum(axis=1)
    predicted = confusion.sum(axis=0)
    # F1 = 2TP / (2TP + FP + FN) = 2TP / (support + predicted)
    f1 = 2 * true_positive / np.maximum(support + predicted, 1)
    seen = (support + predicted) > 0
    return 100.0 * f1[seen].mean() if seen.any() else 0.0


def balanced_accuracy(confusion: np.ndarray) -> float:
    support = confusion.sum(axis=1)
    present = support > 0
    if not present.any():
        return 0.0
    return float(per_class_recall(confusion)[present].mean())


def matthews_corrcoef(confusion: np.ndarray) -> float:
    """Gorodkin (2004)'s multi-class MCC, in percent::

        MCC = (c*s - sum_k p_k t_k) /
              sqrt((s^2 - sum_k p_k^2) * (s^2 - sum_k t_k^2))

    with c correct predictions, s samples, p_k predictions of class k and
    t_k true samples of class k.
    """
    confusion = confusion.astype(np.float64)
    correct = np.trace(confusion)
    samples = confusion.sum()
    true_per_class = confusion.sum(axis=1)
    pred_per_class = confusion.sum(axis=0)
    covariance = correct * samples - pred_per_class @ true_per_class
    denominator = np.sqrt((samples**2 - pred_per_class @ pred_per_class) *
                          (samples**2 - true_per_class @ true_per_class))
    return 0.0 if denominator == 0 else 100.0 * covariance / denominator
