"""iois_mm.utils.classifier_checkpoint: the trained classifier the tools
guide and judge with."""
import pytest
import torch
from mmengine.config import Config

import iois_mm  # noqa: F401  (registers components)
from iois_mm.utils.classifier_checkpoint import load_classifier
from mmpretrain.registry import MODELS


def tiny_classifier_cfg(num_classes):
    return Config(dict(model=dict(
        type='ImageClassifier',
        backbone=dict(type='ResNet_CIFAR', depth=18, stem_channels=4,
                      base_channels=4),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=num_classes,
                  in_channels=32, loss=dict(type='CrossEntropyLoss')))))


def save_trained(cfg, path):
    torch.manual_seed(3)
    model = MODELS.build(cfg.model)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_()
    torch.save(dict(state_dict=model.state_dict(),
                    meta=dict(dataset_meta=dict(classes=['a', 'b', 'c']))),
               path)
    return model


def test_the_checkpoint_weights_in_eval_mode(tmp_path):
    cfg = tiny_classifier_cfg(3)
    trained = save_trained(cfg, tmp_path / 'epoch_1.pth')
    loaded, meta = load_classifier(cfg, str(tmp_path / 'epoch_1.pth'))
    assert not loaded.training
    assert meta['dataset_meta']['classes'] == ['a', 'b', 'c']
    images = torch.rand(2, 3, 32, 32)
    trained.eval()
    with torch.no_grad():
        assert torch.allclose(loaded(images), trained(images))


def test_a_checkpoint_of_another_class_count_is_refused(tmp_path):
    save_trained(tiny_classifier_cfg(3), tmp_path / 'epoch_1.pth')
    with pytest.raises(RuntimeError, match='size mismatch|shape'):
        load_classifier(tiny_classifier_cfg(5), str(tmp_path / 'epoch_1.pth'))


def test_a_missing_checkpoint_names_its_path(tmp_path):
    missing = str(tmp_path / 'best.pth')
    with pytest.raises(FileNotFoundError, match=missing):
        load_classifier(tiny_classifier_cfg(3), missing)
