from typing import Optional, Sized

import numpy as np
from mmengine.logging import MessageHub
from mmpretrain.registry import DATA_SAMPLERS

from .class_resampler import ClassResampler


@DATA_SAMPLERS.register_module()
class ProgressivelyBalancedSampler(ClassResampler):
    """Progressively-balanced re-sampling (PG-RS; Kang et al., ICLR 2020).

    At epoch ``t`` of ``T`` class ``c`` is drawn with probability
    ``(1 - t/T) * n_c / N + (t/T) / C``: instance-balanced at the first epoch,
    moving linearly towards class-balanced at the last.

    Args:
        dataset (Sized): The training dataset.
        num_epochs (int, optional): ``T``. Defaults to None: the runner's
            ``train_cfg.max_epochs`` (read when each epoch starts, so a
            ``--cfg-options train_cfg.max_epochs=...`` override is honoured).
        seed (int, optional): Shared random seed.
        resample_real_only (bool): See :class:`ClassResampler`.

    Example config::

        train_dataloader = dict(
            sampler=dict(type='ProgressivelyBalancedSampler'))
    """

    def __init__(self,
                 dataset: Sized,
                 num_epochs: Optional[int] = None,
                 seed: Optional[int] = None,
                 resample_real_only: bool = False) -> None:
        super().__init__(dataset, seed=seed,
                         resample_real_only=resample_real_only)
        self.num_epochs = num_epochs

    def total_epochs(self) -> int:
        if self.num_epochs is not None:
            return self.num_epochs
        max_epochs = MessageHub.get_current_instance().get_info('max_epochs')
        if max_epochs is None:
            raise RuntimeError(
                'ProgressivelyBalancedSampler needs the number of epochs: '
                'use it in an epoch-based runner or pass num_epochs=...')
        return int(max_epochs)

    def class_probabilities(self, class_counts: np.ndarray) -> np.ndarray:
        progress = min(self.epoch / self.total_epochs(), 1.0)
        instance_balanced = class_counts / class_counts.sum()
        present = class_counts > 0
        class_balanced = present / present.sum()
        return (1 - progress) * instance_balanced + progress * class_balanced
