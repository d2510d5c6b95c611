import copy
import time
from typing import List, Optional, Sequence

import torch
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS, MODELS

from ...datasets.real_image_bank import RealImageBank
from ...datasets.synthetic_mix_dataset import SyntheticMixDataset
from ...evaluation.metrics.imbalanced_metric import class_key
from ...evaluation.training_accuracy import TrainingAccuracyCounter
from ...synthesis.allocation import accuracy_adaptive_allocation
from ...utils.image_grid import class_rows
from ...utils.unwrap import unwrap_model

ACCURACY_SOURCES = ('train', 'eval')
WARM_START_SOURCES = ('pool', 'real')


@HOOKS.register_module()
class AccuracyAdaptiveSamplingHook(Hook):
    """IOIS's loop (the paper's Algorithm 1): Accuracy Adaptive Sampling
    (AAS) + Online Image Synthesis (OIS) around an MMPretrain training run.

    Before the first epoch the synthetic pool of the training set (a
    :class:`SyntheticMixDataset`) is filled with equal counts per class.
    Every ``interval`` epochs (except the last) it:

    1. measures the per-class accuracy ``acc_i`` on the real training
       images (summed over ranks);
    2. computes ``k_i = softmax((1 - acc_i) / T) * K`` (Eq. 5);
    3. generates the images with a :class:`GuidedDiffusionSynthesizer`
       guided by the classifier being trained (Eq. 3, 4), each rank a share;
    4. refreshes the pool in place for the next epochs.

    Accuracy sources (``accuracy_source``): ``'train'`` (default) counts the
    training forward passes of the epoch on the real images, at no extra
    cost (the running training accuracy the paper describes); ``'eval'``
    runs an eval-mode pass over the real training set with the validation
    pipeline at the end of the epoch.

    Logs per-class accuracies and counts as visualizer scalars
    (``aas/acc_<class>``, ``aas/count_<class>``) and a grid of the new
    images (rows = classes, ``aas_synthetic_<epoch>.png``). Its state and
    the pool go into checkpoints, so ``--resume`` continues with the same
    pool.

    Args:
        synthesizer (dict, optional): Config of the synthesizer. Defaults to
            None: the config's top-level ``synthesizer`` (so
            ``--cfg-options synthesizer.guidance_scale=2`` works).
        adaptive (bool): False gives every class the same count each
            refresh (the paper's "+OIS" ablation). Defaults to True.
        temperature (float): ``T`` in Eq. 5; 1 is the paper.
        interval (int): Regenerate the pool every N epochs. Defaults to 1.
        accuracy_source (str): 'train' or 'eval' (see above).
        grid_per_class (int): Images per class in the saved grid.
        refresh_strength (float): 1 (default, the paper) generates every
            new image from pure noise. ``s`` in (0, 1) warm-starts it from a
            previous pool image of its class, noised to the last ``s`` of
            the trajectory and denoised under the current classifier's
            guidance: a refresh then costs about ``s`` of a full one.
        warm_start_from (str): Where a warm start (``refresh_strength`` <
            1) starts: ``'pool'`` (default), the previous pool's images of
            the class (the first pool comes from noise); ``'real'``, real
            training images of the class drawn at random (the first pool
            too), which keeps the images near the real ones when the
            diffusion model's own samples are far off.
        refresh_fraction (float): 1 (default, the paper) regenerates the
            whole pool. ``f`` in (0, 1) regenerates only the slots whose
            class must change to meet Eq. 5's counts plus the oldest
            others, at least ``f * K`` slots in all.
        seed (int, optional): Base seed of the synthesis noise. Defaults to
            the runner's seed.
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
                 seed: Optional[int] = None) -> None:
        if accuracy_source not in ACCURACY_SOURCES:
            raise ValueError(f'accuracy_source must be one of '
                             f'{ACCURACY_SOURCES}, got {accuracy_source!r}')
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        if warm_start_from not in WARM_START_SOURCES:
            raise ValueError(f'warm_start_from must be one of '
                             f'{WARM_START_SOURCES}, got {warm_start_from!r}')
        for name, value in (('refresh_strength', refresh_strength),
                            ('refresh_fraction', refresh_fraction)):
            if not 0 < value <= 1:
                raise ValueError(f'{name} must be in (0, 1], got {value}')
        self.synthesizer_cfg = copy.deepcopy(synthesizer)
        self.adaptive = adaptive
        self.temperature = temperature
        self.interval = interval
        self.accuracy_source = accuracy_source
        self.grid_per_class = grid_per_class
        self.refresh_strength = refresh_strength
        self.refresh_fraction = refresh_fraction
        self.warm_start_from = warm_start_from
        self.seed = seed
        self.per_class_acc: Optional[List[float]] = None
        self.counts: Optional[List[int]] = None
        self._resume_state = None

    def before_train(self, runner) -> None:
        self.dataset = runner.train_dataloader.dataset
        if not isinstance(self.dataset, SyntheticMixDataset):
            raise TypeError(
                'AccuracyAdaptiveSamplingHook needs the training set wrapped '
                "in dict(type='SyntheticMixDataset', capacity=K, dataset=...)"
                f', got {type(self.dataset).__name__}')
        if self.dataset.has_fixed_pool:
            raise ValueError(
                'the training set loads a fixed pool '
                f'({self.dataset.pool_file}); the AAS hook would overwrite '
                'it. Remove pool_file for '
                'online synthesis, or the hook for a fixed pool.')
        self.pool = self.dataset.pool
        model = unwrap_model(runner.model)
        classes = list(self.dataset.metainfo.get('classes') or [])
        self.num_classes = len(classes) or model.head.num_classes
        self.names = [class_key(c) for c in classes] or \
            [str(i) for i in range(self.num_classes)]
        if self.seed is None:
            self.seed = int(runner.seed or 0)
        self.synthesizer = self._build_synthesizer(runner)
        self.pool.allocate(*self.synthesizer.image_size)
        self.real_images = RealImageBank(
            self.dataset.dataset, self.synthesizer.image_size) \
            if self.warm_start_from == 'real' else None
        self.accuracy = TrainingAccuracyCounter(self.num_classes)
        if self.accuracy_source == 'train':
            self.accuracy.watch(model)
        if self._resume_state is not None:
            self._restore(runner, self._resume_state)
        elif not self.pool.filled:
            runner.logger.info(
                f'AAS: filling the initial synthetic pool, '
                f'{self.pool.capacity} images in equal shares')
            self._synthesize(runner, [0.0] * self.num_classes, epoch=0)

    def _build_synthesizer(self, runner):
        cfg = copy.deepcopy(self.synthesizer_cfg or
                            runner.cfg.get('synthesizer'))
        if not cfg:
            raise ValueError(
                'AccuracyAdaptiveSamplingHook has no synthesizer: set '
                "synthesizer=dict(type='GuidedDiffusionSynthesizer', ...) in "
                'the hook or at the top level of the config')
        if get_dist_info()[0] != 0:
            cfg['progress'] = False
        return MODELS.build(cfg)

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
            ' accuracy ' + ', '.join(f'{n}={a:.3f}'
                                     for n, a in zip(self.names, acc)))
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
        mine, my_labels = self.pool.rank_share(slots), \
            self.pool.rank_share(labels)
        start = time.time()
        images = self._generate(  # Eq. 3, 4
            unwrap_model(runner.model), mine, my_labels,
            seed=self.seed * 1_000_003 + epoch * 1_009 + get_dist_info()[0])
        digest = self.pool.refresh(images, my_labels, slots)
        self.counts = [int(k) for k in counts]
        runner.logger.info(
            f'AAS: synthesised {len(slots)} of {self.pool.capacity} images '
            f'in {time.time() - start:.1f}s (pool version '
            f'{self.pool.version}, digest {digest}, identical on '
            f'{get_dist_info()[1]} ranks); counts ' + ', '.join(
                f'{n}={k}' for n, k in zip(self.names, counts)))
        dropped = self.synthesizer.last_stats.get('dropped_guidance')
        if dropped:
            runner.logger.warning(f'AAS: guidance dropped for {dropped} '
                                  'sample-steps with a non-finite gradient')
        runner.visualizer.add_scalars(
            {f'aas/count_{n}': k for n, k in zip(self.names, counts)},
            step=epoch)
        runner.visualizer.add_image('aas_synthetic', class_rows(
            self.pool.images, self.pool.labels, self.num_classes,
            self.grid_per_class), step=epoch)

    def _generate(self, model, slots, labels, seed):
        """New images for ``slots``: from noise, or warm-started
        (``refresh_strength`` < 1) from real images of their class, or from
        the previous pool where it holds an image of the class."""
        if self.refresh_strength < 1 and self.real_images is not None:
            return self.synthesizer.generate(
                model, labels, seed=seed, strength=self.refresh_strength,
                init_images=self.real_images.draw(labels, seed))[0]
        sources = torch.tensor(self.pool.warm_start_sources(slots, labels)
                               if self.refresh_strength < 1 and
                               self.pool.filled else [-1] * len(slots),
                               dtype=torch.long)
        labels = torch.as_tensor(labels, dtype=torch.long)
        images = torch.zeros((len(slots), ) + self.pool.image_size + (3, ),
                             dtype=torch.uint8)
        for warm in (False, True):
            chosen = (sources >= 0) if warm else (sources < 0)
            if not chosen.any():
                continue
            images[chosen] = self.synthesizer.generate(
                model, labels[chosen], seed=seed + int(warm),
                init_images=self.pool.images[sources[chosen]] if warm
                else None,
                strength=self.refresh_strength if warm else 1.0)[0]
        return images

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
