# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10
# by the classifier being trained with noised copies of half of each batch
# appended to it (shared BatchNorms; t uniform over the DDPM schedule).
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide '
               '(appended), scale 10')
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5, append=True)
synthesizer = dict(guidance_scale=10.0)
