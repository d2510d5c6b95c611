# PG-RS baseline (Kang et al. 2020): instance-balanced sampling moving
# linearly to class-balanced over the training epochs.
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_aptos.py']
method_name = 'PG-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ProgressivelyBalancedSampler'))
