"""Generate a fixed synthetic pool with a trained classifier (offline OIS).

The paper's "+offline" ablation: the pre-trained diffusion model, guided by
a trained classifier, generates images for each class once, before
training; the pool is then used unchanged (``SyntheticMixDataset``'s
``pool_file``). The synthesizer settings come from the config's
``synthesizer`` (override with ``--cfg-options synthesizer.<key>=<value>``).

Example::

    CE=work_dirs/ce_resnet50_in1k-pre_1xb32_200e_ham10000
    python tools/synthesize.py \\
        configs/iois/iois-offline_resnet50_in1k-pre_1xb32_200e_ham10000.py \\
        --classifier $CE/best_imbalanced_macro_f1_epoch_N.pth \\
        --num 2000 --out data/ham10000/synthetic_pool.npz \\
        --cfg-options \\
        synthesizer.diffusion_model_dir=work_dirs/ddpm/diffusion_model
"""
import argparse
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import Config, DictAction

import iois_mm  # noqa: F401  (registers components)
from iois_mm.datasets.pool_file import save_pool_file
from iois_mm.synthesis import DiffusionModelError, largest_remainder_round
from iois_mm.utils.classifier_checkpoint import load_classifier
from iois_mm.utils.unwrap import innermost_dataset_cfg
from mmpretrain.registry import DATASETS, MODELS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config with model and synthesizer')
    parser.add_argument('--classifier', required=True,
                        help='checkpoint of the trained classifier')
    parser.add_argument('--num', type=int, required=True,
                        help='number of images, shared equally by the classes')
    parser.add_argument('--out', required=True, help='output .npz file')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--device', default=None,
                        help='default: cuda when available, else cpu')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings in the config, key=value pairs')
    return parser.parse_args(argv)


def class_names(cfg, checkpoint_meta):
    """Class names from the checkpoint (what the classifier was trained on)
    or the config's training dataset type."""
    classes = (checkpoint_meta or {}).get('dataset_meta', {}).get('classes')
    if classes:
        return list(classes)
    dataset = innermost_dataset_cfg(cfg.train_dataloader.dataset)
    metainfo = getattr(DATASETS.get(dataset['type']), 'METAINFO', {})
    return list(metainfo.get('classes', ()))


def main(argv=None):
    args = parse_args(argv)
    if args.num < 1:
        raise SystemExit('error: --num must be >= 1')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    if not cfg.get('synthesizer'):
        raise SystemExit(f'error: {args.config} has no top-level synthesizer')
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    if not osp.isfile(args.classifier):
        raise SystemExit(f'error: classifier checkpoint {args.classifier} '
                         'not found')
    classifier, meta = load_classifier(cfg, args.classifier, device)
    classes = class_names(cfg, meta)
    num_classes = classifier.head.num_classes
    if classes and len(classes) != num_classes:
        raise SystemExit(
            f'error: the classifier has {num_classes} outputs but the '
            f'dataset has {len(classes)} classes {classes}')
    try:
        synthesizer = MODELS.build(cfg.synthesizer)
    except DiffusionModelError as error:
        raise SystemExit(f'error: {error}') from error

    counts = largest_remainder_round([1.0] * num_classes, args.num)
    labels = np.repeat(np.arange(num_classes), counts)
    print(f'generating {args.num} images at {synthesizer.image_size} '
          f'({", ".join(f"{n}={k}" for n, k in zip(classes, counts))}) on '
          f'{device}')
    images, labels = synthesizer.generate(classifier, labels, seed=args.seed)
    save_pool_file(args.out, images, labels,
              classes or [str(i) for i in range(num_classes)])
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
