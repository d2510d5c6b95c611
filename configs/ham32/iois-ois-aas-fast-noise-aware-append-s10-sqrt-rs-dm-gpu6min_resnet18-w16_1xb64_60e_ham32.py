# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10 by
# the classifier being trained with noised copies of half of each batch
# appended (shared BatchNorms), on top of square-root re-sampling of real
# and synthetic images together: the appended noise-aware guide's
# class-carrying images with HAM-32's strongest baseline sampler.
_base_ = [
    './iois-ois-aas-fast-noise-aware-append-s10-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide '
               '(appended), scale 10 + Sqrt-RS')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
