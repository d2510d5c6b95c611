# HAM-64, IOIS (+OIS, AAS): the paper's setting (configs/_base_/iois/) with
# K = 1200 synthetic images per epoch (the paper's 2000 per 7010 training
# images, scaled to HAM-64's 4189), DDIM 25 steps (the paper: 50; halved to
# fit the table in about an hour on one GPU), guidance scale 1.0, from the
# HAM-64 diffusion model (ddpm_unet64_*_ham64).
_base_ = [
    './ce_resnet18_1xb64_60e_ham64.py',
    '../_base_/iois/iois_k2000_ddim50.py',
]
method_name = 'Ours (+OIS, AAS)'
num_synthetic = 1200
synthesizer = dict(
    diffusion_model_dir='work_dirs/ham64/ddpm/diffusion_model',
    num_inference_steps=25,
    classifier_input_size=64,
    batch_size='auto',
    bf16=True,
    channels_last=True)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity=num_synthetic,
        dataset={{_base_.train_dataloader.dataset}}))
