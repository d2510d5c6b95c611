# HAM-32, the noise-aware guide trained beside the classifier, on top of
# square-root re-sampling of the real images only, each synthetic image
# drawn once an epoch: the one-run form of
# ...-frozen-noise-aware-guide-s10-sqrt-rs-pool-once-...
_base_ = [
    './iois-ois-aas-fast-trained-guide-s10-sqrt-rs-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide trained '
               'beside, scale 10 + Sqrt-RS of real, pool once')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(sampler=dict(resample_real_only=True))
