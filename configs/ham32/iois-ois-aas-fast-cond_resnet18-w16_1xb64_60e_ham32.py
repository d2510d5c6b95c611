# HAM-32, IOIS (+OIS, AAS), fast, with a class-conditional diffusion model:
# the fast row (iois-ois-aas-fast_*) whose diffusion model is told the class
# of each image it makes (the label-free CPU model fine-tuned with a class
# embedding, ddpm-cond_unet32_1xb32_2k-ft_ham32.py), as in the authors'
# released code, while the classifier being trained still guides it. Why:
# the label-free model's guided images carry no class to another classifier
# (benchmarks/ham32/README.md). benchmarks/ham32/run.sh passes the "-cond"
# rows the conditional model (COND_DIFFUSION_MODEL).
_base_ = ['./iois-ois-aas-fast_resnet18-w16_1xb64_60e_ham32.py']
method_name = 'Ours (+OIS, AAS), fast, class-conditional DM'
synthesizer = dict(
    diffusion_model_dir='work_dirs/ham32/ddpm-cond/diffusion_model')
