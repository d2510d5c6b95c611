# HAM10000 for label-free diffusion pre-training at 128x128 (the paper's
# Sec. 2.1): the classifier's training split only, never val or test images.
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
