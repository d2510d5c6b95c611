# IOIS (OIS + AAS) on HAM10000: the paper's recipe (configs/_base_/) with a
# synthetic pool of K = 2000 images regenerated every epoch by a frozen
# diffusion model guided by the classifier (DDIM, 50 steps, scale 1.0), the
# per-class counts set by Accuracy Adaptive Sampling.
#
#   python tools/train.py configs/iois_resnet50_ham10000.py \
#       --cfg-options synthesizer.diffusion_model_dir=PATH
#
# PATH: a diffusion model pre-trained on the HAM10000 training images
# (configs/diffusion/, then its diffusion_model/ export).
_base_ = [
    './baselines/ce_resnet50_in1k-pre_1xb32_200e_ham10000.py',
    './_base_/iois/iois_k2000_ddim50.py',
]
method_name = 'Ours (+OIS, AAS)'
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity={{_base_.num_synthetic}},
        dataset={{_base_.train_dataloader.dataset}}))
