"""NoiseAwareImageClassifier: noised images are normalised by their own
(auxiliary) BatchNorms, clean ones by the main ones, and guidance on a
noisy x_t goes through the auxiliary branch; plain BatchNorm weights load
into both branches."""
import pytest
import torch
from mmpretrain.registry import MODELS
from mmpretrain.structures import DataSample
from torch import nn

from iois_mm.models.classifiers import (DualBatchNorm2d, batch_norm_route,
                                        convert_to_dual_batch_norm)
from iois_mm.models.data_preprocessors import NOISE_STEP_KEY
from iois_mm.synthesis import ClassifierGuidance
from iois_mm.synthesis.classifier_guidance import guided_eps

NORMALISE = dict(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
                 to_rgb=True)


def tiny_classifier(noise_fraction=0.5):
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='NoiseAwareImageClassifier',
        data_preprocessor=dict(type='NoiseAwareClsDataPreprocessor',
                               noise_fraction=noise_fraction, **NORMALISE),
        backbone=dict(type='ResNet_CIFAR', depth=18, stem_channels=4,
                      base_channels=4, out_indices=(3, )),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=32)))


def batch(n=16, size=16):
    generator = torch.Generator().manual_seed(0)
    images = torch.randint(0, 256, (n, 3, size, size), generator=generator,
                           dtype=torch.uint8)
    return dict(inputs=list(images),
                data_samples=[DataSample().set_gt_label(i % 3)
                              for i in range(n)])


def test_a_mixed_batch_is_normalised_by_the_branch_of_each_part():
    torch.manual_seed(0)
    dual = DualBatchNorm2d(4)
    main, aux = nn.BatchNorm2d(4), nn.BatchNorm2d(4)
    with torch.no_grad():  # distinct affine parameters per branch
        dual.weight.fill_(2.0)
        dual.aux.bias.fill_(-1.0)
        main.weight.fill_(2.0)
        aux.bias.fill_(-1.0)
    inputs = torch.randn(10, 4, 5, 5)
    inputs[::2] = inputs[::2] * 3 + 5  # the noised part differs in statistics
    mask = torch.zeros(10, dtype=torch.bool)
    mask[::2] = True
    with batch_norm_route(dual, mask):
        outputs = dual(inputs)
    assert torch.allclose(outputs[mask], aux(inputs[mask]), atol=1e-6)
    assert torch.allclose(outputs[~mask], main(inputs[~mask]), atol=1e-6)
    # running statistics: each branch only from its own part
    assert torch.allclose(dual.running_mean, main.running_mean)
    assert torch.allclose(dual.aux.running_mean, aux.running_mean)
    assert not torch.allclose(dual.running_mean, dual.aux.running_mean)
    assert dual.route == 'main'  # restored after the block
    with pytest.raises(ValueError, match='route mask has 3 entries'):
        with batch_norm_route(dual, mask[:3]):
            dual(inputs)


def test_plain_batch_norm_weights_load_into_both_branches():
    torch.manual_seed(0)
    plain = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())
    plain.train()
    plain(torch.randn(8, 3, 6, 6) * 2 + 1)  # non-trivial running stats
    plain.eval()
    state = plain.state_dict()
    inputs = torch.randn(2, 3, 6, 6)
    expected = plain(inputs)
    converted = convert_to_dual_batch_norm(plain).eval()
    assert isinstance(converted[1], DualBatchNorm2d)
    fresh = convert_to_dual_batch_norm(
        nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.ReLU())).eval()
    fresh.load_state_dict(state)  # a checkpoint without aux entries
    for model in (converted, fresh):
        assert torch.allclose(model(inputs), expected, atol=1e-6)
        with batch_norm_route(model, 'aux'):
            assert torch.allclose(model(inputs), expected, atol=1e-6)


def test_training_on_noised_images_leaves_the_clean_statistics_alone():
    for fraction, moved, kept in ((1.0, 'aux', 'main'),
                                  (0.0, 'main', 'aux')):
        model = tiny_classifier(noise_fraction=fraction)
        layers = list(model.backbone.modules())
        bns = [m for m in layers if isinstance(m, DualBatchNorm2d)]
        # every BatchNorm of the ResNet-18 (stem, 16 in blocks, 3
        # shortcuts) converted; the plain ones left are their aux branches
        assert len(bns) == 20
        assert sum(type(m) is nn.BatchNorm2d for m in layers) == 20
        before = {name: bns[0].aux.running_mean.clone() if name == 'aux'
                  else bns[0].running_mean.clone()
                  for name in ('main', 'aux')}
        model.train()
        data = model.data_preprocessor(batch(), training=True)
        noised = [NOISE_STEP_KEY in s.metainfo for s in data['data_samples']]
        assert all(noised) if fraction else not any(noised)
        losses = model(**data, mode='loss')
        assert torch.isfinite(losses['loss'])
        after = dict(main=bns[0].running_mean, aux=bns[0].aux.running_mean)
        assert not torch.equal(after[moved], before[moved])
        assert torch.equal(after[kept], before[kept])


def test_guidance_on_x_t_uses_the_auxiliary_branch():
    model = tiny_classifier()
    model.train()
    for _ in range(3):  # the two branches learn different statistics
        model(**model.data_preprocessor(batch(), training=True), mode='loss')
    guidance = ClassifierGuidance(model, 16)
    images = torch.rand(4, 3, 16, 16) * 2 - 1
    labels = torch.tensor([0, 1, 2, 0])
    with guidance.eval_mode():
        clean = guidance.log_prob(images, labels)
        noisy = guidance.log_prob(images, labels, noisy=True)
        with batch_norm_route(model, 'aux'):
            logits = model(guidance.to_classifier_input(images),
                           mode='tensor')
        through_aux = logits.log_softmax(1).gather(1, labels.view(-1, 1))
        assert torch.allclose(noisy, through_aux.view(-1))
        assert not torch.allclose(clean, noisy)
        # Eq. 4 on x_t takes the auxiliary branch's gradient
        alpha_bar = torch.tensor(0.5)
        eps = torch.zeros_like(images)
        stats = dict(dropped_guidance=0)
        corrected = guided_eps(guidance, images, eps, labels, alpha_bar, 1.0,
                               'x_t', stats)
        grad, _ = guidance.log_prob_grad(images, labels, noisy=True)
        assert torch.allclose(corrected, -(0.5 ** 0.5) * grad, atol=1e-6)
    assert all(m.route == 'main' for m in model.modules()
               if isinstance(m, DualBatchNorm2d))
    # evaluation predicts with the clean branch
    model.eval()
    data = model.data_preprocessor(batch(), training=False)
    logits = model(data['inputs'], mode='tensor')
    with batch_norm_route(model, 'main'):
        assert torch.allclose(logits, model(data['inputs'], mode='tensor'))


def test_appended_noised_copies_train_and_leave_the_accuracy_count_clean():
    from iois_mm.evaluation.training_accuracy import TrainingAccuracyCounter
    model = MODELS.build(dict(
        type='NoiseAwareImageClassifier',
        data_preprocessor=dict(type='NoiseAwareClsDataPreprocessor',
                               noise_fraction=1.0, append=True, **NORMALISE),
        backbone=dict(type='ResNet_CIFAR', depth=18, stem_channels=4,
                      base_channels=4, out_indices=(3, )),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(type='LinearClsHead', num_classes=3, in_channels=32)))
    model.train()
    counter = TrainingAccuracyCounter(3)
    counter.watch(model)
    data = batch()
    loader_samples = data['data_samples']
    processed = model.data_preprocessor(data, training=True)
    assert len(processed['inputs']) == 32  # 16 clean + 16 noised copies
    losses = model(**processed, mode='loss')
    assert torch.isfinite(losses['loss'])
    counter.count_batch(loader_samples)  # what the AAS hook sees
    _, seen = counter.per_class_accuracy()
    assert sum(seen) == 16  # the clean images only
