# HAM-32, CE Loss with half of each training batch noised by the diffusion
# forward process (NoiseAwareClsDataPreprocessor, t uniform over the DDPM
# schedule the HAM-32 models are trained with). Guidance measured with
# clean-trained classifiers did not carry the class (benchmarks/ham32/
# README.md); this row is the noise-aware guide to measure, and shows what
# the noise alone does to CE.
_base_ = ['./ce_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'CE Loss, noise-aware'
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5)
