# CB-Focal (Cui et al. 2019): focal loss (gamma 2) weighted by the inverse
# effective number of samples (beta 0.9999); ClassCountsHook reads the class
# counts from the training set. A leaf uses it as
#   model = dict(head=dict(loss={{_base_.cb_focal_loss}}))
cb_focal_loss = dict(
    _delete_=True, type='ClassBalancedFocalLoss', beta=0.9999, gamma=2.0)
