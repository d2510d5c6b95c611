# Faster label-free DDPM pre-training on HAM10000 at 64x64, for benchmarking on
# one GPU (a smaller UNet, 20k iterations of batch 64).
# Writes work_dirs/ddpm_unet64_1xb64_20k_ham10000/diffusion_model at the end
# (EMA weights): pass it to IOIS as
# --cfg-options synthesizer.diffusion_model_dir=<that path>.
_base_ = [
    '../_base_/models/ddpm_unet64.py',
    '../_base_/datasets/ham10000_diffusion_bs32_128.py',
    '../_base_/schedules/adamw_lr1e-4_iter.py',
    '../_base_/diffusion_runtime.py',
]
train_dataloader = dict(
    batch_size=64,
    dataset=dict(pipeline=[  # a list replaces the base's whole pipeline
        dict(type='LoadImageFromFile'),
        dict(type='Resize', scale=(64, 64)),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        dict(type='PackInputs'),
    ]))
train_cfg = dict(max_iters=20000)
# a shorter run: average over fewer steps
custom_hooks = [
    dict(type='EMAHook', momentum=5e-4, update_buffers=True),
    dict(type='DiffusionSamplesHook', interval=2000, num_images=16),
    dict(type='ExportDiffusionModelHook', out_dir='diffusion_model'),
]
