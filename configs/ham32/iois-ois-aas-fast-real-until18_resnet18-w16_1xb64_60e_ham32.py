# HAM-32, IOIS fast from real images, the pool only until the first
# learning-rate drop: the fast-from-real row (iois-ois-aas-fast-real_*)
# with the synthetic images' loss weight 1 in epochs 1-18 and 0 from epoch
# 19 (SyntheticWeightedLinearClsHead). It tests why that row learns faster
# than CE at first and then stalls after epoch 18 (benchmarks/ham32/
# README.md): if the pool holds back a classifier that knows more, taking
# it out of the loss at the drop should keep the early gain and let the
# classifier climb as CE does. The hook still refreshes the pool after
# epoch 18 (its images then cost time and weigh nothing).
_base_ = ['./iois-ois-aas-fast-real_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, from real images, pool until epoch 18'
model = dict(
    head=dict(
        type='SyntheticWeightedLinearClsHead',
        synthetic_loss_weight=[1.0, 0.0],
        milestones=[18]))
