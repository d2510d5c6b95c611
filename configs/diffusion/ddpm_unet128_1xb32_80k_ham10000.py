# Label-free DDPM pre-training on the HAM10000 training images at 128x128 (the
# paper's setting, Sec. 2.1).
# Writes work_dirs/ddpm_unet128_1xb32_80k_ham10000/diffusion_model at the end
# (EMA weights): pass it to IOIS as
# --cfg-options synthesizer.diffusion_model_dir=<that path>.
_base_ = [
    '../_base_/models/ddpm_unet128_adm.py',
    '../_base_/datasets/ham10000_diffusion_bs32_128.py',
    '../_base_/schedules/adamw_lr1e-4_iter.py',
    '../_base_/diffusion_runtime.py',
]
train_cfg = dict(max_iters=80000)
