# HAM-32's class-conditional diffusion model, CPU preset: the label-free CPU
# model (benchmarks/ham32/diffusion_model_cpu_4k) fine-tuned for 2,000
# iterations of batch 32 with a class embedding (started at zero, so that
# training begins from the label-free model's predictions), as the authors'
# released code conditions its diffusion model on the class. About 30 min
# on 2 CPU cores. Why: the label-free model's guided images carry no class
# (benchmarks/ham32/README.md, "The diffusion model").
_base_ = ['./ddpm_unet32_1xb32_4k_ham32.py']
model = dict(
    class_conditional=True,
    num_classes=7,
    init_unet_from='benchmarks/ham32/diffusion_model_cpu_4k')
train_cfg = dict(max_iters=2000)
