"""How close generated images are to real ones, in a classifier's features.

No Inception network can be downloaded offline, so the feature space is a
classifier trained on the same data (the CE model of a protocol): its
pooled penultimate features; or, where no trained classifier exists yet
(the start of a run from scratch), 8x8 colour thumbnails, which need no
training and still separate noise, wrong colours or another kind of image
from the real ones. Two measures, on the same features:

- the Fréchet distance between Gaussians fitted to the two sets (the
  construction of FID, Heusel et al. 2017): lower is closer, 0 for equal
  distributions; its scale depends on the feature space, so read it against
  the distance between two sets of *real* images (``real_floor``);
- k-nearest-neighbour precision and recall (Kynkäänniemi et al. 2019):
  precision is the share of generated images that fall inside the real
  images' manifold (fidelity), recall the share of real images inside the
  generated images' manifold (coverage), each in [0, 1].

And one measure on the images themselves, which says what is wrong when
precision is low: the share of images whose mean colour lies outside the
real images' usual range (``colour_outliers``; about 5% for real images).
"""
from typing import Dict, Optional, Sequence

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ..synthesis import ClassifierGuidance


def frechet_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """Fréchet distance between Gaussians fitted to feature sets (N, D):
    ``|mu_a - mu_b|^2 + tr(A + B - 2 (A^1/2 B A^1/2)^1/2)``."""
    a, b = a.double(), b.double()
    cov_a, cov_b = torch.cov(a.T), torch.cov(b.T)
    values, vectors = torch.linalg.eigh(cov_a)
    root_a = vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T
    middle = torch.linalg.eigvalsh(root_a @ cov_b @ root_a)
    distance = ((a.mean(0) - b.mean(0)).pow(2).sum() +
                torch.trace(cov_a + cov_b) -
                2 * middle.clamp(min=0).sqrt().sum())
    return max(0.0, float(distance))  # 0 up to rounding for equal sets


def _knn_radii(features: torch.Tensor, k: int) -> torch.Tensor:
    distances = torch.cdist(features, features)
    # the k-th neighbour other than the point itself (column 0 is itself)
    return distances.kthvalue(min(k + 1, len(features)), dim=1).values


def knn_precision_recall(real: torch.Tensor, fake: torch.Tensor,
                         k: int = 3) -> Dict[str, float]:
    """Improved precision and recall (Kynkäänniemi et al. 2019): a sample
    is inside a set's manifold when it lies within the k-NN radius of one of
    the set's points."""
    real, fake = real.double(), fake.double()
    cross = torch.cdist(fake, real)  # (fake, real)
    precision = (cross <= _knn_radii(real, k)[None, :]).any(1).double()
    recall = (cross.T <= _knn_radii(fake, k)[None, :]).any(1).double()
    return dict(precision=float(precision.mean()),
                recall=float(recall.mean()))


def load_resized_images(dataset, indices: Sequence[int],
                        size: Sequence[int], channels: int = 3
                        ) -> torch.Tensor:
    """The dataset's images at ``indices`` as uint8 (N, H, W, C), RGB (or
    grayscale for ``channels=1``), resized (bicubic) to ``size`` = (H, W),
    the diffusion model's."""
    mode = {3: 'RGB', 1: 'L'}[channels]
    images = []
    for index in indices:
        path = dataset.get_data_info(int(index))['img_path']
        with Image.open(path) as image:
            images.append(np.asarray(image.convert(mode).resize(
                (size[1], size[0]), Image.BICUBIC)).reshape(
                    size[0], size[1], channels))
    return torch.from_numpy(np.stack(images))


def as_samples(images: torch.Tensor) -> torch.Tensor:
    """uint8 (N, H, W, C) images or float (N, C, H, W) samples in [-1, 1],
    as float samples."""
    if images.dtype == torch.uint8:
        return images.permute(0, 3, 1, 2).float() / 127.5 - 1
    return images.float()


def thumbnail_features(images: torch.Tensor, size: int = 8) -> torch.Tensor:
    """Area-averaged ``size`` x ``size`` thumbnails, flattened (N, C*s*s):
    colour and layout, no learnt weights."""
    return F.adaptive_avg_pool2d(as_samples(images), size).flatten(1)


@torch.no_grad()
def classifier_features(guidance: ClassifierGuidance, images: torch.Tensor,
                        batch_size: int = 256) -> torch.Tensor:
    """Pooled features (N, D) of RGB images: uint8 (N, H, W, 3) or float
    in [-1, 1] (N, 3, H, W), in the guiding classifier's feature space."""
    images = as_samples(images)
    outputs = []
    with guidance.eval_mode():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size].to(guidance.device)
            features = guidance.classifier.extract_feat(
                guidance.to_classifier_input(batch))[-1]
            outputs.append(features.float().cpu())
    return torch.cat(outputs)


def colour_outliers(real: torch.Tensor, fake: torch.Tensor,
                    quantile: float = 0.95) -> Optional[float]:
    """The share of ``fake`` images whose mean colour is further from the
    real images' than ``quantile`` of the real images are (Mahalanobis
    distance under a Gaussian fitted to the real images' per-image mean
    colours). About ``1 - quantile`` for images like the real ones; near 1
    for a model that has not learnt the data's colours (HAM-32's CPU model:
    0.91 with DDIM 25 or DPM-Solver++ 10). Images as ``as_samples`` takes;
    grayscale against colour compares as grey RGB. None when a set has
    fewer than 2 images."""
    if min(len(real), len(fake)) < 2:
        return None
    real_means, fake_means = (as_samples(images).mean(dim=(2, 3)).double()
                              for images in (real, fake))  # (N, C)
    channels = max(real_means.shape[1], fake_means.shape[1])
    if {real_means.shape[1], fake_means.shape[1]} - {1, channels}:
        raise ValueError(f'images of {real_means.shape[1]} and '
                         f'{fake_means.shape[1]} channels do not compare')
    real_means, fake_means = (means.expand(-1, channels)
                              for means in (real_means, fake_means))
    centre = real_means.mean(0)
    # a floor of one grey level: a colour the real images never vary in
    # (grey images read as RGB) still counts when the samples leave it
    covariance = torch.atleast_2d(torch.cov(real_means.T)) + \
        (2 / 255)**2 * torch.eye(channels, dtype=torch.float64)
    inverse = torch.linalg.inv(covariance)

    def distance(means):
        offset = means - centre
        return ((offset @ inverse) * offset).sum(1)

    limit = torch.quantile(distance(real_means), quantile)
    return float((distance(fake_means) > limit).double().mean())


def compare_feature_sets(real: torch.Tensor, fake: torch.Tensor,
                         k: int = 3) -> Dict[str, float]:
    """Fréchet distance, precision and recall of ``fake`` against ``real``
    (None where a set is too small for a covariance or k neighbours)."""
    if min(len(real), len(fake)) <= k:
        return dict(frechet=None, precision=None, recall=None,
                    real=len(real), generated=len(fake))
    return dict(frechet=frechet_distance(real, fake),
                **knn_precision_recall(real, fake, k), real=len(real),
                generated=len(fake))


def quality_report(real: torch.Tensor, real_labels: torch.Tensor,
                   fake: torch.Tensor, fake_labels: Optional[torch.Tensor],
                   classes: Sequence[str], k: int = 3) -> Dict:
    """Overall and (when the generated images have labels) per-class
    comparison of feature sets, with the real-vs-real floor: the same
    measures between two halves of the real images, split per class by a
    fixed permutation."""
    generator = torch.Generator().manual_seed(0)
    order = torch.randperm(len(real), generator=generator)
    half_a, half_b = order[::2], order[1::2]
    report = dict(
        feature_dim=int(real.shape[1]), k=k,
        overall=compare_feature_sets(real, fake, k),
        real_floor=compare_feature_sets(real[half_a], real[half_b], k))
    if fake_labels is not None:
        report['per_class'] = {
            name: compare_feature_sets(real[real_labels == label],
                                       fake[fake_labels == label], k)
            for label, name in enumerate(classes)}
    return report
