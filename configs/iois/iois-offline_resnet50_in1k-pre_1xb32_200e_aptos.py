# Ablation "+offline": one fixed pool, generated before training by the
# pre-trained diffusion model guided by a trained classifier (equal counts
# per class), used unchanged for all epochs. Make the pool first:
#
#   CE=work_dirs/ce_resnet50_in1k-pre_1xb32_200e_aptos
#   python tools/synthesize.py \
#       configs/iois/iois-offline_resnet50_in1k-pre_1xb32_200e_aptos.py \
#       --classifier $CE/best_imbalanced_macro_f1_epoch_N.pth \
#       --num 2000 --out data/aptos/synthetic_pool.npz \
#       --cfg-options synthesizer.diffusion_model_dir=PATH
#
# The same wrapper trains on any externally generated images (e.g. a GAN's,
# the paper's Cell-GAN / StyleGAN2-ADA rows) saved as such an .npz.
_base_ = ['../iois_resnet50_aptos.py']
method_name = 'Ours (+offline)'
synthetic_pool_file = 'data/aptos/synthetic_pool.npz'
train_dataloader = dict(
    dataset=dict(capacity=None, pool_file=synthetic_pool_file))
custom_hooks = []
