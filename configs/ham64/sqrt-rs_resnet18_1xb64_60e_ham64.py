# HAM-64, Sqrt-RS.
_base_ = ['./ce_resnet18_1xb64_60e_ham64.py']
method_name = 'Sqrt-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
