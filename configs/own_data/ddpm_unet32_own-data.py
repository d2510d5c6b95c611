# The diffusion model of a data set of one's own (README.md, "Your own data
# set"): HAM-32's CPU preset (a 3.9M-parameter UNet, 4,000 iterations of
# batch 32, about an hour on 2 CPU cores; the GPU preset
# ../ham32/ddpm_unet32_1xb128_4k_ham32.py takes minutes) on the training
# split only. Set data_root, and sample_size to prepare_folders.py's --size
# (a multiple of 4). Exports work_dirs/<run>/diffusion_model at the end.
_base_ = ['../ham32/ddpm_unet32_1xb32_4k_ham32.py']
data_root = 'data/own'  # prepare_folders.py --out-dir
train_dataloader = dict(
    dataset=dict(
        type='PreparedImageDataset',
        data_root=data_root,
        pipeline=[  # the images are prepared at sample_size already
            dict(type='LoadImageFromFile'),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ]))
model = dict(unet=dict(sample_size=32))  # prepare_folders.py --size
