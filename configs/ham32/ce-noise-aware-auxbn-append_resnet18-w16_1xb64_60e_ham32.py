# HAM-32, CE Loss, noise-aware with auxiliary BatchNorms (AdvProp): noised
# copies of half of each batch (t uniform over the DDPM schedule) are added
# to it, not swapped in, and normalised by BatchNorms of their own, so that
# the clean images keep the whole batch and their own statistics. The
# shared-BatchNorm, swapped-in forms cost CE 9-21 Macro-F1 points
# (benchmarks/ham32/README.md, "A noise-aware guide").
_base_ = ['./ce_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'CE Loss, noise-aware, aux. BN, appended'
model = dict(type='NoiseAwareImageClassifier')
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5, append=True)
