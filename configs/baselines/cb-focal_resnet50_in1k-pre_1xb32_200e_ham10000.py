# CB-Focal baseline (Cui et al. 2019): focal loss weighted by the inverse
# effective number of samples; ClassCountsHook reads the class counts from
# the training set.
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_ham10000.py']
method_name = 'CB-Focal'
model = dict(
    head=dict(
        loss=dict(
            _delete_=True, type='ClassBalancedFocalLoss', beta=0.9999,
            gamma=2.0)))
