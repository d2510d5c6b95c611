# HAM-32, IOIS (+OIS, AAS), fast, GPU diffusion model, on top of square-root
# re-sampling: Sqrt-RS is HAM-32's strongest baseline (benchmarks/ham32/
# README.md), so IOIS must add to it. The sampler re-samples real and
# synthetic images together by class (it reads the pool's labels each
# epoch), as configs/iois/iois-sqrt-rs_* does at the paper's scale.
_base_ = ['./iois-ois-aas-fast-dm-gpu6min_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, GPU DM + Sqrt-RS'
# restated: benchmarks/run_table1.sh keeps a model pinned in the row's own
# config file
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
train_dataloader = dict(
    sampler=dict(_delete_=True, type='SqrtResamplingSampler'))
