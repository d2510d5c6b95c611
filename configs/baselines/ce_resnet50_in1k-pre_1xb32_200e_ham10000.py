# CE Loss baseline (paper Table 1, first row): ResNet-50, cross-entropy.
_base_ = [
    '../_base_/datasets/ham10000_bs32_224.py',
    '../_base_/models/resnet50_in1k-pre.py',
    '../_base_/schedules/sgd_lr0.0125_step_200e.py',
    '../_base_/default_runtime.py',
]
method_name = 'CE Loss'
model = dict(head=dict(num_classes=7))
