from typing import Optional, Sequence

import torch
from mmpretrain.registry import MODELS

from .softmax_focal_loss import SoftmaxFocalLoss


def class_balanced_weights(class_counts: Sequence[int],
                           beta: float) -> torch.Tensor:
    """Cui et al. (CVPR 2019), Eq. 3: weight ``(1 - beta) / (1 - beta**n_c)``
    per class (the inverse effective number of samples), normalised so the
    weights sum to the number of classes."""
    counts = torch.as_tensor(class_counts, dtype=torch.float64)
    if (counts <= 0).any():
        empty = torch.nonzero(counts <= 0).flatten().tolist()
        raise ValueError(
            f'class-balanced weights need every class in the training set; '
            f'classes {empty} have no samples')
    weights = (1.0 - beta) / (1.0 - torch.pow(beta, counts))
    return (weights * len(counts) / weights.sum()).float()


@MODELS.register_module()
class ClassBalancedFocalLoss(SoftmaxFocalLoss):
    """Class-balanced softmax focal loss (Cui et al., CVPR 2019).

    Each sample's focal loss is weighted by the inverse effective number of
    samples of its class, ``(1 - beta) / (1 - beta**n_c)``. The counts
    ``n_c`` come from the training set: :class:`ClassCountsHook` (in our
    ``default_hooks``) hands them over before training starts, so configs
    never carry a hand-typed list that could drift from the data.

    Args:
        beta (float): In [0, 1). 0 gives plain focal loss; towards 1 the
            weights approach inverse class frequency. Defaults to 0.9999.
        gamma (float): Focal parameter. Defaults to 2.0.
        class_counts (Sequence[int], optional): Explicit counts, for use
            outside the runner. Defaults to None (set by the hook).
        reduction (str): Defaults to 'mean'.
        loss_weight (float): Defaults to 1.0.

    Example config::

        model = dict(head=dict(loss=dict(
            type='ClassBalancedFocalLoss', beta=0.9999, gamma=2.0)))
    """

    needs_class_counts = True

    def __init__(self,
                 beta: float = 0.9999,
                 gamma: float = 2.0,
                 class_counts: Optional[Sequence[int]] = None,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0):
        if not 0 <= beta < 1:
            raise ValueError(f'beta must be in [0, 1), got {beta}')
        super().__init__(gamma=gamma, reduction=reduction,
                         loss_weight=loss_weight)
        self.beta = beta
        self.class_counts = None
        if class_counts is not None:
            self.set_class_counts(class_counts)

    def set_class_counts(self, class_counts: Sequence[int]) -> None:
        self.class_counts = [int(n) for n in class_counts]
        device = None if self.class_weight is None \
            else self.class_weight.device
        self.class_weight = class_balanced_weights(
            self.class_counts, self.beta).to(device)

    def get_class_weight(self) -> Optional[torch.Tensor]:
        if self.class_weight is None:
            raise RuntimeError(
                'ClassBalancedFocalLoss has no class counts. Keep '
                "default_hooks.class_counts=dict(type='ClassCountsHook') in "
                'the config (it reads them from the training set), or pass '
                'class_counts=[...].')
        return self.class_weight
