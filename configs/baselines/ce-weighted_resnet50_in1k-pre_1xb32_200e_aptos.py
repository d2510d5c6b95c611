# MMPretrain's own CrossEntropyLoss with class weights (not in the paper).
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_aptos.py']
method_name = 'CE (class weights)'
# Inverse class frequency of APTOS 2019 train.csv (grades 0-4: 1805, 370, 999,
# 193, 295), normalised to mean 1; a stratified split keeps these ratios.
model = dict(
    head=dict(
        loss=dict(
            type='CrossEntropyLoss',
            class_weight=[0.406, 1.979, 0.733, 3.795, 2.483])))
