# Demo: the CE baseline on DemoShapes, a small ResNet-18 from scratch at
# 32x32 with the paper's augmentations (crop, rotation in [-30, 30], flip).
_base_ = ['../_base_/default_runtime.py']
method_name = 'CE Loss'
dataset_name = 'DemoShapes'
data_root = 'work_dirs/demo/data'

model = dict(
    type='ImageClassifier',
    backbone=dict(type='ResNet', depth=18, stem_channels=16,
                  base_channels=16),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=5, in_channels=128,
              loss=dict(type='CrossEntropyLoss'), topk=(1, )))
data_preprocessor = dict(
    num_classes=5, mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375], to_rgb=True)

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=32, crop_ratio_range=(0.7, 1.0)),
    dict(type='Rotate', magnitude_range=(0, 30), magnitude_std='inf',
         prob=1.0, random_negative_prob=0.5, pad_val=0,
         interpolation='bilinear'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [dict(type='LoadImageFromFile'), dict(type='PackInputs')]

train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(type='DemoShapes', data_root=data_root,
                 ann_file='meta/train.json', data_prefix='images',
                 pipeline=train_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(type='DemoShapes', data_root=data_root,
                 ann_file='meta/val.json', data_prefix='images',
                 test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = dict(
    batch_size=64,
    num_workers=0,
    dataset=dict(type='DemoShapes', data_root=data_root,
                 ann_file='meta/test.json', data_prefix='images',
                 test_mode=True, pipeline=test_pipeline),
    sampler=dict(type='DefaultSampler', shuffle=False))
val_evaluator = dict(type='ImbalancedMetric')
test_evaluator = val_evaluator

optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.05, momentum=0.9, weight_decay=5e-4))
param_scheduler = dict(type='CosineAnnealingLR', by_epoch=True, eta_min=1e-4)
train_cfg = dict(by_epoch=True, max_epochs=12, val_interval=1)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(logger=dict(interval=10))
