# HAM-64's diffusion model: label-free DDPM on the HAM-64 training split.
_base_ = ['../diffusion/ddpm_unet64_1xb64_20k_ham10000.py']
train_dataloader = dict(dataset=dict(data_root='data/ham64'))
