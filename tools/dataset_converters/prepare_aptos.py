"""Make MMPretrain annotation files for APTOS 2019 (stratified 70/10/20).

Reads the Kaggle competition layout::

    DATA_ROOT/train.csv            (columns id_code, diagnosis = grade 0-4)
    DATA_ROOT/train_images/<id_code>.png

and writes ``OUT_DIR/meta/{train,val,test}.json``, ``OUT_DIR/split.json``
and ``OUT_DIR/images`` (a link to DATA_ROOT). Images listed in the CSV but
absent or unreadable are reported and left out.

Example::

    python tools/dataset_converters/prepare_aptos.py \\
        --data-root /data/aptos2019 --out-dir data/aptos
"""
import argparse
import csv
import os.path as osp
import sys

from iois_mm.datasets import APTOS
from iois_mm.datasets.preparation import DatasetPreparationError, prepare_split
from split_arguments import add_split_arguments

CSV_NAME = 'train.csv'
IMAGE_DIR = 'train_images'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True,
                        help='directory with train.csv and train_images/')
    add_split_arguments(parser, default_out_dir='data/aptos')
    return parser.parse_args(argv)


def read_records(data_root):
    csv_path = osp.join(data_root, CSV_NAME)
    if not osp.isfile(csv_path):
        raise DatasetPreparationError(
            f'{csv_path} not found: --data-root must be the APTOS 2019 '
            f'directory holding {CSV_NAME}')
    if not osp.isdir(osp.join(data_root, IMAGE_DIR)):
        raise DatasetPreparationError(
            f'image folder {osp.join(data_root, IMAGE_DIR)} not found')
    num_classes = len(APTOS.METAINFO['classes'])
    with open(csv_path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        if not {'id_code', 'diagnosis'}.issubset(reader.fieldnames or ()):
            raise DatasetPreparationError(
                f'{csv_path} lacks the columns id_code, diagnosis '
                f'(found {reader.fieldnames})')
        records = []
        for row in reader:
            grade = row['diagnosis'].strip()
            if grade not in {str(g) for g in range(num_classes)}:
                raise DatasetPreparationError(
                    f'{csv_path}: image {row["id_code"]} has diagnosis '
                    f'{grade!r}; expected a grade 0-{num_classes - 1}')
            records.append(dict(
                img_path=f'{IMAGE_DIR}/{row["id_code"]}.png',
                gt_label=int(grade), image_id=row['id_code']))
    return records


def main(argv=None):
    args = parse_args(argv)
    try:
        records = read_records(args.data_root)
        prepare_split(records, APTOS.METAINFO['classes'], args.data_root,
                      args.out_dir, 'APTOS', seed=args.seed,
                      ratios=args.ratios,
                      check_images=not args.no_check_images)
    except DatasetPreparationError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
