# HAM-32, IOIS (+OIS, AAS), fast, with the committed GPU diffusion model
# (benchmarks/ham32/diffusion_model_gpu_6min: 3,205 iterations of batch 512
# on one H100, 2026-11-27; Fréchet 37.7 against the CPU model's 176.6, in
# the CE classifier's features). The row that asks whether a better
# diffusion model turns the fast row's loss to CE around.
_base_ = ['./iois-ois-aas-fast_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, GPU DM'
# a committed model: benchmarks/run_table1.sh keeps it (DIFFUSION_MODEL
# does not replace it)
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
