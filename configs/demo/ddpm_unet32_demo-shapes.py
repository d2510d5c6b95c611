# Demo: a tiny label-free DDPM on the procedural DemoShapes images (32x32),
# small enough to pre-train on a 2-core CPU in about two minutes (0.6M
# parameters, no attention, 800 iterations of batch 32).
_base_ = [
    '../_base_/schedules/adamw_lr1e-4_iter.py',
    '../_base_/diffusion_runtime.py',
]
data_root = 'work_dirs/demo/data'
model = dict(
    type='DDPMPretrainer',
    unet=dict(
        sample_size=32,
        in_channels=3,
        out_channels=3,
        layers_per_block=1,
        block_out_channels=(16, 32, 64),
        norm_num_groups=8,
        add_attention=False,
        down_block_types=('DownBlock2D', 'DownBlock2D', 'DownBlock2D'),
        up_block_types=('UpBlock2D', 'UpBlock2D', 'UpBlock2D')),
    scheduler=dict(num_train_timesteps=1000, beta_schedule='linear'))
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    dataset=dict(
        type='DemoShapes',
        data_root=data_root,
        ann_file='meta/train.json',
        data_prefix='images',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ]),
    sampler=dict(type='InfiniteSampler', shuffle=True))
optim_wrapper = dict(optimizer=dict(lr=1e-3))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=100),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=100, eta_min=1e-5),
]
train_cfg = dict(max_iters=800)
default_hooks = dict(
    logger=dict(interval=100),
    checkpoint=dict(interval=400, max_keep_ckpts=1))
custom_hooks = [
    dict(type='EMAHook', momentum=0.01, update_buffers=True),
    dict(type='DiffusionSamplesHook', interval=400, num_images=25,
         num_inference_steps=25),
    dict(type='ExportDiffusionModelHook', out_dir='diffusion_model'),
]
