"""Check a config's data before training on it.

For each split of the config (train, val, test): builds the dataset (the
real one under a SyntheticMixDataset), decodes every image (a corrupt file
would otherwise stop training in a DataLoader worker, mid-run), counts the
images per class and the imbalance ratio, and runs the split's pipeline on
a few images to show what the model will receive. Exits 1, saying what to
fix, when an image does not decode, a class has no training image, or the
classifier's output count differs from the classes.

    python tools/analysis/check_dataset.py CONFIG [--json report.json]
"""
import argparse
import json
import os.path as osp
import sys

import torch
from mmengine.config import Config, DictAction
from mmpretrain.registry import DATASETS

import iois_mm  # noqa: F401  (registers components)
from iois_mm.datasets.class_counts import get_class_counts, imbalance_ratio
from iois_mm.datasets.preparation import find_unreadable_images
from iois_mm.utils.unwrap import innermost_dataset_cfg

SPLITS = ('train', 'val', 'test')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--samples', type=int, default=4,
                        help='images run through each pipeline')
    parser.add_argument('--json', help='also write the report here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def check_split(cfg, split, samples):
    loader = cfg.get(f'{split}_dataloader')
    if not loader:
        return None
    dataset_cfg = dict(innermost_dataset_cfg(loader.dataset))
    dataset = DATASETS.build(dataset_cfg)  # refuses missing files itself
    paths = [dataset.get_data_info(i)['img_path']
             for i in range(len(dataset))]
    unreadable = find_unreadable_images('', paths)
    classes = list(dataset.metainfo.get('classes') or [])
    counts = get_class_counts(dataset)
    outputs = []
    for index in range(min(samples, len(dataset))):
        if paths[index] in unreadable:
            continue
        inputs = dataset[index]['inputs']
        outputs.append(dict(shape=list(inputs.shape),
                            dtype=str(inputs.dtype).replace('torch.', ''),
                            min=float(inputs.min()), max=float(inputs.max())))
    return dict(images=len(dataset), classes=classes,
                counts=dict(zip(classes or range(len(counts)), counts)),
                imbalance_ratio=imbalance_ratio(counts) if counts else None,
                unreadable=unreadable, pipeline_outputs=outputs)


def problems_of(cfg, report):
    problems = []
    for split, result in report.items():
        if result is None:
            continue
        for path in result['unreadable'][:10]:
            problems.append(f'{split}: {path} does not decode as an image; '
                            'replace or remove it (and re-run the data '
                            'preparation)')
        if len(result['unreadable']) > 10:
            problems.append(f'{split}: {len(result["unreadable"]) - 10} '
                            'more images do not decode')
    train = report.get('train')
    if train:
        empty = [c for c, n in train['counts'].items() if n == 0]
        if empty:
            problems.append(f'train: no image of {empty}; a class without '
                            'training images cannot be learnt (or guided)')
        outputs = cfg.model.get('head', {}).get('num_classes')
        if outputs is not None and outputs != len(train['classes']):
            problems.append(
                f'model.head.num_classes is {outputs} but the training set '
                f'has {len(train["classes"])} classes: set '
                f'model.head.num_classes={len(train["classes"])}')
    return problems


def print_report(report, problems):
    for split, result in report.items():
        if result is None:
            print(f'{split}: no {split}_dataloader')
            continue
        ratio = result['imbalance_ratio']
        print(f'{split}: {result["images"]} images, imbalance ratio '
              f'{"n/a" if ratio is None else f"{ratio:.1f}"}, '
              f'{len(result["unreadable"])} unreadable')
        print('  ' + ', '.join(f'{c}={n}'
                               for c, n in result['counts'].items()))
        for output in result['pipeline_outputs'][:1]:
            print(f'  pipeline output: {output["dtype"]} '
                  f'{tuple(output["shape"])}, values {output["min"]:g}..'
                  f'{output["max"]:g}')
    for problem in problems:
        print(f'error: {problem}', file=sys.stderr)
    if not problems:
        print('the data is ready to train on')


def main(argv=None):
    args = parse_args(argv)
    if not osp.isfile(args.config):
        raise SystemExit(f'error: config {args.config} not found')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    torch.set_num_threads(1)
    try:
        report = {split: check_split(cfg, split, args.samples)
                  for split in SPLITS}
    except (FileNotFoundError, ValueError) as error:
        raise SystemExit(f'error: {error}') from error
    problems = problems_of(cfg, report)
    print_report(report, problems)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump(dict(splits=report, problems=problems), f, indent=2)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
