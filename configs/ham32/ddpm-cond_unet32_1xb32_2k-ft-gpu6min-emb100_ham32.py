# HAM-32's class-conditional diffusion model, second try: the GPU model
# (benchmarks/ham32/diffusion_model_gpu_6min) fine-tuned on the CPU for
# 2,000 iterations of batch 32, its zero-started class embedding at 100 times
# the base learning rate. Why: the first try (ddpm-cond_..._2k-ft, the CPU
# model, one rate for all) left the embeddings' norms at 0.03-0.07, so its
# samples carried no class (benchmarks/ham32/README.md).
_base_ = ['./ddpm-cond_unet32_1xb32_2k-ft_ham32.py']
model = dict(init_unet_from='benchmarks/ham32/diffusion_model_gpu_6min')
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'class_embedding': dict(lr_mult=100.0)}))
