# HAM-32, IOIS fast (self-guided, GPU diffusion model) with synthesis after a
# warm-up: the synthetic images weigh 0 in the loss in epochs 1-18 and 1 from
# epoch 19 (SyntheticWeightedLinearClsHead), so the classifier trains on the
# real images alone until the first learning-rate drop, and the first pool it
# learns from was guided by a classifier trained for 18 epochs instead of an
# untrained one (issue 9's warm-up candidate; the mirror of
# iois-ois-aas-fast-real-until18_*). The hook still fills and refreshes the
# pool in epochs 1-18 (those images cost time and weigh nothing; the loss
# is averaged over the whole batch, so the real images' gradient is then
# about 0.78 of CE's).
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, GPU DM, pool from epoch 19'
model = dict(
    head=dict(
        type='SyntheticWeightedLinearClsHead',
        synthetic_loss_weight=[0.0, 1.0],
        milestones=[18]))
