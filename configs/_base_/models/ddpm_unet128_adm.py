# An ADM-like UNet for 128x128 images (the layout of diffusers' DDPM
# church/bedroom models: six resolutions, attention at 16x16), 1000 linear
# noise steps as in Ho et al. 2020.
model = dict(
    type='DDPMPretrainer',
    unet=dict(
        sample_size=128,
        in_channels=3,
        out_channels=3,
        layers_per_block=2,
        block_out_channels=(128, 128, 256, 256, 512, 512),
        down_block_types=('DownBlock2D', 'DownBlock2D', 'DownBlock2D',
                          'DownBlock2D', 'AttnDownBlock2D', 'DownBlock2D'),
        up_block_types=('UpBlock2D', 'AttnUpBlock2D', 'UpBlock2D',
                        'UpBlock2D', 'UpBlock2D', 'UpBlock2D'),
        dropout=0.1),
    scheduler=dict(num_train_timesteps=1000, beta_schedule='linear'))
