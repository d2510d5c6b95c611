# HAM-32's class-conditional diffusion model trained with the class from
# the start, for one GPU call: the 6-minute GPU preset
# (ddpm_unet32_1xb512_6min_ham32.py) with a class embedding of the 7
# classes, as the authors' released code conditions its model. Why: the
# label-free model's guided images carry no class an independent classifier
# can see, and fine-tuning a label-free model with a zero-started embedding
# (ddpm-cond_unet32_1xb32_2k-ft*_ham32.py) never put the class in
# (benchmarks/ham32/README.md). Judge it before any 60-epoch run:
# REPORT_CLASSIFIER and REPORT_JUDGE of benchmarks/gpu/run.sh's ddpm part.
_base_ = ['./ddpm_unet32_1xb512_6min_ham32.py']
model = dict(class_conditional=True, num_classes=7)
