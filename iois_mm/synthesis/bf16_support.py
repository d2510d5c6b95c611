"""Whether bfloat16 autocast is fast on a device.

``bf16=True`` is the fast setting on GPUs and on CPUs with AVX-512 or AMX,
but on a CPU without them PyTorch runs bf16 convolutions with reference
kernels: the HAM-32 UNet's forward took 30.9 s in bf16 against 0.93 s in
float32 on an AVX2 AMD EPYC (batch 32, one thread, 2026-11-27). So the
synthesizer runs float32 there and says so once.
"""
import torch
from mmengine.logging import print_log

_warned = set()


def native_bf16(device: torch.device) -> bool:
    """True where bf16 autocast has fast kernels on ``device``."""
    if device.type == 'cuda':
        return torch.cuda.is_bf16_supported()
    if device.type == 'cpu':
        # oneDNN's own test: AVX-512 (core) or newer on x86, or Arm's bf16
        return torch.ops.mkldnn._is_mkldnn_bf16_supported()
    return True  # other back-ends: as the config asks


def effective_bf16(requested: bool, device: torch.device) -> bool:
    """``requested``, unless ``device`` lacks fast bf16 (then float32,
    with one warning per device type)."""
    if not requested or native_bf16(device):
        return requested
    if device.type not in _warned:
        _warned.add(device.type)
        print_log(
            f'bf16=True: this {device.type.upper()} has no fast bfloat16 '
            'kernels (on a CPU: no AVX-512 or AMX), where bf16 autocast is '
            'about 30x slower than float32; synthesising in float32 instead',
            logger='current', level=30)
    return False
