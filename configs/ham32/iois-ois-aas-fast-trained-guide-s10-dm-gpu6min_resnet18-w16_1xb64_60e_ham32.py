# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10 by
# a separate noise-aware classifier trained beside the classifier
# (GuideTrainingHook: the same ResNet, learning the real images with noised
# copies of half of each batch appended), while the classifier trains on
# clean images only, as CE. The one-run form of the frozen-guide
# diagnostic (...-frozen-noise-aware-guide-...), whose guide came from a
# separate run and stayed fixed: here it learns as the classifier does. Not
# the paper's Eq. 4, which guides with the classifier itself.
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide trained '
               'beside, scale 10')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min',
    guidance_scale=10.0)
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,
        temperature=1.0,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2),
    dict(type='GuideTrainingHook'),
]
