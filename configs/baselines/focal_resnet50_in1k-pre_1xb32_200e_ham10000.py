# Focal Loss baseline (Lin et al. 2017): softmax focal loss, gamma 2.
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_ham10000.py']
method_name = 'Focal Loss'
model = dict(
    head=dict(loss=dict(_delete_=True, type='SoftmaxFocalLoss', gamma=2.0)))
