# Runtime for diffusion pre-training (iteration-based, no validation metric).
default_scope = 'mmpretrain'
custom_imports = dict(imports=['iois_mm'], allow_failed_imports=False)

default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(
        type='CheckpointHook', by_epoch=False, interval=2000,
        max_keep_ckpts=2),
    sampler_seed=dict(type='DistSamplerSeedHook'),
)
log_processor = dict(by_epoch=False)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'),
)
vis_backends = [dict(type='LocalVisBackend')]
visualizer = dict(type='UniversalVisualizer', vis_backends=vis_backends)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=0, deterministic=False)

# no validation: the paper pre-trains the diffusion model label-free
val_dataloader = None
val_cfg = None
val_evaluator = None
test_dataloader = None
test_cfg = None
test_evaluator = None

# EMA of the weights (sampled and exported), sample grids, export at the end
custom_hooks = [
    dict(type='EMAHook', momentum=1e-4, update_buffers=True),
    dict(type='DiffusionSamplesHook', interval=5000, num_images=16),
    dict(type='ExportDiffusionModelHook', out_dir='diffusion_model'),
]
