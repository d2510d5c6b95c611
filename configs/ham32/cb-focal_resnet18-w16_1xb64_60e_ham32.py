# HAM-32, CB-Focal (beta 0.9999, gamma 2; counts from the training set).
_base_ = [
    './ce_resnet18-w16_1xb64_60e_ham32.py',
    '../_base_/losses/cb-focal_beta0.9999_gamma2.py',
]
method_name = 'CB-Focal'
model = dict(head=dict(loss={{_base_.cb_focal_loss}}))
