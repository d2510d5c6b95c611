# HAM-32, IOIS (+OIS, AAS): the paper's setting (configs/_base_/iois/) with
# K = 1200 synthetic images per epoch (the paper's 2000 per 7010 training
# images, scaled to HAM-32's 4189), DDIM 25 steps (the paper: 50; halved, as
# in HAM-64, so that the whole table fits one short GPU run), guidance scale
# 1.0, from a HAM-32 diffusion model (benchmarks/ham32/run.sh passes it).
_base_ = [
    './ce_resnet18-w16_1xb64_60e_ham32.py',
    '../_base_/iois/iois_k2000_ddim50.py',
]
method_name = 'Ours (+OIS, AAS)'
num_synthetic = 1200
synthesizer = dict(
    diffusion_model_dir='work_dirs/ham32/ddpm/diffusion_model',
    num_inference_steps=25,
    classifier_input_size=32,
    batch_size='auto',
    bf16=True,
    channels_last=True)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity=num_synthetic,
        dataset={{_base_.train_dataloader.dataset}}))
