# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, with a noise-aware
# guide: the classifier being trained (IOIS's guide) also sees half of each
# batch noised by the diffusion forward process, so that its gradient on
# x_t (Eq. 4) can carry the class (NoiseAwareClsDataPreprocessor).
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, GPU DM, noise-aware guide'
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5)
