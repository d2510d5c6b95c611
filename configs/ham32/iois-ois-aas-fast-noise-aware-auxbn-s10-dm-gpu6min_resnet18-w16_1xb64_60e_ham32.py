# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10
# by the classifier being trained with auxiliary BatchNorms for noised
# images (NoiseAwareImageClassifier): noised copies of half of each batch
# are added to it and normalised by their own BatchNorms, and Eq. 4's
# gradient on x_t goes through those; clean images and the evaluation use
# the main ones.
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide '
               '(aux. BN), scale 10')
model = dict(type='NoiseAwareImageClassifier')
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5, append=True)
synthesizer = dict(guidance_scale=10.0)
