"""The diffusion-model quality measures on feature sets with known answers:
Fréchet distance against the closed form for Gaussians, k-NN precision and
recall on separated clusters and on mode dropping."""
import pytest
import torch

from iois_mm.evaluation import (compare_feature_sets, frechet_distance,
                                knn_precision_recall, quality_report)


def gaussian(n, dim, mean=0.0, scale=1.0, seed=0):
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(n, dim, generator=generator, dtype=torch.float64) \
        * scale + mean


def test_frechet_distance_matches_the_closed_form():
    a = gaussian(4000, 4, seed=1)
    assert frechet_distance(a, a) == pytest.approx(0, abs=1e-9)
    # N(0, I) vs N(m, s^2 I) in d dims: d m^2 + d (1 - s)^2
    b = gaussian(4000, 4, mean=2.0, scale=3.0, seed=2)
    assert frechet_distance(a, b) == pytest.approx(4 * 4 + 4 * 4, rel=0.05)


def test_precision_and_recall_on_clusters_and_dropped_modes():
    real = torch.cat([gaussian(200, 2, mean=0.0, scale=0.1, seed=3),
                      gaussian(200, 2, mean=10.0, scale=0.1, seed=4)])
    same = torch.cat([gaussian(200, 2, mean=0.0, scale=0.1, seed=5),
                      gaussian(200, 2, mean=10.0, scale=0.1, seed=6)])
    elsewhere = gaussian(400, 2, mean=-20.0, scale=0.1, seed=7)
    one_mode = gaussian(400, 2, mean=0.0, scale=0.1, seed=8)
    assert knn_precision_recall(real, same)['precision'] > 0.9
    assert knn_precision_recall(real, same)['recall'] > 0.9
    assert knn_precision_recall(real, elsewhere) == dict(precision=0.0,
                                                         recall=0.0)
    dropped = knn_precision_recall(real, one_mode)
    assert dropped['precision'] > 0.9  # faithful ...
    assert dropped['recall'] == pytest.approx(0.5, abs=0.05)  # ... half


def test_report_per_class_and_too_small_classes():
    real = torch.cat([gaussian(50, 3, mean=0.0, seed=9),
                      gaussian(3, 3, mean=5.0, seed=10)])
    real_labels = torch.tensor([0] * 50 + [1] * 3)
    fake = gaussian(40, 3, mean=0.0, seed=11)
    report = quality_report(real, real_labels, fake, torch.zeros(40).long(),
                            ['a', 'b'])
    assert report['per_class']['a']['precision'] > 0.8
    assert report['per_class']['b'] == dict(frechet=None, precision=None,
                                            recall=None, real=3, generated=0)
    assert report['real_floor']['real'] == 27
    assert compare_feature_sets(real, fake)['generated'] == 40
