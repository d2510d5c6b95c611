"""The diffusion-model quality measures on feature sets with known answers:
Fréchet distance against the closed form for Gaussians, k-NN precision and
recall on separated clusters and on mode dropping."""
import pytest
import torch

from iois_mm.evaluation import (colour_outliers, compare_feature_sets,
                                frechet_distance, knn_precision_recall,
                                quality_report)


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


def coloured_images(n, colour, spread, seed):
    """uint8 (n, 8, 8, 3) images of one flat colour each, drawn around
    ``colour`` (RGB) with a per-channel std of ``spread``, plus pixel noise."""
    generator = torch.Generator().manual_seed(seed)
    means = torch.tensor(colour, dtype=torch.float64) + spread * torch.randn(
        n, 3, generator=generator, dtype=torch.float64)
    pixels = means[:, None, None, :] + 8 * torch.randn(
        n, 8, 8, 3, generator=generator, dtype=torch.float64)
    return pixels.clamp(0, 255).round().to(torch.uint8)


def test_colour_outliers_of_skin_against_wrong_colours():
    skin = coloured_images(2000, (204, 132, 136), 20, seed=12)
    more_skin = coloured_images(2000, (204, 132, 136), 20, seed=13)
    green = coloured_images(200, (60, 200, 90), 20, seed=14)
    # images like the real ones: about the 5% the 95% range leaves out
    assert colour_outliers(skin, more_skin) == pytest.approx(0.05, abs=0.015)
    assert colour_outliers(skin, green) == 1.0
    # float samples in [-1, 1] read the same as their uint8 images
    samples = more_skin.permute(0, 3, 1, 2).double() / 127.5 - 1
    assert colour_outliers(skin, samples) == colour_outliers(skin, more_skin)
    # grayscale images: one channel
    gray = coloured_images(500, (120, 120, 120), 15, seed=15)[..., :1]
    brighter = (gray.int() + 100).clamp(max=255).to(torch.uint8)
    assert colour_outliers(gray, brighter) > 0.99
    assert colour_outliers(gray, gray) == pytest.approx(0.05, abs=0.01)


def test_colour_outliers_of_grey_images_and_small_sets():
    # grey images read as RGB vary in brightness only: a tint still counts
    grey = coloured_images(500, (120, 120, 120), 15, seed=16)
    grey = grey[..., :1].expand(-1, -1, -1, 3).contiguous()
    tinted = grey.clone()
    tinted[..., 1] = (grey[..., 1].int() + 40).clamp(max=255).to(torch.uint8)
    assert colour_outliers(grey, tinted) > 0.99
    # a grayscale model's samples against colour images: compared as grey
    skin = coloured_images(500, (204, 132, 136), 20, seed=17)
    assert colour_outliers(skin, grey[..., :1]) == 1.0
    assert colour_outliers(grey, grey[..., :1]) == colour_outliers(grey, grey)
    assert colour_outliers(skin[:1], skin) is None
    with pytest.raises(ValueError, match='channels'):
        colour_outliers(skin[..., :2], skin)
