import copy
import os.path as osp
import time
from typing import List, Optional, Sequence

from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...datasets.synthetic_mix_dataset import online_pool_of
from ...evaluation.metrics.imbalanced_metric import class_key
from ...evaluation.training_accuracy import TrainingAccuracyCounter
from ...synthesis.allocation import accuracy_adaptive_allocation
from ...utils.image_grid import class_rows
from ...utils.unwrap import unwrap_model
from ..refresh_images import (RefreshImageSource, build_synthesizer,
                              check_refresh_options)
from .guide_training_hook import trained_guide_of

ACCURACY_SOURCES = ('train', 'eval')


@HOOKS.register_module()
class AccuracyAdaptiveSamplingHook(Hook):
    """IOIS's loop (the paper's Algorithm 1): Accuracy Adaptive Sampling
    (AAS) + Online Image Synthesis (OIS) around an MMPretrain training run.

    Before the first epoch the synthetic pool of the training set (a
    :class:`SyntheticMixDataset`) is filled with equal counts per class.
    After every ``interval`` epochs (except the last) it measures the
    per-class accuracy ``acc_i`` on the real training images (summed over
    ranks), computes ``k_i = softmax((1 - acc_i) / T) * K`` (Eq. 5), has
    each rank generate its share of the images under the guidance of the
    classifier being trained (Eq. 3, 4) and refreshes the pool in place.

    Logs per-class accuracies and counts as visualizer scalars
    (``aas/acc_<class>``, ``aas/count_<class>``) and a grid of the pool
    (rows = classes). Its state and the pool go into checkpoints, so
    ``--resume`` continues with the same pool.

    Args:
        synthesizer (dict, optional): Config of the synthesizer. Defaults to
            None: the config's top-level ``synthesizer`` (so
            ``--cfg-options synthesizer.guidance_scale=2`` works).
        adaptive (bool): False gives every class the same count each
            refresh (the paper's "+OIS" ablation). Defaults to True.
        temperature (float): ``T`` in Eq. 5; 1 is the paper.
        interval (int): Regenerate the pool every N epochs. Defaults to 1.
        accuracy_source (str): ``'train'`` (default) counts the epoch's
            training forward passes on real images at no extra cost (the
            paper's running training accuracy); ``'eval'`` runs an
            eval-mode pass over the real training set at the epoch's end.
        grid_per_class (int): Images per class in the logged grid.
        refresh_strength (float): 1 (default, the paper) generates every
            new image from pure noise; ``s`` in (0, 1) warm-starts it, so a
            refresh costs about ``s`` of a full one (see
            :class:`RefreshImageSource`).
        warm_start_from (str): ``'pool'`` (default): the previous pool's
            images of the class; ``'real'``: real training images of the
            class, which keeps the images near the real ones when the
            diffusion model's own samples are far off.
        refresh_fraction (float): 1 (default, the paper) regenerates the
            whole pool; ``f`` in (0, 1) only the slots whose class must
            change to meet Eq. 5's counts plus the oldest others, at least
            ``f * K`` slots in all.
        seed (int, optional): Base seed of the synthesis noise. Defaults to
            the runner's seed.
        guide_checkpoint (str, optional): Guide with a frozen copy of the
            model loaded from this checkpoint (same architecture) instead of
            the classifier being trained. Not the paper's method: a
            diagnostic that separates what class-carrying synthetic images
            give a classifier from what training it as a guide costs it.
            A :class:`GuideTrainingHook` in the run gives a guide trained
            beside the classifier instead.
    """

    priority = 'NORMAL'  # before CheckpointHook, so checkpoints hold the pool

    def __init__(self,
                 synthesizer: Optional[dict] = None,
                 adaptive: bool = True,
                 temperature: float = 1.0,
                 interval: int = 1,
                 accuracy_source: str = 'train',
                 grid_per_class: int = 8,
                 refresh_strength: float = 1.0,
                 refresh_fraction: float = 1.0,
                 warm_start_from: str = 'pool',
                 seed: Optional[int] = None,
                 guide_checkpoint: Optional[str] = None) -> None:
        for name, value, valid, rule in (
                ('accuracy_source', accuracy_source,
                 accuracy_source in ACCURACY_SOURCES,
                 f'one of {ACCURACY_SOURCES}'),
                ('interval', interval, interval >= 1, '>= 1'),
                ('temperature', temperature, temperature > 0, '> 0'),
                ('refresh_fraction', refresh_fraction,
                 0 < refresh_fraction <= 1, 'in (0, 1]')):
            if not valid:
                raise ValueError(f'{name} must be {rule}, got {value!r}')
        self.synthesizer_cfg = copy.deepcopy(synthesizer)
        self.adaptive, self.temperature = adaptive, temperature
        self.interval, self.accuracy_source = interval, accuracy_source
        self.grid_per_class = grid_per_class
        self.refresh = dict(strength=refresh_strength,
                            start_from=warm_start_from)
        self.refresh_fraction = refresh_fraction
        self.seed = seed
        self.guide_checkpoint = guide_checkpoint
        self.guide = None  # None: the classifier being trained
        self.per_class_acc: Optional[List[float]] = None
        self.counts: Optional[List[int]] = None
        self._resume_state = None
        check_refresh_options(**self.refresh)

    def before_train(self, runner) -> None:
        dataset = runner.train_dataloader.dataset
        self.pool = online_pool_of(dataset, type(self).__name__)
        model = unwrap_model(runner.model)
        classes = list(dataset.metainfo.get('classes') or [])
        self.num_classes = len(classes) or model.head.num_classes
        self.names = [class_key(c) for c in classes] or \
            [str(i) for i in range(self.num_classes)]
        self.seed = int(runner.seed or 0) if self.seed is None else self.seed
        self.synthesizer = build_synthesizer(
            self.synthesizer_cfg or runner.cfg.get('synthesizer'),
            type(self).__name__)
        self.pool.allocate(*self.synthesizer.image_size,
                           channels=self.synthesizer.channels)
        self.refresh_source = RefreshImageSource(
            self.synthesizer, **self.refresh,
            real_dataset=dataset.dataset)
        if self.guide_checkpoint:
            if trained_guide_of(runner) is not None:
                raise ValueError(
                    f'{type(self).__name__}: guide_checkpoint and a '
                    'GuideTrainingHook both give a guide; keep one')
            self.guide = self._frozen_guide(model, runner)
        self.accuracy = TrainingAccuracyCounter(self.num_classes)
        if self.accuracy_source == 'train':
            self.accuracy.watch(model)
        if self._resume_state is not None:
            self._restore(runner, self._resume_state)
        elif not self.pool.filled:
            runner.logger.info(f'AAS: filling the initial synthetic pool, '
                               f'{self.pool.capacity} images in equal shares')
            self._synthesize(runner, [0.0] * self.num_classes, epoch=0)

    def after_train(self, runner) -> None:
        self.accuracy.unwatch()

    def before_train_epoch(self, runner) -> None:
        self.accuracy.reset()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        samples = (data_batch or {}).get('data_samples') or []
        self.pool.check_served(self.accuracy.count_batch(samples))

    def after_train_epoch(self, runner) -> None:
        epoch = runner.epoch + 1
        if self.accuracy_source == 'eval':
            self.accuracy.count_eval_pass(runner)
        acc, seen = self.accuracy.per_class_accuracy()  # Algorithm 1, step 1
        self.per_class_acc = acc
        unseen = [n for n, s in zip(self.names, seen) if s == 0]
        if unseen:
            runner.logger.warning(
                f'AAS: no real training image of {unseen} this epoch; their '
                'accuracy counts as 0')
        runner.logger.info(
            f'AAS epoch {epoch}: trained on {self.accuracy.synthetic_total()}'
            f' synthetic images (pool version {self.pool.version}); training'
            ' accuracy ' + self._per_class(acc, '{:.3f}'))
        runner.visualizer.add_scalars(
            {f'aas/acc_{n}': a for n, a in zip(self.names, acc)}, step=epoch)
        if epoch % self.interval == 0 and epoch < runner.max_epochs:
            self._synthesize(
                runner, acc if self.adaptive else [0.0] * self.num_classes,
                epoch=epoch)

    def _synthesize(self, runner, per_class_acc: Sequence[float],
                    epoch: int) -> None:
        counts = accuracy_adaptive_allocation(  # Eq. 5
            per_class_acc, self.pool.capacity, temperature=self.temperature)
        slots, labels = self.pool.plan(counts, self.refresh_fraction)
        my_slots, my_labels = map(self.pool.rank_share, (slots, labels))
        start = time.time()
        guide = self.guide if self.guide is not None else \
            trained_guide_of(runner)
        if guide is None:  # the paper's: the classifier being trained
            guide = unwrap_model(runner.model)
        images = self.refresh_source.generate(  # Eq. 3, 4
            guide, self.pool, my_slots, my_labels,
            seed=self.seed * 1_000_003 + epoch * 1_009 + get_dist_info()[0])
        digest = self.pool.refresh(images, my_labels, slots)
        self.counts = [int(k) for k in counts]
        runner.logger.info(
            f'AAS: synthesised {len(slots)} of {self.pool.capacity} images '
            f'in {time.time() - start:.1f}s (pool version '
            f'{self.pool.version}, digest {digest}, identical on '
            f'{get_dist_info()[1]} ranks); counts ' +
            self._per_class(counts, '{}'))
        runner.visualizer.add_scalars(
            {f'aas/count_{n}': k for n, k in zip(self.names, counts)},
            step=epoch)
        runner.visualizer.add_image('aas_synthetic', class_rows(
            self.pool.images, self.pool.labels, self.num_classes,
            self.grid_per_class), step=epoch)

    def _frozen_guide(self, model, runner):
        from mmengine.runner import load_checkpoint
        if not osp.isfile(self.guide_checkpoint):
            raise FileNotFoundError(
                f'{type(self).__name__}: guide_checkpoint '
                f'{self.guide_checkpoint} does not exist; train the guide '
                'first (a checkpoint of a classifier with the same '
                'architecture as the one being trained)')
        guide = copy.deepcopy(model)
        load_checkpoint(guide, self.guide_checkpoint, map_location='cpu',
                        strict=True, logger=runner.logger)
        runner.logger.info(f'AAS: guiding with the frozen classifier of '
                           f'{self.guide_checkpoint}')
        return guide.requires_grad_(False).eval()

    def _per_class(self, values, form: str) -> str:
        return ', '.join(f'{n}={form.format(v)}'
                         for n, v in zip(self.names, values))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['aas'] = dict(
            per_class_acc=self.per_class_acc, counts=self.counts,
            epoch=runner.epoch, pool=self.pool.state_dict())

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # applied in before_train, when the training set exists (a test run
        # loading this checkpoint never builds it)
        self._resume_state = checkpoint.get('aas')

    def _restore(self, runner, state: dict) -> None:
        self._resume_state = None
        self.per_class_acc, self.counts = state['per_class_acc'], \
            state['counts']
        self.pool.load_state_dict(state['pool'])
        runner.logger.info(
            f'AAS: restored the synthetic pool from the checkpoint (version '
            f'{self.pool.version}, digest {self.pool.digest()}), counts '
            f'{self.counts}, accuracies {self.per_class_acc}')
