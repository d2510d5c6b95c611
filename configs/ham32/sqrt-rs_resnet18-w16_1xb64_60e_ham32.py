# HAM-32, Sqrt-RS.
_base_ = ['./ce_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Sqrt-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
