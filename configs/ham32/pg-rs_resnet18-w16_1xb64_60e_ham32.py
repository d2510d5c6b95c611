# HAM-32, PG-RS.
_base_ = ['./ce_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'PG-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ProgressivelyBalancedSampler'))
