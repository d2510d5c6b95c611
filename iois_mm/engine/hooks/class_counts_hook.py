from typing import List, Optional

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...datasets.class_counts import get_class_counts, imbalance_ratio
from ...utils.unwrap import unwrap_model


@HOOKS.register_module()
class ClassCountsHook(Hook):
    """Reads the training set's class counts when training starts.

    - checks that the classifier has one output per class of the dataset
      (a clear error instead of an index error deep in the loss);
    - logs the per-class counts and the imbalance ratio;
    - hands the counts to every module that declares
      ``needs_class_counts = True`` (e.g. :class:`ClassBalancedFocalLoss`),
      so class-dependent losses follow the data, not a hand-typed list.

    Before testing it repeats the class check on the test set. It is part of
    our ``default_hooks`` (key ``class_counts``).
    """

    priority = 'VERY_HIGH'

    def before_train(self, runner) -> None:
        dataset = runner.train_dataloader.dataset
        classes = self._check_outputs(runner, dataset, 'training')
        counts = get_class_counts(dataset,
                                  len(classes) if classes else None)
        names = classes or [str(i) for i in range(len(counts))]
        runner.logger.info(
            'training set class counts: ' +
            ', '.join(f'{n}={c}' for n, c in zip(names, counts)) +
            f' (imbalance ratio {imbalance_ratio(counts):.1f})')
        empty = [n for n, c in zip(names, counts) if c == 0]
        if empty:
            runner.logger.warning(f'no training images of {empty}')
        for module in unwrap_model(runner.model).modules():
            if getattr(module, 'needs_class_counts', False):
                module.set_class_counts(counts)
                runner.logger.info(
                    f'{type(module).__name__}: class counts set from the '
                    'training set')

    def before_test(self, runner) -> None:
        self._check_outputs(runner, runner.test_dataloader.dataset, 'test')

    def _check_outputs(self, runner, dataset, stage) -> Optional[List[str]]:
        classes = getattr(dataset, 'metainfo', {}).get('classes')
        head = getattr(unwrap_model(runner.model), 'head', None)
        outputs = getattr(head, 'num_classes', None)
        if classes and outputs is not None and outputs != len(classes):
            raise ValueError(
                f'the classifier head has {outputs} outputs but the {stage} '
                f'set ({type(dataset).__name__}) has {len(classes)} classes '
                f'{list(classes)}. Set model.head.num_classes={len(classes)} '
                '(and data_preprocessor.num_classes) in the config.')
        return list(classes) if classes else None
