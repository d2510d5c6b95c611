"""The hooks' synthesizer, and where the new images of a pool refresh start:
pure noise (the paper) or a warm start from the previous pool or from real
images (the AAS hook's ``refresh_strength`` and ``warm_start_from``)."""
import copy
from typing import Optional, Sequence

import torch
from mmengine.dist import get_dist_info
from mmpretrain.registry import MODELS

from ..datasets.real_image_bank import RealImageBank
from ..synthesis.warm_start import check_strength

WARM_START_SOURCES = ('pool', 'real')


def build_synthesizer(cfg: Optional[dict], owner: str, **overrides):
    """The synthesizer a hook (``owner``) uses: ``cfg`` (the hook's own, or
    the config's top-level ``synthesizer``) with ``overrides``; a progress
    bar on rank 0 only."""
    if not cfg:
        raise ValueError(
            f'{owner} has no synthesizer: set '
            "synthesizer=dict(type='GuidedDiffusionSynthesizer', ...) in "
            'the hook or at the top level of the config')
    cfg = copy.deepcopy(cfg)
    if get_dist_info()[0] != 0:
        cfg['progress'] = False
    cfg.update(overrides)
    return MODELS.build(cfg)


def check_refresh_options(strength: float, start_from: str) -> None:
    check_strength(strength)
    if start_from not in WARM_START_SOURCES:
        raise ValueError(f'warm_start_from must be one of '
                         f'{WARM_START_SOURCES}, got {start_from!r}')


class RefreshImageSource:
    """Generates the images of a refresh with ``synthesizer``.

    Args:
        synthesizer: A :class:`GuidedDiffusionSynthesizer`.
        strength (float): 1 generates every image from pure noise; ``s`` in
            (0, 1) runs only the last ``s`` of the trajectory from a
            starting image of the class, noised to that point.
        start_from (str): ``'pool'``: the previous pool's image of the class
            (slots without one, and the first pool, come from noise);
            ``'real'``: a real training image of the class drawn at random.
        real_dataset: The real training set (read only for ``'real'``).
    """

    def __init__(self, synthesizer, strength: float = 1.0,
                 start_from: str = 'pool', real_dataset=None) -> None:
        check_refresh_options(strength, start_from)
        self.synthesizer = synthesizer
        self.strength = strength
        self.real_images = RealImageBank(
            real_dataset, synthesizer.image_size, synthesizer.channels) \
            if start_from == 'real' else None

    def generate(self, model, pool, slots: Sequence[int],
                 labels: Sequence[int], seed: int) -> torch.Tensor:
        """uint8 images ``(N, H, W, C)`` for ``slots`` of ``pool``, each
        guided towards its label (Eq. 3, 4)."""
        if self.strength < 1 and self.real_images is not None:
            return self.synthesizer.generate(
                model, labels, seed=seed, strength=self.strength,
                init_images=self.real_images.draw(labels, seed))[0]
        warm = self.strength < 1 and pool.filled
        sources = torch.tensor(pool.warm_start_sources(slots, labels) if warm
                               else [-1] * len(slots), dtype=torch.long)
        labels = torch.as_tensor(labels, dtype=torch.long)
        images = torch.zeros((len(slots), ) + pool.image_size +
                             (pool.channels, ), dtype=torch.uint8)
        # slots without a previous image of their class start from noise
        for from_pool in (False, True):
            chosen = (sources >= 0) if from_pool else (sources < 0)
            if chosen.any():
                images[chosen] = self.synthesizer.generate(
                    model, labels[chosen], seed=seed + int(from_pool),
                    init_images=pool.images[sources[chosen]]
                    if from_pool else None,
                    strength=self.strength if from_pool else 1.0)[0]
        return images
