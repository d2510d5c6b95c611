# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, guided at scale 10 by
# a frozen noise-aware classifier instead of the classifier being trained
# (which trains on clean images only, as CE). A diagnostic, not the
# paper's method: the appended noise-aware guide's images carry the class
# (an independent classifier sees it in 48% of them), but training the
# classifier on the noised copies costs it more than the pool returns;
# this row keeps the images and drops the cost.
# The guide is the last epoch of the guide_row's run of the same seed:
# benchmarks/ham32/run.sh runs that row first and passes its checkpoint
# (its name is the same in every rerun, where the best-validation epoch's
# is not: CPU training is not bit-reproducible). Run alone with
# tools/train.py, the row reads seed 0's below; the hook stops with a clear
# error where it does not exist.
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = ('Ours (+OIS, AAS), fast, GPU DM, frozen noise-aware guide '
               '(appended), scale 10')
guide_row = 'ce-noise-aware-append'
guide_checkpoint = f'work_dirs/ham32_cpu/{guide_row}_seed0/epoch_60.pth'
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min',
    guidance_scale=10.0)
custom_hooks = [
    dict(
        type='AccuracyAdaptiveSamplingHook',
        adaptive=True,
        temperature=1.0,
        interval=1,
        accuracy_source='train',
        refresh_strength=0.5,
        refresh_fraction=0.2,
        guide_checkpoint=guide_checkpoint),
]
