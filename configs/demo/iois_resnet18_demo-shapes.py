# Demo: IOIS (OIS + AAS) on DemoShapes: the CE demo plus a pool of 200
# synthetic images per epoch from the demo's diffusion model, guided by the
# classifier (DDIM, 10 steps), counts set by Accuracy Adaptive Sampling.
_base_ = ['./ce_resnet18_demo-shapes.py']
method_name = 'Ours (+OIS, AAS)'
synthesizer = dict(
    type='GuidedDiffusionSynthesizer',
    diffusion_model_dir='work_dirs/demo/ddpm/diffusion_model',
    scheduler='ddim',
    num_inference_steps=10,
    guidance_scale=1.0,
    classifier_input_size=32,
    batch_size=100)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity=200,
        dataset={{_base_.train_dataloader.dataset}}))
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook', grid_per_class=10)]
