# The paper's augmentation (Sec. 3.2): 224x224 inputs, random cropping,
# random rotation in [-30, 30] degrees, horizontal flipping. ImageNet
# normalisation, matching the ImageNet-initialised backbone.
data_preprocessor = dict(
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    to_rgb=True,
)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=224, crop_ratio_range=(0.64, 1.0)),
    # uniform angle in [-30, 30]: |angle| ~ U(0, 30), sign flipped w.p. 0.5
    dict(
        type='Rotate',
        magnitude_range=(0, 30),
        magnitude_std='inf',
        prob=1.0,
        random_negative_prob=0.5,
        pad_val=0,
        interpolation='bilinear'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]

test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(224, 224)),
    dict(type='PackInputs'),
]
