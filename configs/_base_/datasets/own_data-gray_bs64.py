# A grayscale data set of one's own (prepare_folders.py --grayscale): the
# images loaded as one channel, normalised to [-1, 1]; the classifier needs
# backbone in_channels=1 and the diffusion model a one-channel UNet.
_base_ = ['./own_data_bs64.py']
data_preprocessor = dict(mean=[127.5], std=[127.5], to_rgb=False)
train_pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile', color_type='grayscale'),
    dict(type='PackInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))
