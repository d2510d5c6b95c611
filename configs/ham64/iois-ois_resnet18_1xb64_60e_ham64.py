# HAM-64, IOIS (+OIS): equal counts per class.
_base_ = ['./iois-ois-aas_resnet18_1xb64_60e_ham64.py']
method_name = 'Ours (+OIS)'
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook', adaptive=False)]
