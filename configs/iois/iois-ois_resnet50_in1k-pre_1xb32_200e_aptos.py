# Ablation "+OIS": online guided synthesis with the same number of images
# for every class each epoch (no Accuracy Adaptive Sampling).
_base_ = ['../iois_resnet50_aptos.py']
method_name = 'Ours (+OIS)'
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook', adaptive=False)]
