# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10 by
# a frozen noise-aware classifier (the parent row), on top of square-root
# re-sampling of real and synthetic images together: the frozen guide's
# images with HAM-32's strongest simple sampler, beside the same row guided
# by the classifier being trained (...-noise-aware-append-s10-sqrt-rs-...).
_base_ = [
    './iois-ois-aas-fast-frozen-noise-aware-guide-s10-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), fast, GPU DM, frozen noise-aware guide '
               '(appended), scale 10 + Sqrt-RS')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
