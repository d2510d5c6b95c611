# HAM-64 (benchmarks/ham64/README.md): the shared 5,984-image HAM10000 copy,
# prepared into data/ham64 (meta/{train,val,test}.json), at 64x64 with the
# paper's augmentations (random crop, rotation in [-30, 30], flip).
dataset_type = 'HAM10000'
dataset_name = 'HAM-64'
data_root = 'data/ham64'
data_preprocessor = dict(
    num_classes=7, mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375], to_rgb=True)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=64, crop_ratio_range=(0.64, 1.0)),
    dict(type='Rotate', magnitude_range=(0, 30), magnitude_std='inf',
         prob=1.0, random_negative_prob=0.5, pad_val=0,
         interpolation='bilinear'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(64, 64)),
    dict(type='PackInputs'),
]

train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='meta/train.json', data_prefix='images',
                 pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=128,
    num_workers=4,
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='meta/val.json', data_prefix='images',
                 test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='ImbalancedMetric')
test_dataloader = dict(
    batch_size=128,
    num_workers=4,
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='meta/test.json', data_prefix='images',
                 test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_evaluator = val_evaluator
