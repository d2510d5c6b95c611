# HAM-32, IOIS (+OIS): equal counts per class.
_base_ = ['./iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS)'
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook', adaptive=False)]
