"""Turning a labelled image folder into MMPretrain annotation files.

Shared by ``tools/dataset_converters/prepare_*.py``: a seeded, stratified
train/val/test split (optionally keeping groups such as HAM10000 lesions in
one split), an integrity check of the images, and atomic writing of
OpenMMLab 2.0 annotation files (``{"metainfo": ..., "data_list": [...]}``).
"""
import os
import os.path as osp
from collections import defaultdict
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..utils.io import write_json_atomic
from .class_counts import imbalance_ratio

SPLITS = ('train', 'val', 'test')
# The paper's protocol (Sec. 3.1): 70% train, 10% val, 20% test.
DEFAULT_RATIOS = (0.7, 0.1, 0.2)


class DatasetPreparationError(Exception):
    """Bad input to a preparation tool; the message says what to fix."""


def stratified_split(labels: Sequence[int],
                     groups: Optional[Sequence[str]] = None,
                     ratios: Sequence[float] = DEFAULT_RATIOS,
                     seed: int = 0) -> List[str]:
    """Assign every item to ``train``, ``val`` or ``test``, per class.

    Within each class the items (or, with ``groups``, whole groups of items)
    are shuffled with ``seed`` and cut at the cumulative ratios, so each split
    gets its share of every class. Without groups each split is within one
    item of its share. With groups a group goes to the split holding the
    middle of its run of items, so a split is off by at most half a group.

    Args:
        labels: Class index of each item.
        groups: Optional group id of each item (e.g. HAM10000 ``lesion_id``);
            all items of a group land in the same split. A group whose items
            carry different labels is an error.
        ratios: Fractions for train, val and test; must sum to 1.
        seed: Seed of the shuffle; the same inputs and seed give the same
            split.

    Returns:
        The split name of each item, in input order.
    """
    if len(ratios) != 3 or min(ratios) < 0 or abs(sum(ratios) - 1) > 1e-6:
        raise DatasetPreparationError(
            f'split ratios must be three non-negative numbers summing to 1, '
            f'got {tuple(ratios)}')
    labels = [int(label) for label in labels]
    if groups is None:
        groups = [str(i) for i in range(len(labels))]
    if len(groups) != len(labels):
        raise DatasetPreparationError(
            f'{len(groups)} group ids for {len(labels)} items')

    members: Dict[str, List[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    group_label = {}
    for group, indices in members.items():
        group_labels = {labels[i] for i in indices}
        if len(group_labels) > 1:
            raise DatasetPreparationError(
                f'group {group!r} has items of several classes '
                f'{sorted(group_labels)}; it cannot be kept in one split of '
                'a stratified split')
        group_label[group] = group_labels.pop()

    rng = np.random.default_rng(seed)
    boundaries = np.cumsum(ratios)[:2]
    assignment: List[str] = [''] * len(labels)
    # Sorted group ids make the result independent of input order.
    for label in sorted(set(group_label.values())):
        class_groups = sorted(g for g, lab in group_label.items()
                              if lab == label)
        class_groups = [class_groups[i]
                        for i in rng.permutation(len(class_groups))]
        class_size = sum(len(members[g]) for g in class_groups)
        cut_train, cut_val = (round(b * class_size) for b in boundaries)
        start = 0
        for group in class_groups:
            size = len(members[group])
            middle = start + size / 2
            if middle <= cut_train:
                split = 'train'
            elif middle <= cut_val:
                split = 'val'
            else:
                split = 'test'
            for index in members[group]:
                assignment[index] = split
            start += size
    return assignment


def find_unreadable_images(image_root: str, paths: Sequence[str],
                           progress: bool = True) -> List[str]:
    """Return the paths (relative to ``image_root``) that PIL cannot open
    and verify as an image."""
    from PIL import Image
    from tqdm import tqdm

    unreadable = []
    for path in tqdm(paths, desc='checking images', unit='img',
                     disable=None if progress else True, leave=False):
        try:
            with Image.open(osp.join(image_root, path)) as image:
                image.verify()
        except Exception:  # PIL raises many types for a corrupt file
            unreadable.append(path)
    return unreadable


def class_counts(labels: Sequence[int], num_classes: int) -> List[int]:
    return np.bincount(np.asarray(labels, dtype=np.int64),
                       minlength=num_classes).tolist()


def format_split_table(classes: Sequence[str],
                       split_counts: Dict[str, List[int]]) -> str:
    """Per-split class counts and imbalance ratios as a plain-text table."""
    names = list(split_counts)
    width = max(8, max(len(c) for c in classes) + 2)
    lines = [f'{"class":<{width}}' + ''.join(f'{n:>8}' for n in names)]
    for index, name in enumerate(classes):
        lines.append(f'{name:<{width}}' + ''.join(
            f'{split_counts[n][index]:>8}' for n in names))
    lines.append(f'{"total":<{width}}' +
                 ''.join(f'{sum(split_counts[n]):>8}' for n in names))
    lines.append(f'{"ratio":<{width}}' + ''.join(
        f'{imbalance_ratio(split_counts[n]):>8.1f}' for n in names))
    return '\n'.join(lines)


def link_image_root(out_dir: str, image_root: str,
                    link_name: str = 'images') -> str:
    """Make ``out_dir/link_name`` a symlink to ``image_root``.

    The annotation files store image paths relative to the raw dataset root,
    and configs use ``data_prefix='images'``: the link ties the two without
    copying the images.
    """
    link = osp.join(out_dir, link_name)
    target = osp.abspath(image_root)
    if osp.islink(link):
        if osp.realpath(link) != osp.realpath(target):
            os.remove(link)
            os.symlink(target, link)
    elif osp.exists(link):
        if osp.realpath(link) != osp.realpath(target):
            raise DatasetPreparationError(
                f'{link} exists and is not a link to {target}; remove it or '
                'choose another --out-dir')
    else:
        os.symlink(target, link)
    return link


def write_split_annotations(records: List[dict], splits: Sequence[str],
                            classes: Sequence[str], out_dir: str,
                            dataset_name: str,
                            extra_meta: Optional[dict] = None
                            ) -> Dict[str, List[int]]:
    """Write ``out_dir/meta/{train,val,test}.json``; return per-split counts.

    Each record needs ``img_path`` (relative to the image root) and
    ``gt_label``; other keys (image ids, lesion ids) are kept for reference.
    """
    by_split: Dict[str, List[dict]] = {name: [] for name in SPLITS}
    for record, split in zip(records, splits):
        by_split[split].append(record)
    counts = {}
    for name in SPLITS:
        data_list = sorted(by_split[name], key=lambda r: r['img_path'])
        meta = dict(classes=list(classes), dataset=dataset_name, split=name,
                    **(extra_meta or {}))
        write_json_atomic(
            osp.join(out_dir, 'meta', f'{name}.json'),
            dict(metainfo=meta, data_list=data_list))
        counts[name] = class_counts([r['gt_label'] for r in data_list],
                                    len(classes))
    return counts


def report_missing(kind: str, names: Sequence[str], total: int,
                   shown: int = 5) -> Optional[str]:
    """One line naming how many of ``total`` items are ``kind`` and a few of
    them, or None when there are none."""
    if not names:
        return None
    examples = ', '.join(names[:shown])
    more = ' ...' if len(names) > shown else ''
    return (f'{len(names)} of {total} listed images are {kind} and were '
            f'skipped: {examples}{more}')


def leaked_groups(groups: Sequence[str], splits: Sequence[str]) -> int:
    """Number of groups whose items fall in more than one split."""
    seen: Dict[str, set] = defaultdict(set)
    for group, split in zip(groups, splits):
        seen[group].add(split)
    return sum(len(s) > 1 for s in seen.values())


def prepare_split(records: List[dict], classes: Sequence[str],
                  image_root: str, out_dir: str, dataset_name: str,
                  seed: int = 0, ratios: Sequence[float] = DEFAULT_RATIOS,
                  group_key: Optional[str] = None, check_images: bool = True,
                  log=print) -> Dict[str, List[int]]:
    """Check, split and write one dataset; the converters' common path.

    Args:
        records: One dict per listed image with ``img_path`` (relative to
            ``image_root``), ``gt_label`` and any reference fields.
        classes: Class names in label order.
        image_root: Directory the ``img_path`` values are relative to.
        out_dir: Receives ``meta/{train,val,test}.json``, ``split.json``
            (the arguments and counts) and the ``images`` link.
        dataset_name: Recorded in the annotation metainfo.
        seed, ratios: See :func:`stratified_split`.
        group_key: Record field whose items must share a split.
        check_images: Also skip (and report) files PIL cannot read.
        log: Where the report goes.

    Returns:
        Per-split class counts.
    """
    total = len(records)
    missing = [r['img_path'] for r in records
               if not osp.isfile(osp.join(image_root, r['img_path']))]
    unusable = set(missing)
    message = report_missing('missing on disk', missing, total)
    if message:
        log(message)
    if check_images:
        readable = [r['img_path'] for r in records
                    if r['img_path'] not in unusable]
        unreadable = find_unreadable_images(image_root, readable)
        unusable.update(unreadable)
        message = report_missing('unreadable (corrupt or not an image)',
                                 unreadable, total)
        if message:
            log(message)
    present = [r for r in records if r['img_path'] not in unusable]
    if not present:
        raise DatasetPreparationError(
            f'none of the {total} listed images could be used under '
            f'{image_root}; check --data-root')

    labels = [r['gt_label'] for r in present]
    groups = [r[group_key] for r in present] if group_key else None
    splits = stratified_split(labels, groups, ratios=ratios, seed=seed)
    counts = write_split_annotations(
        present, splits, classes, out_dir, dataset_name,
        extra_meta=dict(seed=seed, ratios=list(ratios), group_by=group_key))
    link_image_root(out_dir, image_root)
    write_json_atomic(
        osp.join(out_dir, 'split.json'),
        dict(dataset=dataset_name, image_root=osp.abspath(image_root),
             seed=seed, ratios=list(ratios), group_by=group_key,
             listed=total, used=len(present), classes=list(classes),
             class_counts=counts))

    log(f'{dataset_name}: {len(present)} images split with seed {seed} '
        f'into {", ".join(f"{n} {sum(c)}" for n, c in counts.items())}')
    log(format_split_table(classes, counts))
    if not group_key and 'lesion_id' in present[0]:
        leaks = leaked_groups([r['lesion_id'] for r in present], splits)
        if leaks:
            log(f'note: {leaks} lesions have images in more than one split; '
                'use --group-by lesion_id to keep each lesion in one split')
    for name, split_counts in counts.items():
        empty = [c for c, n in zip(classes, split_counts) if n == 0]
        if empty:
            log(f'warning: the {name} split has no images of {empty}')
    log(f'annotations written to {osp.join(out_dir, "meta")}')
    return counts
