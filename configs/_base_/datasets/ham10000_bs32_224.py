# HAM10000, prepared by tools/dataset_converters/prepare_ham10000.py into
# data/ham10000/ (meta/{train,val,test}.json and an images/ link).
_base_ = ['./pipelines/medical_224.py']

dataset_type = 'HAM10000'
# the column group in tools/analysis/collect_results.py
dataset_name = 'HAM10000'
data_root = 'data/ham10000'
data_preprocessor = dict(num_classes=7)

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
