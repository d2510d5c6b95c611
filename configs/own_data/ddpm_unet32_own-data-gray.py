# The diffusion model of a grayscale data set of one's own
# (prepare_folders.py --grayscale): ddpm_unet32_own-data.py with a
# one-channel UNet on one-channel images.
_base_ = ['./ddpm_unet32_own-data.py']
train_dataloader = dict(
    dataset=dict(pipeline=[
        dict(type='LoadImageFromFile', color_type='grayscale'),
        dict(type='RandomFlip', prob=0.5, direction='horizontal'),
        dict(type='PackInputs'),
    ]))
model = dict(unet=dict(in_channels=1, out_channels=1))
