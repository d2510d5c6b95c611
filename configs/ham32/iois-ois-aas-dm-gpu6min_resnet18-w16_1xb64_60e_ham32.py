# HAM-32, IOIS (+OIS, AAS) at the paper's full cost (K = 1200 regenerated
# from noise every epoch, DDIM 25, guided at scale 1.0 by the classifier
# being trained) with the committed GPU diffusion model, the stronger of the
# two (benchmarks/ham32/diffusion_model_gpu_6min; Fréchet 37.7 against the
# CPU model's 176.6). The paper's row as the paper describes it, to set
# beside its cheap version iois-ois-aas-fast-dm-gpu6min: about 12.6 CE
# epochs of time an epoch on the 2-core CPU.
_base_ = ['./iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), GPU DM'
# a committed model: benchmarks/run_table1.sh keeps it (DIFFUSION_MODEL
# does not replace it)
synthesizer = dict(
    diffusion_model_dir='benchmarks/ham32/diffusion_model_gpu_6min')
