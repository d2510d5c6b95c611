# HAM-64, IOIS (+OIS, AAS). K = 1200 synthetic images per epoch (the paper's
# 2000 per 7010 training images, scaled to HAM-64's 4189), DDIM 25 steps
# (the paper: 50; halved to fit the table in about an hour on one GPU),
# guidance scale 1.0, from the HAM-64 diffusion model (ddpm_unet64_*_ham64).
_base_ = ['./ce_resnet18_1xb64_60e_ham64.py']
method_name = 'Ours (+OIS, AAS)'
synthesizer = dict(
    type='GuidedDiffusionSynthesizer',
    diffusion_model_dir='work_dirs/ham64/ddpm/diffusion_model',
    scheduler='ddim',
    num_inference_steps=25,
    guidance_scale=1.0,
    classifier_input_size=64,
    batch_size='auto',
    bf16=True,
    channels_last=True)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity=1200,
        dataset={{_base_.train_dataloader.dataset}}))
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook')]
