"""Copy a HAM10000 tree with its images resized (and optionally fewer).

Writes the official layout again (``HAM10000_metadata.csv`` and the two
image folders), holding only the images present in the source, resized to
``--size`` pixels square, optionally only a ``--fraction`` of each class
(rounded up; the first by image id, so the copy is the same on every
machine, and the class imbalance is kept).
The result is what ``prepare_ham10000.py`` reads, and is small enough to
carry to another machine (the 5,984-image copy at 64 px: 13 MB of files).

Example::

    python tools/dataset_converters/downsize_ham10000.py \\
        --data-root ../shared/data/ham10000 --out-dir data/ham64_raw --size 64
"""
import argparse
import csv
import math
import os
import os.path as osp
import sys
from collections import Counter

from PIL import Image
from tqdm import tqdm

CSV_NAME = 'HAM10000_metadata.csv'
IMAGE_DIRS = ('HAM10000_images_part_1', 'HAM10000_images_part_2')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data-root', required=True)
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--size', type=int, default=64)
    parser.add_argument('--fraction', type=float, default=1.0,
                        help='keep this share of each class (0-1]')
    parser.add_argument('--quality', type=int, default=95,
                        help='JPEG quality of the copies')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    csv_path = osp.join(args.data_root, CSV_NAME)
    if not osp.isfile(csv_path):
        print(f'error: {csv_path} not found', file=sys.stderr)
        return 2
    located = {}
    for folder in IMAGE_DIRS:
        folder_path = osp.join(args.data_root, folder)
        if not osp.isdir(folder_path):
            print(f'error: image folder {folder_path} not found',
                  file=sys.stderr)
            return 2
        for name in os.listdir(folder_path):
            located[osp.splitext(name)[0]] = (folder, name)
    with open(csv_path, newline='', encoding='utf-8') as f:
        reader = csv.DictReader(f)
        fields = reader.fieldnames
        rows = sorted((r for r in reader if r['image_id'] in located),
                      key=lambda r: r['image_id'])
    if not 0 < args.fraction <= 1:
        print(f'error: --fraction must be in (0, 1], got {args.fraction}',
              file=sys.stderr)
        return 2
    if args.fraction < 1:
        sizes = Counter(row['dx'] for row in rows)
        quota = {dx: math.ceil(args.fraction * n) for dx, n in sizes.items()}
        taken = Counter()
        kept = []
        for row in rows:
            if taken[row['dx']] < quota[row['dx']]:
                taken[row['dx']] += 1
                kept.append(row)
        rows = kept
    for folder in IMAGE_DIRS:
        os.makedirs(osp.join(args.out_dir, folder), exist_ok=True)
    for row in tqdm(rows, desc='resizing', unit='img',
                    disable=None):
        folder, name = located[row['image_id']]
        with Image.open(osp.join(args.data_root, folder, name)) as image:
            image.convert('RGB').resize(
                (args.size, args.size), Image.BICUBIC).save(
                    osp.join(args.out_dir, folder, row['image_id'] + '.jpg'),
                    quality=args.quality)
    with open(osp.join(args.out_dir, CSV_NAME), 'w', newline='',
              encoding='utf-8') as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)
    print(f'wrote {len(rows)} images at {args.size}x{args.size} to '
          f'{args.out_dir}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
