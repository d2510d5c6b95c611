# HAM-64, Focal Loss (gamma 2).
_base_ = ['./ce_resnet18_1xb64_60e_ham64.py']
method_name = 'Focal Loss'
model = dict(
    head=dict(loss=dict(_delete_=True, type='SoftmaxFocalLoss', gamma=2.0)))
