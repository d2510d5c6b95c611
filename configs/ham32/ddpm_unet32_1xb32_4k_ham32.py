# HAM-32's diffusion model, CPU preset: the GPU preset's UNet, 4,000
# iterations of batch 32: about an hour on 2 CPU cores (0.85 s an iteration
# when the machine is otherwise idle, measured 2026-11-26).
_base_ = ['./ddpm_unet32_1xb128_4k_ham32.py']
train_dataloader = dict(batch_size=32, num_workers=2)
optim_wrapper = dict(optimizer=dict(lr=1e-4))
train_cfg = dict(max_iters=4000)
default_hooks = dict(checkpoint=dict(interval=1000))
custom_hooks = [
    dict(type='EMAHook', momentum=1e-3, update_buffers=True),
    dict(type='DiffusionSamplesHook', interval=1000, num_images=16),
    dict(type='ExportDiffusionModelHook', out_dir='diffusion_model',
         dtype='bfloat16'),  # half the size; loads as float32
]
