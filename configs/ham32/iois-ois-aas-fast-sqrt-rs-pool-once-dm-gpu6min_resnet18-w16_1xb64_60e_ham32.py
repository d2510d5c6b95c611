# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, on top of square-root
# re-sampling of the real images only: each synthetic image is drawn once
# an epoch, beside the real ones re-sampled exactly as Sqrt-RS does. Mixed
# into the re-sampling (the parent row), a rare class's pool takes most of
# its draws: each real df image is drawn 1.9 times an epoch instead of
# Sqrt-RS's 4.9 (benchmarks/ham32/README.md).
_base_ = [
    './iois-ois-aas-fast-sqrt-rs-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py'
]
method_name = 'Ours (+OIS, AAS), fast, GPU DM + Sqrt-RS of real, pool once'
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(sampler=dict(resample_real_only=True))
