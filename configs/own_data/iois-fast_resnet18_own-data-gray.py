# IOIS (+OIS, AAS), fast, on a grayscale data set of one's own: the
# grayscale CE config plus the IOIS block, from the one-channel diffusion
# model that ddpm_unet32_own-data-gray.py pre-trains; the synthetic images
# are one-channel too, and enter the pipeline as the real ones do.
_base_ = [
    './ce_resnet18_own-data-gray.py',
    '../_base_/iois/iois-fast_own-data.py',
]
method_name = 'Ours (+OIS, AAS), fast'
synthesizer = dict(
    diffusion_model_dir='work_dirs/ddpm_unet32_own-data-gray/diffusion_model')
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity={{_base_.num_synthetic}},
        dataset={{_base_.train_dataloader.dataset}}))
