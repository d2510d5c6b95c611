# APTOS 2019, prepared by tools/dataset_converters/prepare_aptos.py into
# data/aptos/: the HAM10000 settings with APTOS's type, root and classes.
_base_ = ['./ham10000_bs32_224.py']

dataset_type = 'APTOS'
dataset_name = 'APTOS'
data_root = 'data/aptos'
data_preprocessor = dict(num_classes=5)
train_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
val_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
test_dataloader = dict(dataset=dict(type=dataset_type, data_root=data_root))
