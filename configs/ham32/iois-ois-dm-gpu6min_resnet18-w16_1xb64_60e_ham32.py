# HAM-32, IOIS (+OIS) at the paper's full cost with the committed GPU
# diffusion model: equal counts per class instead of accuracy-adaptive ones
# (the paper's ablation of AAS), otherwise iois-ois-aas-dm-gpu6min.
_base_ = ['./iois-ois-aas-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS), GPU DM'
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook', adaptive=False)]
