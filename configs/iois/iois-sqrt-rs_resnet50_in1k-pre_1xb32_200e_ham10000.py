# IOIS with square-root re-sampling over real + synthetic images (the
# sampler reads the pool's labels every epoch).
_base_ = ['../iois_resnet50_ham10000.py']
method_name = 'Ours (+OIS, AAS) + Sqrt-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
