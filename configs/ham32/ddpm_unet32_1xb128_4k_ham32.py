# HAM-32's diffusion model, GPU preset: label-free DDPM on the HAM-32
# training split only (never val or test), a 3.9M-parameter UNet at 32x32
# (channels 32/64/128, self-attention at 8x8), 4,000 iterations of batch
# 128 with EMA; about two minutes on one H100 (benchmarks/ham32/README.md).
# Exports work_dirs/<run>/diffusion_model at the end.
_base_ = [
    '../_base_/schedules/adamw_lr1e-4_iter.py',
    '../_base_/diffusion_runtime.py',
]
model = dict(
    type='DDPMPretrainer',
    unet=dict(
        sample_size=32,
        in_channels=3,
        out_channels=3,
        layers_per_block=2,
        block_out_channels=(32, 64, 128),
        norm_num_groups=16,
        down_block_types=('DownBlock2D', 'DownBlock2D', 'AttnDownBlock2D'),
        up_block_types=('AttnUpBlock2D', 'UpBlock2D', 'UpBlock2D'),
        dropout=0.1),
    scheduler=dict(num_train_timesteps=1000, beta_schedule='linear'))
train_dataloader = dict(
    batch_size=128,
    num_workers=4,
    dataset=dict(
        type='HAM10000',
        data_root='data/ham32',
        ann_file='meta/train.json',
        data_prefix='images',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(32, 32)),
            # lesions have no up or left: both flips are label-preserving
            dict(type='RandomFlip', prob=[0.25, 0.25, 0.25],
                 direction=['horizontal', 'vertical', 'diagonal']),
            dict(type='PackInputs'),
        ]),
    sampler=dict(type='InfiniteSampler', shuffle=True))
optim_wrapper = dict(optimizer=dict(lr=2e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end=200),
]
train_cfg = dict(max_iters=4000)
default_hooks = dict(
    logger=dict(interval=200),
    checkpoint=dict(interval=2000, max_keep_ckpts=1))
custom_hooks = [
    dict(type='EMAHook', momentum=1e-3, update_buffers=True),
    dict(type='DiffusionSamplesHook', interval=2000, num_images=16),
    dict(type='ExportDiffusionModelHook', out_dir='diffusion_model',
         dtype='bfloat16'),  # half the size; loads as float32
]
