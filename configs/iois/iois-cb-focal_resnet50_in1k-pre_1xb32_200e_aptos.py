# IOIS with the class-balanced focal loss: CB weights from the real training
# images' class counts, synthetic pool from OIS + AAS.
_base_ = [
    '../iois_resnet50_aptos.py',
    '../_base_/losses/cb-focal_beta0.9999_gamma2.py',
]
method_name = 'Ours (+OIS, AAS) + CB-Focal'
model = dict(head=dict(loss={{_base_.cb_focal_loss}}))
