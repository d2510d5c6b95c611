"""The paper's Fig. 3: synthetic images beside their nearest real images.

For each class, a few images of an IOIS run's synthetic pool (stored in its
checkpoints) or of a pool file, each beside the real training image of the
same class closest to it in the classifier's feature space (cosine
similarity of the pooled features of the checkpoint's classifier). One PNG,
a row per class, pairs of (synthetic | nearest real).

Example::

    python tools/analysis/show_synthetic.py \\
        work_dirs/ham64/iois-ois-aas_seed0/epoch_60.pth \\
        --out fig3.png --per-class 4
"""
import argparse
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import Config, DictAction

import iois_mm  # noqa: F401  (registers components, allows the checkpoint)
from iois_mm.datasets.pool_file import checkpoint_pool, load_pool_file
from iois_mm.evaluation import classifier_features
from iois_mm.evaluation.generative_quality import load_resized_images
from iois_mm.synthesis import ClassifierGuidance
from iois_mm.utils.classifier_checkpoint import load_classifier
from iois_mm.utils.unwrap import innermost_dataset_cfg
from mmpretrain.registry import DATASETS


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('checkpoint', help='checkpoint of an IOIS run (its '
                        'classifier, and its pool unless --pool)')
    parser.add_argument('--out', required=True, help='PNG path')
    parser.add_argument('--pool', help='a pool .npz instead of the '
                        "checkpoint's")
    parser.add_argument('--per-class', type=int, default=4)
    parser.add_argument('--config', help="default: the checkpoint's")
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='e.g. the training data_root, if it moved')
    return parser.parse_args(argv)


def real_training_set(cfg):
    dataset_cfg = dict(innermost_dataset_cfg(cfg.train_dataloader.dataset),
                       pipeline=[])
    return DATASETS.build(dataset_cfg)


def normalised_features(guidance, images):
    """L2-normalised pooled features of uint8 RGB images (N, H, W, 3), for
    cosine similarity."""
    return torch.nn.functional.normalize(
        classifier_features(guidance, torch.from_numpy(images)), dim=1)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.checkpoint):
        print(f'error: checkpoint {args.checkpoint} not found',
              file=sys.stderr)
        return 2
    checkpoint = torch.load(args.checkpoint, map_location='cpu')
    cfg = (Config.fromfile(args.config) if args.config else
           Config.fromstring(checkpoint['meta']['cfg'], file_format='.py'))
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    dataset = real_training_set(cfg)
    classes = list(dataset.metainfo['classes'])

    if args.pool:
        images, labels = load_pool_file(args.pool, len(classes), classes)
    else:
        try:
            images, labels = checkpoint_pool(checkpoint, args.checkpoint)
        except ValueError as error:
            print(f'error: {error} (--pool)', file=sys.stderr)
            return 2
    images, labels = images.numpy(), labels.numpy()

    classifier = load_classifier(cfg, args.checkpoint, 'cpu')[0]
    input_size = (cfg.get('synthesizer') or {}).get('classifier_input_size')
    guidance = ClassifierGuidance(classifier, input_size)

    real_labels = np.array(dataset.get_gt_labels())
    rows = []
    for label, name in enumerate(classes):
        chosen = np.flatnonzero(labels == label)[:args.per_class]
        candidates = np.flatnonzero(real_labels == label)
        if len(chosen) == 0 or len(candidates) == 0:
            continue
        real = load_resized_images(dataset, candidates,
                                   images.shape[1:3]).numpy()
        similarity = normalised_features(
            guidance, images[chosen]) @ normalised_features(guidance, real).T
        nearest = similarity.argmax(dim=1).numpy()
        rows.append((name, [(images[c], real[n]) for c, n in
                            zip(chosen, nearest)]))
    if not rows:
        print('error: no class has both synthetic and real images',
              file=sys.stderr)
        return 2

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    columns = 2 * args.per_class
    figure, axes = plt.subplots(len(rows), columns,
                                figsize=(1.1 * columns, 1.2 * len(rows)),
                                squeeze=False)
    for row, (name, pairs) in enumerate(rows):
        for column in range(columns):
            axis = axes[row][column]
            axis.axis('off')
            pair, side = divmod(column, 2)
            if pair < len(pairs):
                axis.imshow(pairs[pair][side])
                if row == 0:
                    axis.set_title('synthetic' if side == 0 else 'nearest '
                                   'real', fontsize=7)
        axes[row][0].text(-0.1, 0.5, name, transform=axes[row][0].transAxes,
                          ha='right', va='center', fontsize=9)
    figure.tight_layout()
    figure.savefig(args.out, dpi=100)
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
