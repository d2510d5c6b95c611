"""Export a diffusion pre-training checkpoint as a diffusers directory.

The directory (``unet/``, ``scheduler/``, ``model_index.json``) is what
IOIS configs take as ``synthesizer.diffusion_model_dir`` (and diffusers'
``DDPMPipeline.from_pretrained`` loads). A checkpoint written with
``EMAHook`` holds the EMA weights in its ``state_dict``; those are exported
unless ``--raw``. The export is atomic: an interrupted run leaves no
directory that loads as a model.

Example::

    python tools/export_diffusion.py \\
        work_dirs/ddpm_unet64_1xb64_20k_ham10000/iter_20000.pth \\
        --out work_dirs/ddpm_unet64_1xb64_20k_ham10000/diffusion_model
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.config import Config

import iois_mm  # noqa: F401  (registers components, allows the checkpoint)
from iois_mm.models.diffusion import export_diffusion_model
from mmpretrain.registry import MODELS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='a DDPMPretrainer checkpoint')
    parser.add_argument('--out', required=True, help='output directory')
    parser.add_argument('--config',
                        help='the training config (default: the one stored '
                        'in the checkpoint)')
    parser.add_argument('--raw', action='store_true',
                        help='export the trained weights, not their EMA')
    parser.add_argument('--dtype', choices=['float32', 'bfloat16'],
                        default='float32',
                        help='bfloat16 halves the size')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        print(f'error: checkpoint {args.checkpoint} not found',
              file=sys.stderr)
        return 2
    checkpoint = torch.load(args.checkpoint, map_location='cpu')
    if args.config:
        cfg = Config.fromfile(args.config)
    elif 'cfg' in checkpoint.get('meta', {}):
        cfg = Config.fromstring(checkpoint['meta']['cfg'], file_format='.py')
    else:
        print('error: the checkpoint holds no config; pass --config',
              file=sys.stderr)
        return 2
    if cfg.model.get('type') != 'DDPMPretrainer':
        print(f'error: {args.checkpoint} is a {cfg.model.get("type")} '
              'checkpoint, not a diffusion pre-training (DDPMPretrainer) one',
              file=sys.stderr)
        return 2
    model = MODELS.build(cfg.model)
    has_ema = 'ema_state_dict' in checkpoint
    if args.raw and has_ema:
        # EMAHook swaps: 'ema_state_dict' then holds the trained weights
        state = {k[len('module.'):]: v
                 for k, v in checkpoint['ema_state_dict'].items()
                 if k.startswith('module.')}
    else:
        state = checkpoint['state_dict']
    model.load_state_dict(state, strict=True)
    weights = 'trained' if args.raw or not has_ema else 'EMA'
    path = export_diffusion_model(model.unet, model.noise_scheduler.config,
                                  args.out, dtype=getattr(torch, args.dtype))
    print(f'exported the {weights} weights ({args.dtype}) to {path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
