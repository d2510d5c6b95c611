"""The diffusion-model directory: writing a pre-trained UNet (atomically)
and loading it (diffusers format) from disk.

Accepted layouts, both written by diffusers' ``save_pretrained``:

* a UNet directory: ``config.json`` (``_class_name: UNet2DModel``) and
  ``diffusion_pytorch_model.safetensors`` (or ``.bin``);
* a pipeline directory with ``unet/`` and ``scheduler/`` (what
  ``tools/export_diffusion.py`` and ``DDPMPipeline.save_pretrained`` write);
  its scheduler config carries the noise schedule the UNet was trained with.

Everything is read locally: nothing is ever downloaded.
"""
import copy
import json
import os
import os.path as osp
import shutil
from typing import Optional, Tuple

import torch

# Present while tools/export_diffusion.py writes a model; removed last.
INCOMPLETE_MARKER = '.incomplete'
WEIGHT_FILES = ('diffusion_pytorch_model.safetensors',
                'diffusion_pytorch_model.bin')
EXPECTED = ('a diffusers UNet2DModel saved with save_pretrained (config.json '
            'and diffusion_pytorch_model.safetensors), or a directory with '
            'unet/ and scheduler/ as written by tools/export_diffusion.py')


class DiffusionModelError(Exception):
    """The diffusion model directory cannot be used; the message says why."""


def resolve_model_dir(model_dir: Optional[str]) -> Tuple[str, Optional[str]]:
    """Return ``(unet_dir, scheduler_dir or None)`` for a model directory,
    or raise :class:`DiffusionModelError` naming what is wrong."""
    if not model_dir:
        raise DiffusionModelError(
            'no diffusion model directory is set. Pre-train one (python '
            'tools/train.py configs/diffusion/<config>.py) and pass its '
            'export, e.g. --cfg-options '
            'synthesizer.diffusion_model_dir=work_dirs/<run>/diffusion_model')
    if not osp.isdir(model_dir):
        raise DiffusionModelError(
            f'diffusion model directory {model_dir} does not exist; expected '
            f'{EXPECTED}')
    if osp.exists(osp.join(model_dir, INCOMPLETE_MARKER)):
        raise DiffusionModelError(
            f'{model_dir} is an incomplete export (it still holds '
            f'{INCOMPLETE_MARKER}: the export was interrupted). Export again '
            'with tools/export_diffusion.py.')
    pipeline_layout = osp.isdir(osp.join(model_dir, 'unet'))
    unet_dir = osp.join(model_dir, 'unet') if pipeline_layout else model_dir
    config_path = osp.join(unet_dir, 'config.json')
    if not osp.isfile(config_path):
        raise DiffusionModelError(
            f'{unet_dir} has no config.json; expected {EXPECTED}')
    try:
        with open(config_path, encoding='utf-8') as f:
            class_name = json.load(f).get('_class_name')
    except (OSError, ValueError) as error:
        raise DiffusionModelError(
            f'{config_path} is not readable JSON ({error})') from error
    if class_name != 'UNet2DModel':
        raise DiffusionModelError(
            f'{unet_dir} holds a {class_name!r}, not a UNet2DModel; expected '
            f'{EXPECTED}')
    if not any(osp.isfile(osp.join(unet_dir, w)) for w in WEIGHT_FILES):
        raise DiffusionModelError(
            f'{unet_dir} has no weights ({" or ".join(WEIGHT_FILES)})')
    scheduler_dir = osp.join(model_dir, 'scheduler')
    if not osp.isfile(osp.join(scheduler_dir, 'scheduler_config.json')):
        scheduler_dir = None
    return unet_dir, scheduler_dir


def load_scheduler_config(model_dir: Optional[str]) -> Optional[dict]:
    """The noise schedule ``model_dir`` was trained with (its
    ``scheduler/`` config), or None where it has none."""
    from diffusers.schedulers import DDPMScheduler

    _, scheduler_dir = resolve_model_dir(model_dir)
    return DDPMScheduler.load_config(scheduler_dir) if scheduler_dir else None


def load_unet(model_dir: Optional[str], device='cpu'):
    """Load the UNet (frozen, eval mode) and its scheduler config."""
    from diffusers import UNet2DModel

    unet_dir, _ = resolve_model_dir(model_dir)
    try:
        unet = UNet2DModel.from_pretrained(
            unet_dir, local_files_only=True, low_cpu_mem_usage=False,
            torch_dtype=torch.float32)  # exports may be stored in bf16
    except Exception as error:  # diffusers raises many types for bad files
        raise DiffusionModelError(
            f'could not load the UNet from {unet_dir}: {error}') from error
    scheduler_config = load_scheduler_config(model_dir)
    unet.requires_grad_(False).eval().to(device)
    return unet, scheduler_config


def export_diffusion_model(unet, scheduler_config: dict, out_dir: str,
                           dtype: torch.dtype = torch.float32) -> str:
    """Save ``unet`` and its noise schedule as a ``DDPMPipeline`` directory
    (``unet/``, ``scheduler/``, ``model_index.json``), which
    :class:`GuidedDiffusionSynthesizer` and diffusers' ``DDPMPipeline`` load.

    The files are written into ``<out_dir>.partial-<pid>`` holding a
    ``.incomplete`` marker; the marker goes last and the directory is then
    renamed into place. A crash at any point leaves either the previous
    export or none at ``out_dir``, and the partial directory is refused by
    the loader.
    """
    from diffusers import DDPMPipeline, DDPMScheduler

    out_dir = osp.abspath(out_dir)
    staging = f'{out_dir}.partial-{os.getpid()}'
    shutil.rmtree(staging, ignore_errors=True)
    os.makedirs(staging)
    open(osp.join(staging, INCOMPLETE_MARKER), 'w').close()

    unet = copy.deepcopy(unet).to('cpu', dtype)
    scheduler = DDPMScheduler.from_config(dict(scheduler_config))
    DDPMPipeline(unet=unet, scheduler=scheduler).save_pretrained(
        staging, safe_serialization=True)
    os.remove(osp.join(staging, INCOMPLETE_MARKER))

    previous = None
    if osp.exists(out_dir):
        previous = f'{out_dir}.old-{os.getpid()}'
        os.rename(out_dir, previous)
    os.rename(staging, out_dir)
    if previous:
        shutil.rmtree(previous, ignore_errors=True)
    return out_dir
