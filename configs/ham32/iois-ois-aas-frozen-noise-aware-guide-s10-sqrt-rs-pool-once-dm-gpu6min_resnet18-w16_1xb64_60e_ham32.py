# HAM-32, the best row's full-cost reference (issue 11): the frozen
# noise-aware guide at scale 10 on top of square-root re-sampling of the
# real images, each synthetic image drawn once an epoch, as in
# iois-ois-aas-fast-frozen-noise-aware-guide-s10-sqrt-rs-pool-once-dm-gpu6min,
# but every epoch regenerates all K = 1200 images from noise with DDIM 25
# (the protocol's full setting) instead of DPM-Solver++ 10 on a warm-started
# fifth of the pool. About 2 hours a seed on the 2-core CPU.
_base_ = [
    './iois-ois-aas-frozen-noise-aware-guide-s10-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), GPU DM, frozen noise-aware guide '
               '(appended), scale 10 + Sqrt-RS of real, pool once')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(
    sampler=dict(
        _delete_=True, type='SqrtResamplingSampler', resample_real_only=True))
