# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10 by
# the noise-aware guide trained beside the classifier (GuideTrainingHook), on
# top of progressively balanced re-sampling (PG-RS, HAM-32's strongest
# baseline) of the real images only, each synthetic image drawn once an
# epoch: mixed into the re-sampling, the pool took the rare classes' draws
# and their balanced accuracy (benchmarks/ham32/README.md).
_base_ = [
    './iois-ois-aas-fast-trained-guide-s10-dm-gpu6min_'
    'resnet18-w16_1xb64_60e_ham32.py'
]
method_name = ('Ours (+OIS, AAS), fast, GPU DM, noise-aware guide trained '
               'beside, scale 10 + PG-RS of real, pool once')
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(sampler=dict(
    _delete_=True, type='ProgressivelyBalancedSampler',
    resample_real_only=True))
