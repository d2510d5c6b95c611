# Label-free DDPM pre-training on the APTOS training images at 128x128 (the
# paper's setting, Sec. 2.1): the HAM10000 config on APTOS's data.
# Writes work_dirs/<this name>/diffusion_model at the end (EMA weights).
_base_ = ['./ddpm_unet128_1xb32_80k_ham10000.py']
train_dataloader = dict(dataset=dict(type='APTOS', data_root='data/aptos'))
