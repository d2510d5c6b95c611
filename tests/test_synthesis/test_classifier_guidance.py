"""ClassifierGuidance: the diffusion model's images as the classifier sees
them."""
import torch
from mmpretrain.models import ImageClassifier

from iois_mm.synthesis import ClassifierGuidance


def test_grayscale_images_reach_colour_and_grayscale_classifiers():
    gray = torch.rand(2, 1, 8, 8) * 2 - 1
    colour = torch.rand(2, 3, 8, 8) * 2 - 1
    for channels, to_rgb in ((3, True), (1, False)):
        classifier = ImageClassifier(
            backbone=dict(type='ResNet_CIFAR', depth=18, in_channels=channels,
                          base_channels=8, stem_channels=8),
            neck=dict(type='GlobalAveragePooling'),
            head=dict(type='LinearClsHead', num_classes=2, in_channels=64),
            data_preprocessor=dict(mean=[127.5] * channels,
                                   std=[127.5] * channels, to_rgb=to_rgb))
        guidance = ClassifierGuidance(classifier)
        for images in (gray, colour):
            pixels = guidance.to_classifier_input(images)
            assert pixels.shape == (2, channels, 8, 8)
        if channels == 3:  # a gray image is three equal channels
            pixels = guidance.to_classifier_input(gray)
            assert torch.allclose(pixels[:, 0], pixels[:, 2])
            assert torch.allclose(pixels[:, 0], gray[:, 0], atol=1e-5)
        else:  # a colour image is its luminance
            pixels = guidance.to_classifier_input(colour)
            weights = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)
            assert torch.allclose(pixels, (colour * weights).sum(
                1, keepdim=True), atol=1e-5)
        labels = torch.tensor([0, 1])
        grad, _ = guidance.log_prob_grad(gray, labels)
        assert grad.shape == gray.shape and torch.isfinite(grad).all()
