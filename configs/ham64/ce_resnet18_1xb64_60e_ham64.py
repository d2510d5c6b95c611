# HAM-64, CE Loss.
_base_ = [
    '../_base_/datasets/ham64_bs64.py',
    '../_base_/models/resnet18_cifar-stem_scratch.py',
    '../_base_/schedules/sgd_lr0.05_step_60e.py',
    '../_base_/default_runtime.py',
]
method_name = 'CE Loss'
