# CE on a data set of one's own (README.md, "Your own data set"): a
# ResNet-18 for small images (3x3 stem, 16 base channels) from scratch,
# 60 epochs. Copy this file and set data_root and num_classes below (a
# mismatch with the data set's classes stops training at start-up).
_base_ = [
    '../_base_/datasets/own_data_bs64.py',
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
    backbone=dict(stem_channels=16, base_channels=16),
    head=dict(num_classes=2, in_channels=128))  # your number of classes
