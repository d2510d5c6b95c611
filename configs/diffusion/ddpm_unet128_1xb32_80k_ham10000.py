# Label-free DDPM pre-training on the HAM10000 training images at 128x128 (the
# paper's setting, Sec. 2.1).
# Writes work_dirs/ddpm_unet128_1xb32_80k_ham10000/diffusion_model at the end
# (EMA weights): pass it to IOIS as
# --cfg-options synthesizer.diffusion_model_dir=<that path>.
_base_ = [
    '../_base_/models/ddpm_unet128_adm.py',
    '../_base_/schedules/adamw_lr1e-4_iter.py',
    '../_base_/diffusion_runtime.py',
]
# the classifier's training split only: never val or test images
train_dataloader = dict(
    batch_size=32,
    num_workers=4,
    dataset=dict(
        type='HAM10000',
        data_root='data/ham10000',
        ann_file='meta/train.json',
        data_prefix='images',
        pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(128, 128)),
            dict(type='RandomFlip', prob=0.5, direction='horizontal'),
            dict(type='PackInputs'),
        ]),
    sampler=dict(type='InfiniteSampler', shuffle=True))
train_cfg = dict(max_iters=80000)
