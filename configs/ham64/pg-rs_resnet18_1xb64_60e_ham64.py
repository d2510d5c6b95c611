# HAM-64, PG-RS.
_base_ = ['./ce_resnet18_1xb64_60e_ham64.py']
method_name = 'PG-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='ProgressivelyBalancedSampler'))
