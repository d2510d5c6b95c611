"""The machine and installed stack: checks that would otherwise fail
obscurely, and the description results carry of where they were computed."""
import importlib.metadata as metadata
import os
import platform
import warnings

import torch

# Instruction sets that change float results: the same seed trains to
# different weights on CPUs that differ in them (HAM-32's CE, seed 1: 48.39
# Macro-F1 on one CPU type, 44.12 on another, each reproducible bit for bit).
FLOAT_RESULT_FEATURES = ('avx2', 'avx512f', 'avx512_bf16', 'amx_bf16')


def describe_cpu(cpuinfo_path: str = '/proc/cpuinfo') -> str:
    """The CPU a result was computed on, e.g. ``'AMD EPYC (2 cores; avx2
    avx512f avx512_bf16)'``: its model, its core count and which of
    :data:`FLOAT_RESULT_FEATURES` it has.

    Reads ``cpuinfo_path`` (Linux); elsewhere it falls back to ``platform``,
    which names the architecture only.
    """
    model, flags = None, set()
    try:
        with open(cpuinfo_path) as cpuinfo:
            for line in cpuinfo:
                key, _, value = line.partition(':')
                key = key.strip()
                if key == 'model name' and model is None:
                    model = value.strip()
                elif key == 'flags' and not flags:
                    flags = set(value.split())
    except OSError:
        pass  # not Linux: the architecture is all there is
    model = model or platform.processor() or platform.machine() or 'cpu'
    features = ' '.join(f for f in FLOAT_RESULT_FEATURES if f in flags)
    return f'{model} ({os.cpu_count()} cores' + (
        f'; {features})' if features else ')')


def describe_device(device='cpu') -> str:
    """The device a result was computed on: the GPU's name for a CUDA
    device, else :func:`describe_cpu`."""
    device = torch.device(device)
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    return describe_cpu()


def warn_if_two_mmcv_distributions() -> None:
    """Warn when both ``mmcv`` and ``mmcv-lite`` are installed.

    Both provide the ``mmcv`` module; with both installed, uninstalling
    either deletes files the other needs, and which one's files are on disk
    depends on install order.
    """
    installed = []
    for name in ('mmcv', 'mmcv-lite'):
        try:
            installed.append(f'{name} {metadata.version(name)}')
        except metadata.PackageNotFoundError:
            continue  # not installed
    if len(installed) == 2:
        warnings.warn(
            f'both {installed[0]} and {installed[1]} are installed and both '
            'provide the `mmcv` module. Keep one: `pip uninstall -y mmcv-lite '
            'mmcv` then `pip install mmcv` (full, with ops) or '
            '`pip install mmcv-lite` (what iois-mm needs).', stacklevel=2)
