"""The CUDA paths, on a GPU (skipped without one): the synthesizer's bf16,
channels-last and compiled settings against the CPU float32 result, the
automatic batch size, a 1-GPU torchrun run with NCCL, an IOIS epoch with
every part on its device, and resume on CUDA.

Run by ``benchmarks/gpu/run.sh`` (``python -m pytest -m cuda tests``).
Its ``--dry-run`` sets ``IOIS_CUDA_TESTS_DEVICE=cpu``: the same tests on the
CPU, less what only CUDA has, so that a GPU run does not fail on a typo."""
import glob
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from iois_mm.synthesis import GuidedDiffusionSynthesizer

from ..conftest import REPO, build_runner, tiny_iois_config
from ..test_synthesis.test_guided_diffusion_synthesizer import tiny_classifier

DEVICE = os.environ.get('IOIS_CUDA_TESTS_DEVICE', 'cuda')
ON_CUDA = DEVICE == 'cuda'
pytestmark = [
    pytest.mark.cuda,
    pytest.mark.skipif(ON_CUDA and not torch.cuda.is_available(),
                       reason='needs CUDA'),
]
cuda_only = pytest.mark.skipif(not ON_CUDA, reason='CUDA only (dry run)')
IOIS = 'configs/iois_resnet50_ham10000.py'


def make_synthesizer(model_dir, **settings):
    return GuidedDiffusionSynthesizer(
        diffusion_model_dir=model_dir, num_inference_steps=6,
        classifier_input_size=32, progress=False, **settings)


@pytest.mark.parametrize('settings', [
    dict(bf16=True),
    dict(bf16=True, channels_last=True),
    pytest.param(dict(bf16=True, channels_last=True, compile=True),
                 marks=cuda_only),
])
def test_cuda_synthesis_matches_cpu_float32(tiny_diffusion_model, settings):
    labels = torch.tensor([0, 1] * 8)
    classifier = tiny_classifier().eval()
    reference, _ = make_synthesizer(tiny_diffusion_model).generate_samples(
        classifier, labels, seed=3)
    cuda, _ = make_synthesizer(tiny_diffusion_model, device=DEVICE,
                               **settings).generate_samples(
                                   classifier.to(DEVICE), labels, seed=3)
    assert cuda.device.type == 'cpu' and cuda.shape == reference.shape
    assert torch.isfinite(cuda).all()
    error = float((cuda.double() - reference.double()).norm() /
                  reference.double().norm())
    assert error < 5e-2, f'relative L2 {error:.3e} vs CPU float32'


def test_cuda_float32_is_the_cpu_function(tiny_diffusion_model):
    labels = torch.tensor([0, 1, 1, 0])
    classifier = tiny_classifier().eval()
    cpu, _ = make_synthesizer(tiny_diffusion_model).generate_samples(
        classifier, labels, seed=5)
    torch.backends.cudnn.allow_tf32 = False  # TF32 convolutions round
    try:
        cuda, _ = make_synthesizer(tiny_diffusion_model).generate_samples(
            classifier.to(DEVICE), labels, seed=5)
    finally:
        torch.backends.cudnn.allow_tf32 = True
    error = float((cuda.double() - cpu.double()).norm() / cpu.double().norm())
    assert error < 1e-3, f'relative L2 {error:.3e}'


@cuda_only
def test_auto_batch_size_fits_and_is_used(tiny_diffusion_model):
    synthesizer = make_synthesizer(tiny_diffusion_model, batch_size='auto',
                                   bf16=True)
    classifier = tiny_classifier().cuda().eval()
    labels = torch.arange(40) % 2
    images, out_labels = synthesizer.generate(classifier, labels, seed=0)
    chosen = synthesizer.auto_batch_size
    # a power of two, at most 1024, and what 80% of free memory allows
    assert chosen & (chosen - 1) == 0 and 1 <= chosen <= 1024
    free, total = torch.cuda.mem_get_info()
    assert chosen >= 64, f'only {chosen} of {free / 2**30:.1f} GiB free'
    assert images.shape == (40, 16, 16, 3) and images.dtype == torch.uint8
    assert out_labels.tolist() == labels.tolist()
    # the same images whatever the batch (DDIM, same seed)
    again, _ = make_synthesizer(tiny_diffusion_model, batch_size=7,
                                bf16=True).generate(classifier, labels, seed=0)
    assert (images.float() - again.float()).abs().mean() < 2.0


def read_log(work_dir):
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    return open(logs[-1]).read()


def test_one_gpu_dist_train(small_ham, tiny_diffusion_model,
                                      tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=2,
                              max_epochs=1, batch_size=4)
    work_dir = str(tmp_path / 'work')
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', config, '1', '--work-dir', work_dir],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHON=sys.executable, PORT='29555'))
    assert result.returncode == 0, result.stderr[-4000:]
    log = read_log(work_dir)
    # MMEngine initialised the group itself (the CPU gloo path stays off)
    assert 'Distributed training: True' in log
    assert "dist_cfg=dict(backend='nccl')" in log.replace(' ', '').replace(
        '\n', '') or "backend='nccl'" in log
    assert 'Epoch(train) [1]' in log


def aas_hook(runner):
    return next(h for h in runner.hooks
                if type(h).__name__ == 'AccuracyAdaptiveSamplingHook')


def test_iois_epoch_devices_and_resume_on_cuda(small_ham,
                                                tiny_diffusion_model,
                                                tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=2,
                              max_epochs=2,
                              extra="synthesizer.update(bf16=True, "
                              "channels_last=True, batch_size='auto')")
    work_dir = str(tmp_path / 'work')
    runner = build_runner(config, work_dir, default_hooks=dict(
        checkpoint=dict(max_keep_ckpts=2)))
    runner.train()
    hook = aas_hook(runner)
    pool = runner.train_dataloader.dataset.pool
    # classifier and UNet on the GPU; the pool in shared CPU memory, where
    # the DataLoader workers read it
    assert next(runner.model.parameters()).device.type == DEVICE
    assert next(hook.synthesizer.unet.parameters()).device.type == DEVICE
    assert pool.images.device.type == 'cpu' and pool.images.is_shared()
    assert pool.version == 2
    digest = pool.digest()
    weights = {k: v.detach().cpu().clone()
               for k, v in runner.model.state_dict().items()}

    # resume from epoch 1 on CUDA: same pool after epoch 1's refresh, and
    # training continues to the same epoch
    resumed = build_runner(config, str(tmp_path / 'resumed'), resume=True,
                           load_from=osp.join(work_dir, 'epoch_1.pth'))
    resumed.train()
    assert resumed.train_loop.epoch == 2
    assert resumed.train_dataloader.dataset.pool.version == 2
    assert next(resumed.model.parameters()).device.type == DEVICE
    # float nondeterminism of cuDNN aside, resuming reaches a model of
    # the same shape and finite weights
    for key, value in resumed.model.state_dict().items():
        assert value.shape == weights[key].shape
        if value.is_floating_point():
            assert torch.isfinite(value).all(), key
    assert len(digest) == 16
