# HAM-32, CE Loss, noise-aware with the noised images added rather than
# swapped in: noised copies of half of each batch (t uniform over the DDPM
# schedule) are appended, so the clean images keep the whole batch, and
# share the BatchNorms with them. Beside the auxiliary-BatchNorm form
# (ce-noise-aware-auxbn-append) it separates what the lost clean images
# and the shared statistics each cost the classifier.
_base_ = ['./ce_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'CE Loss, noise-aware, appended'
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5, append=True)
