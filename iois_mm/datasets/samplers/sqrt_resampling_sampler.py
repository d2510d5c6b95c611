import numpy as np
from mmpretrain.registry import DATA_SAMPLERS

from .class_resampler import ClassResampler


@DATA_SAMPLERS.register_module()
class SqrtResamplingSampler(ClassResampler):
    """Square-root re-sampling (Sqrt-RS; Mahajan et al., ECCV 2018).

    Class ``c`` is drawn with probability ``sqrt(n_c) / sum_k sqrt(n_k)``:
    between instance-balanced (``n_c``) and class-balanced (constant)
    sampling. Images of a class are drawn uniformly, with replacement; the
    epoch keeps the dataset's length.

    Example config::

        train_dataloader = dict(sampler=dict(type='SqrtResamplingSampler'))
    """

    def class_probabilities(self, class_counts: np.ndarray) -> np.ndarray:
        root = np.sqrt(class_counts.astype(np.float64))
        return root / root.sum()
