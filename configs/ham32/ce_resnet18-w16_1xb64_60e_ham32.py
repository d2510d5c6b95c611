# HAM-32, CE Loss: ResNet-18 (3x3 stem, 16 base channels) from scratch,
# HAM-64's schedule (60 epochs, lr x 0.1 at 18/36/54).
_base_ = [
    '../_base_/datasets/ham32_bs64.py',
    '../_base_/models/resnet18_cifar-stem_scratch.py',
    '../_base_/schedules/sgd_lr0.05_step_60e.py',
    '../_base_/default_runtime.py',
]
method_name = 'CE Loss'
model = dict(
    backbone=dict(stem_channels=16, base_channels=16),
    head=dict(in_channels=128))
