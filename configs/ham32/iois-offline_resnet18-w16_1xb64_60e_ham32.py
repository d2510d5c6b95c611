# HAM-32, IOIS (+offline): one pool of 1200 images, equal counts per class,
# generated before training by the diffusion model guided by the CE model
# (seed 0): benchmarks/ham32/run.sh makes it with tools/synthesize.py.
_base_ = ['./iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+offline)'
train_dataloader = dict(
    dataset=dict(capacity=None, pool_file='data/ham32/synthetic_pool.npz'))
custom_hooks = []
