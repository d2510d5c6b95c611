# HAM-32, IOIS (+OIS, AAS) at full cost, GPU diffusion model, guided at
# scale 10 by a frozen noise-aware classifier: the reference that
# iois-ois-aas-fast-frozen-noise-aware-guide-s10-dm-gpu6min (the cheap
# synthesis of issue 11 with the same guide) is measured against. Every
# epoch regenerates all K = 1200 images from noise with DDIM 25, about 12.6
# CE epochs of time an epoch on the CPU. The guide is the last epoch of the
# guide_row's run of the same seed (benchmarks/ham32/run.sh passes it).
_base_ = ['./iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py']
method_name = ('Ours (+OIS, AAS), GPU DM, frozen noise-aware guide '
               '(appended), scale 10')
guide_row = 'ce-noise-aware-append'
guide_checkpoint = f'work_dirs/ham32_cpu/{guide_row}_seed0/epoch_60.pth'
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min',
    guidance_scale=10.0)
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,
        temperature=1.0,
        interval=1,
        accuracy_source='train',
        guide_checkpoint=guide_checkpoint),
]
