# HAM-32, the best row without AAS: equal counts per class every epoch
# instead of accuracy-adaptive ones (Eq. 5), otherwise
# iois-ois-aas-fast-frozen-noise-aware-guide-s10-sqrt-rs-pool-once-dm-gpu6min
# (frozen noise-aware guide at scale 10, Sqrt-RS of the real images, each
# synthetic image drawn once an epoch). Asks whether the row's lead over
# re-sampling comes from the adaptive counts or from the pool alone.
_base_ = [
    './iois-ois-aas-fast-frozen-noise-aware-guide-s10-sqrt-rs-pool-once-'
    'dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS), fast, GPU DM, frozen noise-aware guide '
               '(appended), scale 10 + Sqrt-RS of real, pool once')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file, and passes each seed's guide as custom_hooks.0's
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
guide_row = 'ce-noise-aware-append'
guide_checkpoint = f'work_dirs/ham32_cpu/{guide_row}_seed0/epoch_60.pth'
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=False,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2,
        guide_checkpoint=guide_checkpoint),
]
