# CE on a grayscale data set of one's own (prepare_folders.py --grayscale):
# ce_resnet18_own-data.py with one-channel images and classifier.
_base_ = [
    '../_base_/datasets/own_data-gray_bs64.py',
    '../_base_/models/resnet18_cifar-stem_scratch.py',
    '../_base_/schedules/sgd_lr0.05_step_60e.py',
    '../_base_/default_runtime.py',
]
method_name = 'CE Loss'
data_root = 'data/own'  # prepare_folders.py --out-dir
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
model = dict(
    backbone=dict(in_channels=1, stem_channels=16, base_channels=16),
    head=dict(num_classes=2, in_channels=128))  # your number of classes
