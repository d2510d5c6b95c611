# HAM-32, the frozen noise-aware guide on top of square-root re-sampling of
# the real images only, each synthetic image drawn once an epoch. Mixed
# into the re-sampling (the parent row), the pool took the rarest classes'
# draws: over 3 seeds akiec, df and vasc recall fell 5-8 points against
# Sqrt-RS, and balanced accuracy 1.6 (benchmarks/ham32/README.md).
_base_ = [
    './iois-ois-aas-fast-frozen-noise-aware-guide-s10-sqrt-rs-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), fast, GPU DM, frozen noise-aware guide '
               '(appended), scale 10 + Sqrt-RS of real, pool once')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(sampler=dict(resample_real_only=True))
