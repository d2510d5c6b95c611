"""Per-class accuracy of the classifier being trained (the ``acc_i`` of the
paper's Eq. 5), counted exactly and summed over ranks."""
import copy
from typing import List, Sequence, Tuple

import torch
from mmengine.dist import all_reduce

from ..models.data_preprocessors import NOISE_STEP_KEY


class TrainingAccuracyCounter:
    """Correct and seen counts per class over the real images of an epoch.

    Synthetic samples (those whose data sample carries a ``pool_slot``, see
    :class:`SyntheticMixDataset`) and real images noised in training
    (:class:`NoiseAwareClsDataPreprocessor`) are not counted: Eq. 5 needs
    the classifier's accuracy on real images. Their slots are returned, so the
    caller can check which pool they came from.

    Two sources of predictions:

    - :meth:`watch` + :meth:`count_batch`: the training forward pass's
      logits, captured by a forward hook on the classifier's head (no extra
      cost; the running training accuracy the paper describes);
    - :meth:`count_eval_pass`: an eval-mode pass over the real training set.
    """

    def __init__(self, num_classes: int) -> None:
        self.num_classes = num_classes
        self._handle = None
        self._logits = None
        self._eval_loader = None
        self.reset()

    def reset(self) -> None:
        self.correct = torch.zeros(self.num_classes, dtype=torch.float64)
        self.seen = torch.zeros(self.num_classes, dtype=torch.float64)
        self.synthetic_seen = 0

    def add(self, predictions: torch.Tensor, labels: torch.Tensor) -> None:
        """Count predicted vs true labels (both (N,) class indices)."""
        labels = labels.long().cpu()
        correct = (predictions.cpu() == labels).double()
        self.seen.index_add_(0, labels, torch.ones_like(correct))
        self.correct.index_add_(0, labels, correct)

    # ------------------------------------------ training forward passes --
    def watch(self, model) -> None:
        """Capture the logits of ``model.head`` in training mode. Refuses
        batch augmentations (Mixup, CutMix): they mix images and labels, so
        no per-class accuracy exists for a mixed sample."""
        preprocessor = getattr(model, 'data_preprocessor', None)
        if getattr(preprocessor, 'batch_augments', None) is not None:
            raise ValueError(
                'the data preprocessor mixes images and labels '
                '(batch_augments), so per-class training accuracy cannot be '
                "counted: set the AAS hook's accuracy_source='eval' (an "
                'unaugmented pass over the real training set each epoch) or '
                'remove batch_augments')
        self._handle = model.head.register_forward_hook(self._record)

    def unwatch(self) -> None:
        if self._handle is not None:
            self._handle.remove()
            self._handle = None

    def _record(self, module, args, output) -> None:
        if module.training and torch.is_tensor(output):
            self._logits = output.detach()

    def count_batch(self, data_samples: Sequence) -> List[int]:
        """Count the last captured logits (when watching) against
        ``data_samples``' labels, real samples only; returns the pool slots
        of the synthetic ones."""
        slots = [s.metainfo.get('pool_slot') for s in data_samples]
        # noised copies (NoiseAwareClsDataPreprocessor) count neither as
        # clean images nor as served pool images
        clean = [NOISE_STEP_KEY not in s.metainfo for s in data_samples]
        synthetic = [
            slot for slot, is_clean in zip(slots, clean)
            if slot is not None and is_clean
        ]
        self.synthetic_seen += len(synthetic)
        logits, self._logits = self._logits, None
        if self._handle is None:
            return synthetic
        if logits is None or len(logits) != len(data_samples):
            raise RuntimeError(
                f'the classifier head produced '
                f'{"no" if logits is None else len(logits)} training logits '
                f'for a batch of {len(data_samples)} samples; per-class '
                "training accuracy needs one per sample: use accuracy_source"
                "='eval'")
        real = torch.tensor([
            slot is None and is_clean for slot, is_clean in zip(slots, clean)
        ])
        labels = torch.cat([s.gt_label for s in data_samples])
        self.add(logits.argmax(dim=1)[real.to(logits.device)],
                 labels[real.to(labels.device)])
        return synthetic

    # ------------------------------------------------- eval-mode pass --
    def count_eval_pass(self, runner) -> None:
        """Count an eval-mode pass over the real training set, with the
        validation pipeline."""
        if self._eval_loader is None:
            loader_cfg = copy.deepcopy(runner.cfg.val_dataloader)
            real_cfg = copy.deepcopy(
                runner.cfg.train_dataloader.dataset.dataset)
            real_cfg.update(pipeline=loader_cfg.dataset.pipeline,
                            test_mode=True)
            loader_cfg.update(dataset=real_cfg,
                              sampler=dict(type='DefaultSampler',
                                           shuffle=False),
                              persistent_workers=False)
            self._eval_loader = runner.build_dataloader(loader_cfg)
        model = runner.model
        was_training = model.training
        model.eval()
        with torch.no_grad():
            for batch in self._eval_loader:
                samples = model.val_step(batch)
                self.add(torch.stack([s.pred_label for s in samples]).view(-1),
                         torch.stack([s.gt_label for s in samples]).view(-1))
        model.train(was_training)

    # ----------------------------------------------------------- result --
    def per_class_accuracy(self) -> Tuple[List[float], List[int]]:
        """Accuracy per class and real images seen per class, summed over
        ranks (a class never seen has accuracy 0)."""
        correct, seen = self.correct.clone(), self.seen.clone()
        all_reduce(correct)
        all_reduce(seen)
        return ((correct / seen.clamp(min=1)).tolist(),
                [int(n) for n in seen])

    def synthetic_total(self) -> int:
        """Synthetic samples trained on this epoch, summed over ranks."""
        served = torch.tensor(float(self.synthetic_seen))
        all_reduce(served)
        return int(served)

