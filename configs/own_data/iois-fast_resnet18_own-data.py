# IOIS (+OIS, AAS), fast, on a data set of one's own (README.md, "Your own
# data set"): the CE config's classifier and schedule plus the IOIS block
# (configs/_base_/iois/iois-fast_own-data.py), from the diffusion model
# that ddpm_unet32_own-data.py pre-trains. With a copy of the CE config,
# point the first base at it.
_base_ = [
    './ce_resnet18_own-data.py',
    '../_base_/iois/iois-fast_own-data.py',
]
method_name = 'Ours (+OIS, AAS), fast'
synthesizer = dict(
    diffusion_model_dir='work_dirs/ddpm_unet32_own-data/diffusion_model')
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity={{_base_.num_synthetic}},
        dataset={{_base_.train_dataloader.dataset}}))
