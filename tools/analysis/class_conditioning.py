"""How strongly a class-conditional diffusion model's class embedding acts.

Before a judge (``diffusion_quality.py --judge``) says whether the samples
carry their class, this says whether the conditioning does anything at all:
per class, the norm of the class embedding beside the time embedding's it
is added to, and how far samples from the same noise move when only the
class changes (mean absolute difference from their mean over the classes,
in 0-255 grey levels; 0 means the class is ignored).

Example::

    python tools/analysis/class_conditioning.py \\
        work_dirs/ham32_cpu/ddpm-cond/diffusion_model --json cond.json
"""
import argparse
import datetime
import sys

import torch

from iois_mm.synthesis import load_unet
from iois_mm.synthesis.schedulers import build_scheduler
from iois_mm.utils.io import write_json_atomic

TIMESTEPS = (10, 250, 500, 900)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('diffusion_model_dirs', nargs='+')
    parser.add_argument('--noises', type=int, default=8,
                        help='initial noises, each sampled for every class')
    parser.add_argument('--steps', type=int, default=20, help='DDIM steps')
    parser.add_argument('--json', help='also write the measures here')
    return parser.parse_args(argv)


@torch.no_grad()
def measure(model_dir, noises=8, steps=20, seed=0):
    unet, scheduler_config = load_unet(model_dir)
    if unet.config.num_class_embeds is None:
        raise SystemExit(f'{model_dir}: not class-conditional (its UNet has '
                         'no num_class_embeds)')
    classes = unet.config.num_class_embeds
    time_embedding = unet.time_embedding(
        unet.time_proj(torch.tensor(TIMESTEPS)).float())
    scheduler = build_scheduler('ddim', scheduler_config)
    scheduler.set_timesteps(steps)
    size = unet.config.sample_size
    noise = torch.randn(noises, unet.config.in_channels, size, size,
                        generator=torch.Generator().manual_seed(seed))
    sample = noise.repeat(classes, 1, 1, 1)
    labels = torch.arange(classes).repeat_interleave(noises)
    for t in scheduler.timesteps:
        eps = unet(sample, t, class_labels=labels).sample
        sample = scheduler.step(eps, t, sample).prev_sample
    images = ((sample.clamp(-1, 1) + 1) * 127.5).view(classes, noises,
                                                      *sample.shape[1:])
    spread = (images - images.mean(0, keepdim=True)).abs()
    return dict(
        diffusion_model=model_dir,
        class_embedding_norm=unet.class_embedding.weight.norm(
            dim=1).tolist(),
        time_embedding_norm=dict(zip(map(str, TIMESTEPS),
                                     time_embedding.norm(dim=1).tolist())),
        same_noise_spread=spread.mean().item(),
        same_noise_spread_per_class=spread.mean((1, 2, 3, 4)).tolist(),
        noises=noises, steps=steps)


def main(argv=None):
    args = parse_args(argv)
    results = []
    for model_dir in args.diffusion_model_dirs:
        result = measure(model_dir, args.noises, args.steps)
        results.append(result)
        norms = ' '.join(f'{n:.2f}' for n in result['class_embedding_norm'])
        times = ' '.join(f'{n:.2f}'
                         for n in result['time_embedding_norm'].values())
        print(f'{model_dir}\n  class embedding norms: {norms}\n'
              f'  time embedding norms (t = {TIMESTEPS}): {times}\n'
              f'  same noise, another class: '
              f'{result["same_noise_spread"]:.2f} grey levels from the mean '
              'over the classes')
    if args.json:
        write_json_atomic(args.json, dict(
            command='python ' + ' '.join(sys.argv), results=results,
            date=datetime.datetime.now().isoformat(timespec='seconds')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
