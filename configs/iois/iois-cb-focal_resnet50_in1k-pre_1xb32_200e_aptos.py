# IOIS with the class-balanced focal loss: CB weights from the real training
# images' class counts, synthetic pool from OIS + AAS.
_base_ = ['../iois_resnet50_aptos.py']
method_name = 'Ours (+OIS, AAS) + CB-Focal'
model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='ClassBalancedFocalLoss', beta=0.9999,
            gamma=2.0)))
