# Demo: IOIS (OIS + AAS) on DemoShapes: the CE demo plus the paper's IOIS
# setting (configs/_base_/iois/) at demo size: a pool of 200 synthetic
# images per epoch from the demo's diffusion model, guided by the
# classifier (DDIM, 10 steps), counts set by Accuracy Adaptive Sampling.
_base_ = [
    './ce_resnet18_demo-shapes.py',
    '../_base_/iois/iois_k2000_ddim50.py',
]
method_name = 'Ours (+OIS, AAS)'
num_synthetic = 200
synthesizer = dict(
    diffusion_model_dir='work_dirs/demo/ddpm/diffusion_model',
    num_inference_steps=10,
    classifier_input_size=32,
    batch_size=100)
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='SyntheticMixDataset',
        capacity=num_synthetic,
        dataset={{_base_.train_dataloader.dataset}}))
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook', grid_per_class=10)]
