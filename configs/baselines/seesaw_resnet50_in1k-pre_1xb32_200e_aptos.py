# MMPretrain's SeesawLoss (Wang et al. 2021; not in the paper).
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_aptos.py']
method_name = 'Seesaw'
model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='SeesawLoss', num_classes=5, p=0.8, q=2.0)))
