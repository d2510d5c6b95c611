# HAM-32, IOIS fast, synthetic images down-weighted: the fast row
# (iois-ois-aas-fast_*) with each synthetic image's loss weighted 0.3
# against 1 for a real one (SyntheticWeightedLinearClsHead), DiffuLT's
# remedy (Shao et al., 2024) for diffusion-made images that carry little of
# their class. The HAM-32 CPU diffusion model's guided images are such
# images (benchmarks/ham32/README.md: an independent classifier sees their
# target class in 16% of them), so at full weight they act as label noise.
_base_ = ['./iois-ois-aas-fast_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, synthetic loss x 0.3'
model = dict(
    head=dict(
        type='SyntheticWeightedLinearClsHead', synthetic_loss_weight=0.3))
