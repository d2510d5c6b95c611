from typing import Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmpretrain.models.losses.utils import weight_reduce_loss
from mmpretrain.registry import MODELS


def softmax_focal_loss(cls_score: torch.Tensor,
                       target: torch.Tensor,
                       gamma: float = 2.0,
                       class_weight: Optional[torch.Tensor] = None
                       ) -> torch.Tensor:
    """Per-sample multi-class focal loss (Lin et al., ICCV 2017).

    ``FL(p_t) = -w_t * (1 - p_t)**gamma * log(p_t)`` with ``p_t`` the softmax
    probability of the target class and ``w_t`` its class weight. Soft
    targets (``(N, C)`` scores, e.g. from mixup) use
    ``-sum_c y_c * w_c * (1 - p_c)**gamma * log(p_c)``.
    """
    log_prob = F.log_softmax(cls_score.float(), dim=1)
    if target.dim() == 1:
        target = F.one_hot(target.long(), cls_score.size(1)).float()
    focal = -(1 - log_prob.exp()).pow(gamma) * log_prob * target.float()
    if class_weight is not None:
        focal = focal * class_weight.to(focal)
    return focal.sum(dim=1)


@MODELS.register_module()
class SoftmaxFocalLoss(nn.Module):
    """Softmax (multi-class, single-label) focal loss.

    MMPretrain's own ``FocalLoss`` is the sigmoid, multi-label form; this is
    the form the IOIS paper compares against. ``gamma=0`` with no class
    weight is exactly cross-entropy.

    Args:
        gamma (float): Focusing parameter. Defaults to 2.0.
        class_weight (Sequence[float], optional): Per-class weights (the
            alpha of Lin et al.). Defaults to None.
        reduction (str): 'mean', 'sum' or 'none'. Defaults to 'mean'.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.

    Example config::

        model = dict(head=dict(loss=dict(type='SoftmaxFocalLoss', gamma=2.0)))
    """

    def __init__(self,
                 gamma: float = 2.0,
                 class_weight: Optional[Sequence[float]] = None,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        super().__init__()
        if gamma < 0:
            raise ValueError(f'gamma must be >= 0, got {gamma}')
        self.gamma = gamma
        self.reduction = reduction
        self.loss_weight = loss_weight
        self.register_buffer(
            'class_weight',
            None if class_weight is None else torch.tensor(
                class_weight, dtype=torch.float32),
            persistent=False)

    def forward(self,
                cls_score: torch.Tensor,
                label: torch.Tensor,
                weight: Optional[torch.Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                **kwargs) -> torch.Tensor:
        reduction = reduction_override or self.reduction
        class_weight = self.get_class_weight()
        if (class_weight is not None
                and class_weight.numel() != cls_score.size(1)):
            raise ValueError(
                f'{type(self).__name__} has {class_weight.numel()} class '
                f'weights but the classifier outputs {cls_score.size(1)} '
                'classes')
        loss = softmax_focal_loss(cls_score, label, self.gamma, class_weight)
        if weight is not None:
            weight = weight.float()
        return self.loss_weight * weight_reduce_loss(
            loss, weight=weight, reduction=reduction, avg_factor=avg_factor)

    def get_class_weight(self) -> Optional[torch.Tensor]:
        return self.class_weight
