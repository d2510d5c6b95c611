# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, on top of
# progressively balanced re-sampling (PG-RS, HAM-32's strongest baseline)
# of the real images only: each synthetic image is drawn once an epoch,
# beside the real ones re-sampled exactly as PG-RS does.
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, GPU DM + PG-RS of real, pool once'
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(sampler=dict(
    _delete_=True, type='ProgressivelyBalancedSampler',
    resample_real_only=True))
