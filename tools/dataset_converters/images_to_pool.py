"""Pack a folder of generated images into a synthetic pool (.npz).

For training on images from any generator (e.g. the paper's Cell-GAN and
StyleGAN2-ADA rows) through ``SyntheticMixDataset(pool_file=...)``. The
folder holds one sub-folder per class, named as the dataset's classes::

    GAN_OUT/akiec/*.png  GAN_OUT/bcc/*.png  ...  GAN_OUT/vasc/*.png

Images are resized to ``--size`` (the classifier's pipeline resizes them
again, like real images). An unknown sub-folder or an unreadable image is
an error; a class with no folder gets no images (and is reported).

Example::

    python tools/dataset_converters/images_to_pool.py GAN_OUT \\
        --dataset HAM10000 \\
        --size 64 --out data/ham64/stylegan2_pool.npz
"""
import argparse
import os
import os.path as osp
import sys

import numpy as np
from PIL import Image, UnidentifiedImageError

import iois_mm  # noqa: F401  (registers the dataset types)
from iois_mm.datasets.pool_file import save_pool_file
from mmpretrain.registry import DATASETS

EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.webp')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root', help='folder with one sub-folder per class')
    parser.add_argument('--dataset', default='HAM10000',
                        help='dataset type whose class names to use')
    parser.add_argument('--size', type=int, default=64)
    parser.add_argument('--out', required=True)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if not osp.isdir(args.root):
        print(f'error: {args.root} is not a directory', file=sys.stderr)
        return 2
    classes = list(DATASETS.get(args.dataset).METAINFO['classes'])
    unknown = sorted(set(os.listdir(args.root)) - set(classes))
    unknown = [name for name in unknown
               if osp.isdir(osp.join(args.root, name))]
    if unknown:
        print(f'error: sub-folders {unknown} are not {args.dataset} classes '
              f'{classes}', file=sys.stderr)
        return 2
    images, labels = [], []
    for label, name in enumerate(classes):
        folder = osp.join(args.root, name)
        if not osp.isdir(folder):
            print(f'no images for {name}')
            continue
        for file in sorted(os.listdir(folder)):
            if not file.lower().endswith(EXTENSIONS):
                continue
            try:
                with Image.open(osp.join(folder, file)) as image:
                    images.append(np.asarray(image.convert('RGB').resize(
                        (args.size, args.size), Image.BICUBIC)))
            except (UnidentifiedImageError, OSError) as error:
                print(f'error: cannot read {osp.join(folder, file)}: {error}',
                      file=sys.stderr)
                return 2
            labels.append(label)
    if not images:
        print(f'error: no images under {args.root}', file=sys.stderr)
        return 2
    save_pool_file(args.out, np.stack(images), np.array(labels), classes)
    counts = np.bincount(labels, minlength=len(classes))
    print(f'wrote {len(images)} images to {args.out}: ' + ', '.join(
        f'{n}={c}' for n, c in zip(classes, counts)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
