# CE Loss, noise-aware: the CE baseline trained with noised copies of half
# of each batch appended (the diffusion forward process, t uniform over
# the DDPM schedule; labels kept). Not a baseline of the paper: the guide
# that the iois-fast-frozen-guide-sqrt-rs config of configs/iois/ loads
# frozen. Its gradient on a noisy x_t carries the class, which a
# classifier trained on clean images only does not give (measured on
# HAM-32, benchmarks/ham32/README.md); as a classifier it is weaker than CE.
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_aptos.py']
method_name = 'CE Loss, noise-aware, appended'
data_preprocessor = dict(type='NoiseAwareClsDataPreprocessor',
                         noise_fraction=0.5, append=True)
