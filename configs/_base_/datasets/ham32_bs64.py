# HAM-32 (benchmarks/ham32/README.md): HAM-64's data at 32x32, prepared into
# data/ham32, with the same augmentations; few loader workers, so that many
# runs share one machine (the GPU preset trains 24 runs at once).
_base_ = ['./ham64_bs64.py']
dataset_name = 'HAM-32'
data_root = 'data/ham32'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=32, crop_ratio_range=(0.64, 1.0)),
    dict(type='Rotate', magnitude_range=(0, 30), magnitude_std='inf',
         prob=1.0, random_negative_prob=0.5, pad_val=0,
         interpolation='bilinear'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(32, 32)),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=1,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = dict(
    num_workers=1,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
