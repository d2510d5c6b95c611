import io
import json
import os
import os.path as osp
import shutil
from collections import Counter, defaultdict

import pytest

from ..conftest import (HAM_CLASSES, HAM_PARTS, SHARED_HAM, call_tool,
                        read_ham_rows, requires_shared_ham, run_tool)

TOOL = 'tools/dataset_converters/prepare_ham10000.py'


def load_split(out_dir, name):
    with open(osp.join(out_dir, 'meta', f'{name}.json')) as f:
        return json.load(f)


def per_class_counts(annotation):
    counts = Counter(item['gt_label'] for item in annotation['data_list'])
    return [counts[i] for i in range(len(HAM_CLASSES))]


def fake_full_ham_tree(root, drop=(), corrupt=()):
    """The full official layout: the real CSV (10,015 rows, lesions with up
    to 6 images) with a tiny valid JPEG for every row, so grouping and the
    full-size path are tested without the 3 GB download."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new('RGB', (4, 4), (120, 80, 60)).save(buffer, format='JPEG')
    jpeg = buffer.getvalue()
    os.makedirs(root)
    shutil.copy(osp.join(SHARED_HAM, 'HAM10000_metadata.csv'), root)
    for part in HAM_PARTS:
        os.makedirs(osp.join(root, part))
    for index, row in enumerate(read_ham_rows()):
        if row['image_id'] in drop:
            continue
        path = osp.join(root, HAM_PARTS[index % 2], row['image_id'] + '.jpg')
        with open(path, 'wb') as f:
            f.write(b'not a jpeg' if row['image_id'] in corrupt else jpeg)
    return root


@requires_shared_ham
def test_shared_copy_split_is_stratified_disjoint_and_reproducible(tmp_path):
    out = str(tmp_path / 'a')
    result = run_tool(TOOL, '--data-root', SHARED_HAM, '--out-dir', out)
    # the 4,031 CSV rows without a file are reported, with names
    assert '4031 of 10015 listed images are missing on disk' in result.stdout
    assert 'ISIC_' in result.stdout
    assert 'ratio' in result.stdout and '72.0' in result.stdout

    splits = {n: load_split(out, n) for n in ('train', 'val', 'test')}
    counts = {n: per_class_counts(a) for n, a in splits.items()}
    totals = [sum(c) for c in zip(*counts.values())]
    assert totals == [183, 264, 583, 60, 491, 4323, 80]  # README's counts
    for name, share in (('train', 0.7), ('val', 0.1), ('test', 0.2)):
        for n, total in zip(counts[name], totals):
            assert abs(n - share * total) <= 1, (name, n, total)

    paths = [{i['img_path'] for i in a['data_list']} for a in splits.values()]
    assert not (paths[0] & paths[1] or paths[0] & paths[2]
                or paths[1] & paths[2])
    assert sum(len(p) for p in paths) == 5984

    # images are reachable through the link the configs use
    first = splits['train']['data_list'][0]['img_path']
    assert osp.isfile(osp.join(out, 'images', first))

    # same seed, same files; another seed, another split
    out_again = str(tmp_path / 'b')
    call_tool(TOOL, '--data-root', SHARED_HAM, '--out-dir', out_again)
    out_other = str(tmp_path / 'c')
    call_tool(TOOL, '--data-root', SHARED_HAM, '--out-dir', out_other,
             '--seed', '1')
    for name in ('train', 'val', 'test'):
        with open(osp.join(out, 'meta', f'{name}.json'), 'rb') as f1, \
                open(osp.join(out_again, 'meta', f'{name}.json'), 'rb') as f2:
            assert f1.read() == f2.read()
    assert load_split(out_other, 'test') != splits['test']


@requires_shared_ham
def test_full_layout_group_by_lesion_keeps_lesions_whole(tmp_path):
    root = fake_full_ham_tree(str(tmp_path / 'full'))
    out = str(tmp_path / 'grouped')
    call_tool(TOOL, '--data-root', root, '--out-dir', out, '--group-by',
             'lesion_id', '--no-check-images')
    lesion_splits = defaultdict(set)
    counts = {}
    for name in ('train', 'val', 'test'):
        annotation = load_split(out, name)
        counts[name] = per_class_counts(annotation)
        for item in annotation['data_list']:
            lesion_splits[item['lesion_id']].add(name)
    assert len(lesion_splits) == 7470
    assert all(len(s) == 1 for s in lesion_splits.values())
    totals = [sum(c) for c in zip(*counts.values())]
    assert totals == [327, 514, 1099, 115, 1113, 6705, 142]
    # a lesion has at most 6 images: each split is within 3 of its share
    for name, share in (('train', 0.7), ('val', 0.1), ('test', 0.2)):
        for n, total in zip(counts[name], totals):
            assert abs(n - share * total) <= 3, (name, n, total)

    # without grouping the tool says that lesions leak across splits
    result = call_tool(TOOL, '--data-root', root, '--out-dir',
                      str(tmp_path / 'ungrouped'), '--no-check-images')
    assert 'use --group-by lesion_id' in result.stdout


@requires_shared_ham
def test_missing_and_corrupt_images_are_reported_and_left_out(tmp_path):
    rows = read_ham_rows()
    dropped = {rows[0]['image_id'], rows[1]['image_id']}
    corrupt = {rows[2]['image_id']}
    root = fake_full_ham_tree(str(tmp_path / 'full'), drop=dropped,
                              corrupt=corrupt)
    out = str(tmp_path / 'out')
    result = call_tool(TOOL, '--data-root', root, '--out-dir', out)
    assert '2 of 10015 listed images are missing on disk' in result.stdout
    assert '1 of 10015 listed images are unreadable' in result.stdout
    assert rows[2]['image_id'] in result.stdout
    listed = {item['image_id'] for name in ('train', 'val', 'test')
              for item in load_split(out, name)['data_list']}
    assert len(listed) == 10012
    assert not listed & (dropped | corrupt)


def test_missing_csv_or_image_folder_is_a_clear_error(tmp_path):
    result = call_tool(TOOL, '--data-root', str(tmp_path), '--out-dir',
                      str(tmp_path / 'out'), check=False)
    assert result.returncode == 2
    assert 'HAM10000_metadata.csv not found' in result.stderr
    assert 'Traceback' not in result.stderr

    (tmp_path / 'HAM10000_metadata.csv').write_text(
        'lesion_id,image_id,dx\nHAM_1,ISIC_1,nv\n')
    os.makedirs(tmp_path / HAM_PARTS[0])
    result = call_tool(TOOL, '--data-root', str(tmp_path), '--out-dir',
                      str(tmp_path / 'out'), check=False)
    assert result.returncode == 2
    assert HAM_PARTS[1] in result.stderr and 'not found' in result.stderr
    assert not osp.exists(tmp_path / 'out' / 'meta')


def test_unknown_class_in_csv_is_a_clear_error(tmp_path):
    (tmp_path / 'HAM10000_metadata.csv').write_text(
        'lesion_id,image_id,dx\nHAM_1,ISIC_1,melanoma\n')
    for part in HAM_PARTS:
        os.makedirs(tmp_path / part)
    result = call_tool(TOOL, '--data-root', str(tmp_path), '--out-dir',
                      str(tmp_path / 'out'), check=False)
    assert result.returncode == 2
    assert "unknown class 'melanoma'" in result.stderr


def test_stratified_split_within_one_item_and_deterministic():
    from iois_mm.datasets.preparation import stratified_split

    labels = [0] * 101 + [1] * 17 + [2] * 3
    first = stratified_split(labels, seed=3)
    assert first == stratified_split(labels, seed=3)
    assert first != stratified_split(labels, seed=4)
    for label, size in ((0, 101), (1, 17), (2, 3)):
        got = Counter(s for s, lab in zip(first, labels) if lab == label)
        for name, share in (('train', .7), ('val', .1), ('test', .2)):
            assert abs(got[name] - share * size) <= 1


def test_group_with_two_classes_is_refused():
    from iois_mm.datasets.preparation import (DatasetPreparationError,
                                              stratified_split)

    with pytest.raises(DatasetPreparationError, match='several classes'):
        stratified_split([0, 1], groups=['lesion', 'lesion'])
