# A smaller UNet for 64x64 images (four resolutions, attention at 16x16),
# for benchmarking on one GPU.
model = dict(
    type='DDPMPretrainer',
    unet=dict(
        sample_size=64,
        in_channels=3,
        out_channels=3,
        layers_per_block=2,
        block_out_channels=(64, 128, 256, 256),
        down_block_types=('DownBlock2D', 'DownBlock2D', 'AttnDownBlock2D',
                          'DownBlock2D'),
        up_block_types=('UpBlock2D', 'AttnUpBlock2D', 'UpBlock2D',
                        'UpBlock2D'),
        dropout=0.1),
    scheduler=dict(num_train_timesteps=1000, beta_schedule='linear'))
