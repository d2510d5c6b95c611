import json
import os
import os.path as osp

import pytest

from iois_mm.datasets import APTOS, HAM10000

from ..conftest import SMALL_HAM_COUNTS


def test_ham10000_reads_prepared_images(small_ham):
    dataset = HAM10000(data_root=small_ham, ann_file='meta/train.json',
                       data_prefix='images')
    assert dataset.metainfo['classes'] == (
        'akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc')
    counts = dict(zip(dataset.metainfo['classes'], dataset.get_class_counts()))
    for name, total in SMALL_HAM_COUNTS.items():
        assert abs(counts[name] - 0.7 * total) <= 1
    assert osp.isfile(dataset.get_data_info(0)['img_path'])


def test_wrong_dataset_type_for_the_file_is_refused(small_ham):
    with pytest.raises(ValueError, match='APTOS expects the classes'):
        APTOS(data_root=small_ham, ann_file='meta/train.json',
              data_prefix='images')


def test_missing_annotation_file_names_the_prepare_tool(tmp_path):
    with pytest.raises(FileNotFoundError, match='prepare_ham10000.py'):
        HAM10000(data_root=str(tmp_path), ann_file='meta/train.json')


def test_missing_images_fail_at_start_with_a_count(small_ham, tmp_path):
    with open(osp.join(small_ham, 'meta', 'train.json')) as f:
        annotation = json.load(f)
    annotation['data_list'][0]['img_path'] = 'gone/ISIC_0.jpg'
    os.makedirs(tmp_path / 'meta')
    with open(tmp_path / 'meta' / 'train.json', 'w') as f:
        json.dump(annotation, f)
    with pytest.raises(FileNotFoundError, match='1 of .* images .* missing'):
        HAM10000(data_root=str(tmp_path), ann_file='meta/train.json',
                 data_prefix=osp.join(small_ham, 'images'))


def test_label_outside_the_classes_is_refused(small_ham, tmp_path):
    with open(osp.join(small_ham, 'meta', 'val.json')) as f:
        annotation = json.load(f)
    annotation['data_list'][0]['gt_label'] = 9
    os.makedirs(tmp_path / 'meta')
    with open(tmp_path / 'meta' / 'val.json', 'w') as f:
        json.dump(annotation, f)
    with pytest.raises(ValueError, match=r'labels \[9\]'):
        HAM10000(data_root=str(tmp_path), ann_file='meta/val.json',
                 data_prefix=osp.join(small_ham, 'images'))
