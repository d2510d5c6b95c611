# Sqrt-RS baseline (Mahajan et al. 2018): class c drawn w.p. ~ sqrt(n_c).
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_ham10000.py']
method_name = 'Sqrt-RS'
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
