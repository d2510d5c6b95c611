"""Make MMPretrain annotation files for HAM10000 (stratified 70/10/20).

Reads the official layout::

    DATA_ROOT/HAM10000_metadata.csv
    DATA_ROOT/HAM10000_images_part_1/ISIC_*.jpg
    DATA_ROOT/HAM10000_images_part_2/ISIC_*.jpg

and writes ``OUT_DIR/meta/{train,val,test}.json``, ``OUT_DIR/split.json``
and ``OUT_DIR/images`` (a link to DATA_ROOT). Images listed in the CSV but
absent or unreadable are reported and left out.

Example::

    python tools/dataset_converters/prepare_ham10000.py \\
        --data-root /data/HAM10000 --out-dir data/ham10000 --group-by lesion_id
"""
import argparse
import csv
import os
import os.path as osp
import sys

from iois_mm.datasets import HAM10000
from iois_mm.datasets.preparation import DatasetPreparationError, prepare_split
from split_arguments import add_split_arguments

CSV_NAME = 'HAM10000_metadata.csv'
IMAGE_DIRS = ('HAM10000_images_part_1', 'HAM10000_images_part_2')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True,
                        help='directory with HAM10000_metadata.csv and the '
                        'two image folders')
    add_split_arguments(parser, default_out_dir='data/ham10000')
    parser.add_argument('--group-by', choices=['lesion_id'],
                        help='keep all images of one lesion in one split '
                        '(avoids leaking a lesion between train and test)')
    return parser.parse_args(argv)


def read_records(data_root):
    csv_path = osp.join(data_root, CSV_NAME)
    if not osp.isfile(csv_path):
        raise DatasetPreparationError(
            f'{csv_path} not found: --data-root must be the HAM10000 '
            f'directory holding {CSV_NAME}')
    image_paths = {}
    for folder in IMAGE_DIRS:
        folder_path = osp.join(data_root, folder)
        if not osp.isdir(folder_path):
            raise DatasetPreparationError(
                f'image folder {folder_path} not found: --data-root must hold '
                f'{" and ".join(IMAGE_DIRS)}')
        for name in os.listdir(folder_path):
            stem, _ = osp.splitext(name)
            image_paths[stem] = f'{folder}/{name}'

    classes = HAM10000.METAINFO['classes']
    with open(csv_path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        needed = {'image_id', 'lesion_id', 'dx'}
        if not needed.issubset(reader.fieldnames or ()):
            raise DatasetPreparationError(
                f'{csv_path} lacks the columns {sorted(needed)} '
                f'(found {reader.fieldnames})')
        records = []
        for row in reader:
            if row['dx'] not in classes:
                raise DatasetPreparationError(
                    f'{csv_path}: image {row["image_id"]} has unknown class '
                    f'{row["dx"]!r}; expected one of {list(classes)}')
            records.append(dict(
                # an image absent on disk keeps a name the report can show
                img_path=image_paths.get(row['image_id'],
                                         row['image_id'] + '.jpg'),
                gt_label=classes.index(row['dx']),
                image_id=row['image_id'],
                lesion_id=row['lesion_id']))
    return records


def main(argv=None):
    args = parse_args(argv)
    try:
        records = read_records(args.data_root)
        prepare_split(records, HAM10000.METAINFO['classes'], args.data_root,
                      args.out_dir, 'HAM10000', seed=args.seed,
                      ratios=args.ratios, group_key=args.group_by,
                      check_images=not args.no_check_images)
    except DatasetPreparationError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
