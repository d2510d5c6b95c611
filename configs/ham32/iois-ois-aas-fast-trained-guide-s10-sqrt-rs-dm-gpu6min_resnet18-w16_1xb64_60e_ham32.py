# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10 by
# the noise-aware guide trained beside the classifier (GuideTrainingHook), on
# top of square-root re-sampling of real and synthetic images together: the
# one-run form of ...-frozen-noise-aware-guide-s10-sqrt-rs-...
_base_ = [
    './iois-ois-aas-fast-trained-guide-s10-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide trained '
               'beside, scale 10 + Sqrt-RS')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
