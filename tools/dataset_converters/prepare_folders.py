"""Prepare a data set of one's own from class folders (stratified 70/10/20).

Reads MMPretrain's class-folder layout::

    DATA_ROOT/<class name>/<image>      (png, jpg, jpeg, bmp, tif, tiff)

decodes every image, writes a square copy of it at ``--size`` pixels
(centre-cropped to square, then resized; PNG, RGB or with ``--grayscale``
one channel) to ``OUT_DIR/images/<class>/``, and the annotation files
``OUT_DIR/meta/{train,val,test}.json`` plus ``OUT_DIR/split.json``, which
``PreparedImageDataset`` (``configs/_base_/own_data/``) reads. Classes are
the folder names in sorted order. An image that does not decode stops the
preparation with the list of such files, unless ``--skip-unreadable``
leaves them out (and reports them).

Example::

    python tools/dataset_converters/prepare_folders.py \\
        --data-root /data/chest_xray --out-dir data/xray --size 32 --grayscale
"""
import argparse
import os
import os.path as osp
import shutil
import sys

from PIL import Image, ImageOps
from split_arguments import add_split_arguments
from tqdm import tqdm

from iois_mm.datasets.preparation import (DatasetPreparationError,
                                          prepare_split, report_missing)

EXTENSIONS = ('.png', '.jpg', '.jpeg', '.bmp', '.tif', '.tiff')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True,
                        help='a folder with one sub-folder of images per '
                        'class')
    parser.add_argument('--size', type=int, required=True,
                        help='side of the square images the classifier and '
                        'the diffusion model work at (e.g. 32, 64)')
    parser.add_argument('--grayscale', action='store_true',
                        help='one-channel images (X-rays); default RGB')
    parser.add_argument('--skip-unreadable', action='store_true',
                        help='leave out (and report) images that do not '
                        'decode instead of stopping')
    parser.add_argument('--name', help='data set name in the annotations '
                        '(default: the folder name of --data-root)')
    add_split_arguments(parser, default_out_dir='data/own')
    return parser.parse_args(argv)


def list_class_folders(data_root):
    """``(classes, [(class index, path relative to data_root)])``."""
    if not osp.isdir(data_root):
        raise DatasetPreparationError(f'--data-root {data_root} is not a '
                                      'directory')
    classes, images = [], []
    for name in sorted(os.listdir(data_root)):
        folder = osp.join(data_root, name)
        if not osp.isdir(folder) or name.startswith('.'):
            continue
        files = sorted(f for f in os.listdir(folder)
                       if f.lower().endswith(EXTENSIONS))
        if not files:
            raise DatasetPreparationError(
                f'class folder {folder} holds no image '
                f'({", ".join(EXTENSIONS)}); remove it or add its images')
        images += [(len(classes), f'{name}/{f}') for f in files]
        classes.append(name)
    if len(classes) < 2:
        raise DatasetPreparationError(
            f'{data_root} has {len(classes)} class folder(s); a classifier '
            'needs at least 2 (DATA_ROOT/<class>/<image>)')
    return classes, images


def write_square_copies(data_root, images, out_root, size, mode,
                        skip_unreadable):
    """Decode every image and write its square ``size`` copy; returns the
    records of those written."""
    records, unreadable = [], []
    for label, path in tqdm(images, desc=f'resizing to {size}px',
                            unit='img'):
        try:
            with Image.open(osp.join(data_root, path)) as image:
                image = ImageOps.fit(image.convert(mode), (size, size),
                                     Image.BICUBIC)
        except Exception:  # PIL raises many types for a corrupt file
            unreadable.append(path)
            continue
        target = osp.splitext(path)[0] + '.png'
        os.makedirs(osp.dirname(osp.join(out_root, target)), exist_ok=True)
        image.save(osp.join(out_root, target))
        records.append(dict(img_path=target, gt_label=label, source=path))
    message = report_missing('unreadable (corrupt or not an image)',
                             unreadable, len(images))
    if message and not skip_unreadable:
        raise DatasetPreparationError(
            message.replace('and were skipped', '') + '. Fix or remove '
            'them, or pass --skip-unreadable to leave them out')
    if message:
        print(message)
    return records


def main(argv=None):
    args = parse_args(argv)
    images_dir = osp.join(args.out_dir, 'images')
    staging = images_dir + '.partial'  # never a half-written images/
    try:
        classes, images = list_class_folders(args.data_root)
        shutil.rmtree(staging, ignore_errors=True)
        records = write_square_copies(
            args.data_root, images, staging, args.size,
            'L' if args.grayscale else 'RGB', args.skip_unreadable)
        if osp.islink(images_dir):
            os.remove(images_dir)
        shutil.rmtree(images_dir, ignore_errors=True)
        os.replace(staging, images_dir)
        prepare_split(records, classes, images_dir, args.out_dir,
                      args.name or osp.basename(osp.abspath(args.data_root)),
                      seed=args.seed, ratios=args.ratios, check_images=False)
    except DatasetPreparationError as error:
        shutil.rmtree(staging, ignore_errors=True)
        print(f'error: {error}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
