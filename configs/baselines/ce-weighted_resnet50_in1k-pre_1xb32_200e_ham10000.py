# MMPretrain's own CrossEntropyLoss with class weights (not in the paper).
_base_ = ['./ce_resnet50_in1k-pre_1xb32_200e_ham10000.py']
method_name = 'CE (class weights)'
# Inverse class frequency of the full HAM10000 (akiec 327, bcc 514, bkl 1099,
# df 115, mel 1113, nv 6705, vasc 142), normalised to mean 1; a stratified
# split keeps these ratios.
model = dict(
    head=dict(
        loss=dict(
            type='CrossEntropyLoss',
            class_weight=[4.375, 2.783, 1.302, 12.441, 1.285, 0.213, 10.075])))
