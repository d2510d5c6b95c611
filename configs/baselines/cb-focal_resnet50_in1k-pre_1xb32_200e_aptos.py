# CB-Focal baseline (Cui et al. 2019; configs/_base_/losses/).
_base_ = [
    './ce_resnet50_in1k-pre_1xb32_200e_aptos.py',
    '../_base_/losses/cb-focal_beta0.9999_gamma2.py',
]
method_name = 'CB-Focal'
model = dict(head=dict(loss={{_base_.cb_focal_loss}}))
