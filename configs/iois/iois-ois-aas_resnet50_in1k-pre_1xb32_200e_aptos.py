# Ablation "+OIS, AAS" (paper Table 1, last row): the full method.
_base_ = ['../iois_resnet50_aptos.py']
