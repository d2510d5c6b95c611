"""Writing a pre-trained UNet as a diffusers directory, atomically."""
import os
import os.path as osp
import shutil

import torch

from ...synthesis.diffusion_model_loading import INCOMPLETE_MARKER


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
    import copy

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
