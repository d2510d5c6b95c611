# APTOS, prepared by tools/dataset_converters/prepare_aptos.py into
# data/aptos/ (meta/{train,val,test}.json and an images/ link).
_base_ = ['./pipelines/medical_224.py']

dataset_type = 'APTOS'
dataset_name = 'APTOS'  # the column group in tools/analysis/collect_results.py
data_root = 'data/aptos'
data_preprocessor = dict(num_classes=5)

train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='meta/train.json',
        data_prefix='images',
        pipeline={{_base_.train_pipeline}}),
    sampler=dict(type='DefaultSampler', shuffle=True),
)

val_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='meta/val.json',
        data_prefix='images',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
val_evaluator = dict(type='ImbalancedMetric')

test_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='meta/test.json',
        data_prefix='images',
        test_mode=True,
        pipeline={{_base_.test_pipeline}}),
    sampler=dict(type='DefaultSampler', shuffle=False),
)
test_evaluator = val_evaluator
