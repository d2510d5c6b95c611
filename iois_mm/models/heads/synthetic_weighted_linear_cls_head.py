import bisect
from typing import List, Sequence, Union

import torch
from mmengine.logging import MessageHub, MMLogger
from mmpretrain.models.heads import LinearClsHead
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample


@MODELS.register_module()
class SyntheticWeightedLinearClsHead(LinearClsHead):
    """MMPretrain's ``LinearClsHead`` whose training loss weighs each
    synthetic sample (one served from the pool of a
    :class:`SyntheticMixDataset`, which marks it with the metainfo
    ``pool_slot``) by ``w`` and each real sample by 1.

    Synthetic images that carry little of their class act as label noise;
    weighting their loss down is DiffuLT's remedy (Shao et al., 2024). A
    per-epoch schedule, like MMEngine's ``MultiStepLR``, lets the pool
    shape early training and then step back: ``synthetic_loss_weight=[1.0,
    0.0], milestones=[18]`` trains on the pool in epochs 1-18 and on the
    real images alone from epoch 19. The loss is still averaged over the
    whole batch, so a weight below 1 lowers the synthetic images' share
    rather than renormalising it away.

    Args:
        synthetic_loss_weight (float | list[float]): ``w``, or one per
            interval between ``milestones`` (``len(milestones) + 1``
            values), each >= 0. Defaults to 1.0: the plain head.
        milestones (list[int]): Epochs (counted from 0, as MMEngine's
            schedulers do) at which the next weight applies.
        **kwargs: ``LinearClsHead``'s arguments.
    """

    def __init__(self,
                 synthetic_loss_weight: Union[float, Sequence[float]] = 1.0,
                 milestones: Sequence[int] = (),
                 **kwargs) -> None:
        super().__init__(**kwargs)
        weights = list(synthetic_loss_weight) if isinstance(
            synthetic_loss_weight, (list, tuple)) else [synthetic_loss_weight]
        if len(weights) != len(milestones) + 1:
            raise ValueError(
                f'synthetic_loss_weight needs one value per interval between '
                f'milestones: {len(milestones) + 1} for milestones '
                f'{list(milestones)}, got {weights}')
        if any(w < 0 for w in weights) or list(milestones) != sorted(
                set(milestones)):
            raise ValueError(
                f'synthetic_loss_weight must be >= 0 and milestones '
                f'increasing, got {weights} and {list(milestones)}')
        self.weights = [float(w) for w in weights]
        self.milestones = list(milestones)
        self._logged_weight = None

    def current_weight(self) -> float:
        """``w`` for the epoch MMEngine's runtime info says is running."""
        epoch = MessageHub.get_current_instance().get_info('epoch', 0)
        return self.weights[bisect.bisect_right(self.milestones, epoch)]

    def _get_loss(self, cls_score: torch.Tensor,
                  data_samples: List[DataSample], **kwargs) -> dict:
        weight = self.current_weight()
        if weight != self._logged_weight:
            self._logged_weight = weight
            MMLogger.get_current_instance().info(
                f'{type(self).__name__}: synthetic samples weigh {weight:g} '
                'in the loss from this epoch')
        synthetic = [s.metainfo.get('pool_slot') is not None
                     for s in data_samples]
        if 'weight' not in kwargs and weight != 1.0 and any(synthetic):
            kwargs['weight'] = cls_score.new_tensor(
                [weight if flag else 1.0 for flag in synthetic])
        return super()._get_loss(cls_score, data_samples, **kwargs)
