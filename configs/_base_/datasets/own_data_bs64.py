# A data set of one's own, prepared by tools/dataset_converters/
# prepare_folders.py into data_root (square images at the size the
# classifier and the diffusion model work at, meta/{train,val,test}.json):
# no resizing here, a horizontal flip as the only augmentation. A leaf sets
# data_root in the three loaders and model.head.num_classes.
dataset_type = 'PreparedImageDataset'
data_root = 'data/own'
data_preprocessor = dict(
    mean=[127.5, 127.5, 127.5], std=[127.5, 127.5, 127.5], to_rgb=True)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=64,
    num_workers=2,
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='meta/train.json', data_prefix='images',
                 pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=128,
    num_workers=1,
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='meta/val.json', data_prefix='images',
                 test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='ImbalancedMetric')
test_dataloader = dict(
    batch_size=128,
    num_workers=1,
    dataset=dict(type=dataset_type, data_root=data_root,
                 ann_file='meta/test.json', data_prefix='images',
                 test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_evaluator = val_evaluator
