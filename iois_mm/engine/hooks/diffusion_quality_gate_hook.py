import copy
from typing import Optional

import numpy as np
import torch
from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmengine.runner import load_checkpoint
from mmpretrain.registry import HOOKS

from ...datasets.synthetic_mix_dataset import SyntheticMixDataset
from ...evaluation.generative_quality import (classifier_features,
                                              colour_outliers,
                                              compare_feature_sets,
                                              load_resized_images,
                                              thumbnail_features)
from ...synthesis import ClassifierGuidance, DiffusionModelError
from ...utils.unwrap import unwrap_model
from ..refresh_images import build_synthesizer


@HOOKS.register_module()
class DiffusionQualityGateHook(Hook):
    """Check, before IOIS trains on them, that the diffusion model's images
    resemble the real training images, and follow every refreshed pool.

    Before training it draws ``num_images`` unguided samples and compares
    them with (up to ``num_images``) real training images in a feature space
    (``generative_quality``): Fréchet distance, k-NN
    precision (the share of samples inside the real images' manifold) and
    recall, with the real-vs-real floor (two halves of the real images). A
    model whose precision is under ``min_precision`` (coloured noise, a
    grayscale model read as colour, a model of another data set) stops the
    run with what to do, unless ``proceed_anyway``; one under
    ``warn_precision`` trains with a warning (HAM-32's CPU model, precision
    0.23, made IOIS lose to CE: benchmarks/ham32/README.md). The share of
    images whose mean colour lies outside the real images' 95% range
    (``colour_outliers``; real images: about 0.05) is reported beside, as
    what is most often wrong with a weak model. After each epoch the
    current pool (the guided images the next epoch trains on) is measured
    the same way. Everything is logged and written as visualizer scalars
    (``dm_quality/*`` at start, ``pool_quality/*`` per epoch); ``verdict``
    is 'poor', 'weak' or 'good'.

    The feature space is the pooled features of ``feature_checkpoint`` (a
    classifier trained on the same data, e.g. the CE run's best checkpoint:
    the most telling) when given, else 8x8 colour thumbnails: no training
    needed, and they separate noise, wrong colours or another kind of image
    from the real ones (the pooled features of a network at its random
    initialisation do not: measured, they put noise at precision 0.5).

    Args:
        num_images (int): Samples (and at most as many real images).
            Defaults to 500.
        min_precision (float): Refuse below this precision. Defaults to 0.1
            (real images against real images: about 0.9).
        warn_precision (float): Warn below this precision. Defaults to 0.5.
        feature_checkpoint (str, optional): Classifier weights for the
            feature space (same architecture as the model being trained).
            Defaults to None: thumbnails.
        proceed_anyway (bool): Log the verdict but train whatever it is.
        synthesizer (dict, optional): Defaults to the config's top-level
            ``synthesizer``.

    Example config::

        custom_hooks = [
            dict(type='DiffusionQualityGateHook',
                 feature_checkpoint='work_dirs/ce/best.pth'),
            dict(type='AccuracyAdaptiveSamplingHook'),
        ]
    """

    priority = 'ABOVE_NORMAL'  # before the AAS hook fills the first pool

    def __init__(self,
                 num_images: int = 500,
                 min_precision: float = 0.1,
                 warn_precision: float = 0.5,
                 feature_checkpoint: Optional[str] = None,
                 proceed_anyway: bool = False,
                 synthesizer: Optional[dict] = None) -> None:
        if num_images < 4:
            raise ValueError(f'num_images must be >= 4, got {num_images}')
        self.num_images = num_images
        self.min_precision = min_precision
        self.warn_precision = warn_precision
        self.feature_checkpoint = feature_checkpoint
        self.proceed_anyway = proceed_anyway
        self.synthesizer_cfg = copy.deepcopy(synthesizer)
        self.report = self.verdict = None

    def before_train(self, runner) -> None:
        self.dataset = runner.train_dataloader.dataset
        if not isinstance(self.dataset, SyntheticMixDataset):
            raise TypeError('DiffusionQualityGateHook needs the training set '
                            "wrapped in dict(type='SyntheticMixDataset', ...)")
        cfg = self.synthesizer_cfg or runner.cfg.get('synthesizer')
        model = unwrap_model(runner.model)
        device = next(model.parameters()).device
        synthesizer = build_synthesizer(cfg, type(self).__name__,
                                        progress=False, device=str(device))
        self.guidance = None
        if self.feature_checkpoint is not None:
            features = copy.deepcopy(model)
            load_checkpoint(features, self.feature_checkpoint,
                            map_location='cpu', strict=True, logger='silent')
            self.guidance = ClassifierGuidance(
                features.eval(), synthesizer.classifier_input_size)
        self.real_images = self._real_images(synthesizer.image_size,
                                             synthesizer.channels)
        self.real_features = self._features(self.real_images)
        # real vs real (two halves): the floor, the same every epoch
        self.real_floor = dict(
            compare_feature_sets(self.real_features[::2],
                                 self.real_features[1::2]),
            colour_outliers=colour_outliers(self.real_images[::2],
                                            self.real_images[1::2]))
        # every rank draws the same samples: the verdict is the same
        samples, _ = synthesizer.generate(
            None, torch.zeros(self.num_images, dtype=torch.long), seed=12345)
        report = self._compare(samples)
        self._log(runner, 'dm_quality', report, 'the diffusion model '
                  f'{synthesizer.diffusion_model_dir} (unguided samples)')
        self.report = report
        self._judge(runner, synthesizer.diffusion_model_dir, report)

    def _judge(self, runner, model_dir, report) -> None:
        """Refuse a poor model, warn about a weak one."""
        overall, floor = report['overall'], report['real_floor']
        precision = overall['precision']
        self.verdict = ('poor' if precision < self.min_precision else
                        'weak' if precision < self.warn_precision else 'good')
        if self.verdict == 'good':
            return
        threshold = (f'min_precision {self.min_precision}'
                     if self.verdict == 'poor' else
                     f'warn_precision {self.warn_precision}')
        found = (
            f'the diffusion model {model_dir} makes images unlike the '
            f'training images: precision {precision:.3f} < {threshold} '
            f'(real vs real: {floor["precision"]:.3f}); '
            f'{100 * overall["colour_outliers"]:.0f}% of its images have a '
            'mean colour outside the real images\' 95% range (real: '
            f'{100 * floor["colour_outliers"]:.0f}%). ')
        advice = ('Train it longer or on this data set, check that its '
                  'channels match the images (grayscale vs RGB), and look '
                  'at its samples (tools/analysis/diffusion_quality.py)')
        if self.verdict == 'weak':
            runner.logger.warning(
                found + 'IOIS trained on a model this weak lost to CE on '
                'HAM-32 (benchmarks/ham32/README.md). ' + advice + '.')
            return
        message = (found + advice + '; or set proceed_anyway=True in '
                   'DiffusionQualityGateHook to train on its images '
                   'regardless.')
        if not self.proceed_anyway:
            raise DiffusionModelError(message)
        runner.logger.warning(f'proceeding anyway: {message}')

    def after_train_epoch(self, runner) -> None:
        pool = self.dataset.pool
        if not pool.filled or self.dataset.has_fixed_pool:
            return
        # runs before the AAS hook's refresh: the pool this epoch trained on
        report = self._compare(pool.images[:self.num_images].clone())
        self._log(runner, 'pool_quality', report, f'the synthetic pool '
                  f'epoch {runner.epoch + 1} trained on (version '
                  f'{pool.version})')

    # -------------------------------------------------------------- parts --
    def _features(self, images: torch.Tensor) -> torch.Tensor:
        if self.guidance is None:
            return thumbnail_features(images)
        return classifier_features(self.guidance, images)

    def _real_images(self, size, channels) -> torch.Tensor:
        """Up to ``num_images`` real training images, evenly spread over
        the set, resized to the diffusion model's resolution."""
        real = self.dataset.dataset
        picks = np.linspace(0, len(real) - 1,
                            min(self.num_images, len(real))).astype(int)
        return load_resized_images(real, picks, size, channels)

    def _compare(self, images: torch.Tensor) -> dict:
        fake = self._features(images)
        real, real_images = self.real_features, self.real_images
        return dict(
            overall=dict(compare_feature_sets(real, fake),
                         colour_outliers=colour_outliers(real_images,
                                                         images)),
            real_floor=self.real_floor)

    def _log(self, runner, prefix, report, what) -> None:
        overall, floor = report['overall'], report['real_floor']
        if overall['frechet'] is None:
            return
        scalars = {f'{prefix}/{key}': overall[key]
                   for key in ('frechet', 'precision', 'recall',
                               'colour_outliers')}
        scalars[f'{prefix}/frechet_real_floor'] = floor['frechet']
        runner.visualizer.add_scalars(scalars, step=runner.epoch)
        if get_dist_info()[0] == 0:
            runner.logger.info(
                f'{prefix}: {what} against {len(self.real_features)} real '
                f'training images: Fréchet {overall["frechet"]:.2f} (real vs '
                f'real {floor["frechet"]:.2f}), precision '
                f'{overall["precision"]:.3f} (real {floor["precision"]:.3f}),'
                f' recall {overall["recall"]:.3f} (real '
                f'{floor["recall"]:.3f}), mean colour outside the real '
                f'images\' 95% range {100 * overall["colour_outliers"]:.0f}% '
                f'(real {100 * floor["colour_outliers"]:.0f}%)')
