"""Measure synthetic pools against the real training images: what IOIS
runs actually trained on.

``diffusion_quality.py`` measures fresh samples of a diffusion model; an
IOIS run trains on its pool, which it keeps in every checkpoint, and which
the cheap settings (warm-started, partly refreshed, fewer steps) make
differently from the full one. This tool reads the pools of one or more
runs (IOIS checkpoints, or ``.npz`` pool files) and reports for each, in the
pooled features of one fixed classifier (``--classifier``, e.g. the
protocol's CE seed 0, so that every pool is measured in the same space):

- Fréchet distance, precision and recall against the real training images,
  overall and per class, beside the real-vs-real floor;
- the share of images whose mean colour lies outside the real images'
  usual range (about 5% for real images);
- with ``--judge`` (a classifier that guided none of them), how often it
  assigns an image to the class it was made for, beside its accuracy on the
  real training images.

Example (the full and the fast setting of one HAM-32 row, seed 0)::

    W=work_dirs/ham32_cpu
    python tools/analysis/pool_quality.py \\
        $W/iois-ois-aas-frozen-*-pool-once-*_seed0/epoch_60.pth \\
        $W/iois-ois-aas-fast-frozen-*-pool-once-*_seed0/epoch_60.pth \\
        --classifier $W/ce_seed0/epoch_60.pth --judge $W/ce_seed1/epoch_60.pth
"""
import argparse
import os.path as osp
import sys

import torch
from mmengine.config import Config, DictAction

import iois_mm  # noqa: F401  (registers components, allows the checkpoint)
from iois_mm.datasets.pool_file import checkpoint_pool, load_pool_file
from iois_mm.evaluation import (classifier_features, colour_outliers,
                                quality_report)
from iois_mm.evaluation.generative_quality import load_resized_images
from iois_mm.synthesis import ClassifierGuidance
from iois_mm.utils.classifier_checkpoint import load_classifier
from iois_mm.utils.io import write_json_atomic

from diffusion_quality import agreement, predict, report_header
from show_synthetic import real_training_set


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('pools', nargs='+', help='IOIS checkpoints (their '
                        'pools) or .npz pool files')
    parser.add_argument('--classifier', required=True,
                        help='trained classifier checkpoint: the feature '
                        'space, the same for every pool')
    parser.add_argument('--judge', help='an independent classifier '
                        'checkpoint: does it see the class of each image?')
    parser.add_argument('--config', help="the training set and the "
                        "classifiers' model (default: the first "
                        "checkpoint's own config)")
    parser.add_argument('--json', help='also write the report here')
    parser.add_argument('--device', default=None)
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='e.g. the training data_root, if it moved')
    return parser.parse_args(argv)


def read_checkpoint(path):
    try:
        checkpoint = torch.load(path, map_location='cpu', weights_only=False)
    except Exception as error:  # a file of another kind, or truncated
        raise SystemExit(f'error: {path} is neither an .npz pool nor a '
                         f'checkpoint torch can read ({error})') from error
    if not isinstance(checkpoint, dict):
        raise SystemExit(f'error: {path} is not a checkpoint')
    return checkpoint


def read_pools(paths, checkpoints, classes):
    """``{path: (images, labels)}``, each checked against ``classes``;
    ``checkpoints`` holds the pools that are checkpoints, already read."""
    pools = {}
    for path in paths:
        try:
            if path.endswith('.npz'):
                images, labels = load_pool_file(path, len(classes), classes)
            else:
                checkpoint = checkpoints[path]
                images, labels = checkpoint_pool(checkpoint, path)
                trained_on = (checkpoint.get('meta') or {}).get(
                    'dataset_meta', {}).get('classes')
                if trained_on is not None and \
                        list(trained_on) != list(classes):
                    raise ValueError(f'{path} was trained on the classes '
                                     f'{list(trained_on)}, not {classes}')
        except ValueError as error:
            raise SystemExit(f'error: {error}') from error
        if int(labels.max()) >= len(classes):
            raise SystemExit(f'error: {path} has labels up to '
                             f'{int(labels.max())}, the training set '
                             f'{len(classes)} classes')
        if images.shape[-1] != 3:
            raise SystemExit(f'error: {path} holds {images.shape[-1]}-channel'
                             ' images; the classifiers here take RGB')
        pools[path] = images, labels
    return pools


def load_config(args, checkpoints):
    if args.config:
        return Config.fromfile(args.config)
    for checkpoint in checkpoints.values():
        text = (checkpoint.get('meta') or {}).get('cfg')
        if text:
            return Config.fromstring(text, file_format='.py')
    raise SystemExit('error: no checkpoint among the pools holds its '
                     'config; pass --config')


def main(argv=None):
    args = parse_args(argv)
    checkpoints_given = [args.classifier] + [args.judge] * bool(args.judge)
    for path in args.pools + checkpoints_given:
        if not osp.isfile(path):
            raise SystemExit(f'error: {path} not found')
    checkpoints = {path: read_checkpoint(path) for path in args.pools
                   if not path.endswith('.npz')}
    cfg = load_config(args, checkpoints)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    device = args.device or ('cuda' if torch.cuda.is_available() else 'cpu')
    input_size = (cfg.get('synthesizer') or {}).get('classifier_input_size')
    classifier = ClassifierGuidance(
        load_classifier(cfg, args.classifier, device)[0], input_size)
    judge = args.judge and ClassifierGuidance(
        load_classifier(cfg, args.judge, device)[0], input_size)
    dataset = real_training_set(cfg)
    classes = list(dataset.metainfo['classes'])
    if classifier.classifier.head.num_classes != len(classes):
        raise SystemExit('error: the classifier has '
                         f'{classifier.classifier.head.num_classes} outputs, '
                         f'the training set {len(classes)} classes')
    pools = read_pools(args.pools, checkpoints, classes)
    sizes = {tuple(images.shape[1:3]) for images, _ in pools.values()}
    if len(sizes) != 1:
        raise SystemExit(f'error: the pools differ in image size: {sizes}')
    real = load_resized_images(dataset, range(len(dataset)), sizes.pop())
    real_labels = torch.as_tensor(dataset.get_gt_labels(), dtype=torch.long)

    real_features = classifier_features(classifier, real)
    report = dict(
        **report_header('pool_quality.py', argv, device, args.classifier),
        classes=classes, real_images=len(real),
        colour_outliers_real_floor=colour_outliers(real[0::2], real[1::2]),
        pools={})
    if judge:
        report['judge'] = dict(checkpoint=args.judge,
                               real_accuracy=agreement(
                                   predict(judge, real), real_labels,
                                   classes))
    for path, (images, labels) in pools.items():
        entry = dict(
            images=len(images),
            quality=quality_report(real_features, real_labels,
                                   classifier_features(classifier, images),
                                   labels, classes),
            colour_outliers=colour_outliers(real, images))
        if judge:
            entry['judge_agreement'] = agreement(predict(judge, images),
                                                 labels, classes)
        report['pools'][path] = entry
    if args.json:
        write_json_atomic(args.json, report)
    print_summary(report)
    return 0


def print_summary(report):
    def number(value, form):
        return 'n/a' if value is None else form.format(value)

    names = {path: osp.join(osp.basename(osp.dirname(osp.abspath(path))),
                            osp.basename(path)) for path in report['pools']}
    width = max(22, *(len(name) for name in names.values())) + 2
    judged = 'judge' in report
    print(f'{"pool":<{width}}{"images":>7}{"Fréchet":>9}{"precision":>10}'
          f'{"recall":>7}{"colour out":>11}' + ('  judge sees class'
                                                 if judged else ''))
    floor = next(iter(report['pools'].values()))['quality']['real_floor']
    print(f'{"real vs real (floor)":<{width}}{"":>7}'
          f'{number(floor["frechet"], "{:.2f}"):>9}'
          f'{number(floor["precision"], "{:.2f}"):>10}'
          f'{number(floor["recall"], "{:.2f}"):>7}'
          f'{number(report["colour_outliers_real_floor"], "{:.0%}"):>11}' +
          (f'  {report["judge"]["real_accuracy"]["overall"]:.0%} (real)'
           if judged else ''))
    for path, entry in report['pools'].items():
        overall = entry['quality']['overall']
        print(f'{names[path]:<{width}}{entry["images"]:>7}'
              f'{number(overall["frechet"], "{:.2f}"):>9}'
              f'{number(overall["precision"], "{:.2f}"):>10}'
              f'{number(overall["recall"], "{:.2f}"):>7}'
              f'{number(entry["colour_outliers"], "{:.0%}"):>11}' +
              (f'  {entry["judge_agreement"]["overall"]:.0%}'
               if judged else ''))
    print('per class, Fréchet' + (' / judge sees class' if judged else '') +
          ':')
    for path, entry in report['pools'].items():
        cells = []
        for name, result in entry['quality']['per_class'].items():
            cell = f'{name} {number(result["frechet"], "{:.1f}")}'
            if judged:
                share = entry['judge_agreement']['per_class'].get(name)
                cell += f' / {number(share, "{:.0%}")}'
            cells.append(cell)
        print(f'  {names[path]}: ' + ', '.join(cells))


if __name__ == '__main__':
    sys.exit(main())
