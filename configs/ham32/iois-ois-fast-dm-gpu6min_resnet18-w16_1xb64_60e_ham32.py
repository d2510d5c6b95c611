# HAM-32, IOIS (+OIS), fast, with the committed GPU diffusion model: equal
# counts per class every epoch instead of accuracy-adaptive ones (the
# paper's ablation of AAS, Eq. 5), otherwise iois-ois-aas-fast-dm-gpu6min
# (self-guided, Eq. 4; DPM-Solver++ 10 on a warm-started fifth of the pool).
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS), fast, GPU DM'
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=False,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2),
]
