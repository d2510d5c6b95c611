# IOIS (+OIS, AAS), fast, for a data set of one's own: the paper's setting
# (./iois_k2000_ddim50.py) at the fast settings of configs/iois/iois-fast_*
# (DPM-Solver++ 10 steps; 20% of the pool refreshed per epoch, warm-started
# at half the trajectory), the classifier fed the images at their own size,
# behind the diffusion-model quality gate (it refuses to train on a model
# whose images are unlike the training images). A leaf adds it to its
# classifier config, wraps the training set in a SyntheticMixDataset of
# capacity num_synthetic and sets synthesizer.diffusion_model_dir.
_base_ = ['./iois_k2000_ddim50.py']
# K: the paper's 2000 per 7010 training images; scale it to your training
# split (prepare_folders.py prints its size)
num_synthetic = 600
synthesizer = dict(
    scheduler='dpmsolver++', num_inference_steps=10,
    classifier_input_size=None)
custom_hooks = [
    dict(type='DiffusionQualityGateHook', min_precision=0.1),
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,
        temperature=1.0,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2),
]
