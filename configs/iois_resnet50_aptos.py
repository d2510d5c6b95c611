# IOIS (OIS + AAS) on APTOS: the paper's recipe (configs/_base_/) with a
# synthetic pool of K = 2000 images regenerated every epoch by a frozen
# diffusion model guided by the classifier (DDIM, 50 steps, scale 1.0), the
# per-class counts set by Accuracy Adaptive Sampling.
#
#   python tools/train.py configs/iois_resnet50_aptos.py \
#       --cfg-options synthesizer.diffusion_model_dir=PATH
#
# PATH: a diffusion model pre-trained on the APTOS training images
# (configs/diffusion/, then its diffusion_model/ export).
_base_ = ['./baselines/ce_resnet50_in1k-pre_1xb32_200e_aptos.py']
method_name = 'Ours (+OIS, AAS)'

num_synthetic = 2000  # K, synthetic images per epoch (paper Sec. 2.3)

# Read by AccuracyAdaptiveSamplingHook and tools/synthesize.py; override any
# field with --cfg-options synthesizer.<field>=<value>.
synthesizer = dict(
    type='GuidedDiffusionSynthesizer',
    diffusion_model_dir=None,  # required: see above
    scheduler='ddim',
    num_inference_steps=50,
    guidance_scale=1.0,
    guidance_input='x_t',  # the paper; 'x0_hat' guides on the clean estimate
    classifier_input_size=224,
    batch_size=32,
    bf16=False)

train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity=num_synthetic,
        dataset={{_base_.train_dataloader.dataset}}))

custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,  # False: equal counts per class (the "+OIS" ablation)
        temperature=1.0,
        interval=1,
        accuracy_source='train'),
]
