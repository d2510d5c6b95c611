# IOIS with square-root re-sampling over real + synthetic images (the
# sampler reads the pool's labels every epoch).
_base_ = ['../iois_resnet50_aptos.py']
method_name = 'Ours (+OIS, AAS) + Sqrt-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
