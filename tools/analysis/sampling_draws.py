"""How often an IOIS run's sampler draws each class's real and synthetic
images in an epoch.

Re-sampling over real and synthetic images together lets a rare class's
pool take most of its draws; this says how much, from the run's logged AAS
counts (``aas/count_<class>``: the pool's composition each epoch) and the
config's sampler, real dataset and epoch length. Per class: expected draws
per real image (beside the same sampler over the real images alone) and
the synthetic share of the class's draws.

Example::

    row=iois-ois-aas-fast-sqrt-rs-dm-gpu6min
    python tools/analysis/sampling_draws.py \\
        configs/ham32/${row}_resnet18-w16_1xb64_60e_ham32.py \\
        work_dirs/ham32_cpu/${row}_seed2
"""
import argparse
import datetime
import sys

import numpy as np
from mmengine.config import Config, DictAction
from mmengine.logging import MessageHub
from mmengine.registry import init_default_scope
from plot_aas_curves import read_curves

from iois_mm.datasets.class_counts import get_labels
from iois_mm.utils.io import write_json_atomic


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help="the run's config")
    parser.add_argument('work_dir', help="the run's work directory")
    parser.add_argument('--epochs', type=int, nargs='+',
                        help='epochs to show (default: 6 spread over the run)')
    parser.add_argument('--json', help='also write every epoch here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


class RealAndPoolLabels:
    """The labels a sampler sees: the real images, then the pool."""

    def __init__(self, real_labels, pool_counts):
        self.num_real = len(real_labels)
        self.labels = np.concatenate([
            real_labels,
            np.repeat(np.arange(len(pool_counts)), pool_counts)])

    def __len__(self):
        return len(self.labels)

    def get_gt_labels(self):
        return self.labels


def draws_per_class(sampler_cfg, dataset, epoch, num_classes):
    """Per class: expected draws of each real image, and of the pool."""
    from mmpretrain.registry import DATA_SAMPLERS
    sampler = DATA_SAMPLERS.build(dict(sampler_cfg, dataset=dataset, seed=0))
    sampler.set_epoch(epoch)
    # DefaultSampler (plain sampling): every index once an epoch
    draws = sampler.expected_draws() if hasattr(sampler, 'expected_draws') \
        else np.ones(len(dataset))
    real = np.arange(len(dataset)) < dataset.num_real
    per_real_image, synthetic = [], []
    for label in range(num_classes):
        of_class = dataset.labels == label
        per_real_image.append(float(draws[of_class & real].mean()))
        synthetic.append(float(draws[of_class & ~real].sum()))
    return np.array(per_real_image), np.array(synthetic)


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmpretrain'))
    import iois_mm  # noqa: F401  (registers the samplers)
    from mmpretrain.registry import DATASETS
    counts, files = read_curves(args.work_dir)
    counts = counts['aas/count_']
    dataset_cfg = cfg.train_dataloader.dataset
    if dataset_cfg.get('type') != 'SyntheticMixDataset' or not counts:
        print(f'error: {args.config} has no online synthetic pool, or '
              f'{args.work_dir} has no aas/count_* scalars ({len(files)} '
              'scalars.json found)', file=sys.stderr)
        return 1
    real_dataset = DATASETS.build(dataset_cfg.dataset)
    classes = list(real_dataset.metainfo['classes'])
    real_labels = get_labels(real_dataset)
    sampler_cfg = cfg.train_dataloader.sampler
    MessageHub.get_current_instance().update_info(
        'max_epochs', cfg.train_cfg.max_epochs)
    # the same sampler over the real images alone: what it draws unmixed
    alone_cfg = {k: v for k, v in sampler_cfg.items()
                 if k != 'resample_real_only'}
    steps = sorted(counts[classes[0]])
    rows = []
    for step in steps:
        pool = [int(counts[name][step]) for name in classes]
        with_pool = RealAndPoolLabels(real_labels, pool)
        # the counts logged at step e fill the pool of epoch e + 1
        per_real, synthetic = draws_per_class(sampler_cfg, with_pool, step,
                                              len(classes))
        alone, _ = draws_per_class(alone_cfg, RealAndPoolLabels(
            real_labels, [0] * len(classes)), step, len(classes))
        share = synthetic / (synthetic + per_real * np.bincount(
            real_labels, minlength=len(classes)))
        rows.append(dict(epoch=step + 1, pool=pool,
                         draws_per_real_image=per_real.round(3).tolist(),
                         draws_per_real_image_without_pool=alone.round(3)
                         .tolist(),
                         synthetic_share=share.round(3).tolist()))
    shown = args.epochs or sorted({rows[int(i)]['epoch'] for i in
                                   np.linspace(0, len(rows) - 1, 6)})
    print(f'sampler: {dict(sampler_cfg)}\nper class: draws per real image '
          'an epoch (without the pool) | synthetic share of its draws')
    print('epoch  ' + '  '.join(f'{name:>18}' for name in classes))
    for row in rows:
        if row['epoch'] in shown:
            print(f'{row["epoch"]:>5}  ' + '  '.join(
                f'{d:5.2f} ({a:4.2f}) | {s:4.0%}' for d, a, s in zip(
                    row['draws_per_real_image'],
                    row['draws_per_real_image_without_pool'],
                    row['synthetic_share'])))
    if args.json:
        write_json_atomic(args.json, dict(
            command='python ' + ' '.join(sys.argv), classes=classes,
            sampler=dict(sampler_cfg), epochs=rows,
            date=datetime.datetime.now().isoformat(timespec='seconds')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
