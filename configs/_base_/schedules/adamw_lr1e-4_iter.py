# Diffusion pre-training schedule: AdamW at 1e-4 with a short warm-up and
# gradient clipping; iteration-based.
optim_wrapper = dict(
    optimizer=dict(type='AdamW', lr=1e-4, weight_decay=0.0),
    clip_grad=dict(max_norm=1.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end=1000),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=80000)
