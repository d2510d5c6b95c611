# The paper's IOIS setting (Sec. 2-3): K = 2000 synthetic images per epoch,
# DDIM with 50 steps, guidance scale 1.0, Accuracy Adaptive Sampling every
# epoch. A leaf config adds it to a classifier config and wraps the training
# set in a SyntheticMixDataset of capacity num_synthetic.
num_synthetic = 2000  # K (paper Sec. 2.3)

# Read by AccuracyAdaptiveSamplingHook and tools/synthesize.py; override any
# field with --cfg-options synthesizer.<field>=<value>.
synthesizer = dict(
    type='GuidedDiffusionSynthesizer',
    diffusion_model_dir=None,  # required: a pre-trained diffusion model
    scheduler='ddim',
    num_inference_steps=50,
    guidance_scale=1.0,
    guidance_input='x_t',  # the paper; 'x0_hat' guides on the clean estimate
    classifier_input_size=224,
    batch_size=32,
    bf16=False)

custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,  # False: equal counts per class (the "+OIS" ablation)
        temperature=1.0,
        interval=1,
        accuracy_source='train'),
]
