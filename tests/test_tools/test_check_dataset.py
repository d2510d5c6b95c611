"""tools/analysis/check_dataset.py: a config's data checked before
training, with a clear report."""
import json
import os
import shutil

from ..conftest import call_tool, tiny_classifier_config

CE = 'configs/baselines/ce_resnet50_in1k-pre_1xb32_200e_ham10000.py'


def copy_of(prepared, tmp_path):
    """A private copy of a prepared data set (images copied, not linked)."""
    root = tmp_path / 'data'
    shutil.copytree(prepared, root, symlinks=False)
    return root


def test_clean_data_is_ready(small_ham, tmp_path):
    config = tiny_classifier_config(CE, small_ham, tmp_path / 'ce.py')
    out = tmp_path / 'report.json'
    result = call_tool('tools/analysis/check_dataset.py', config, '--json',
                       str(out))
    assert 'the data is ready to train on' in result.stdout
    report = json.loads(out.read_text())
    train = report['splits']['train']
    with open(os.path.join(small_ham, 'meta', 'train.json')) as f:
        listed = json.load(f)['data_list']
    assert train['images'] == len(listed)
    assert sum(train['counts'].values()) == len(listed)
    assert train['counts']['nv'] == max(train['counts'].values())
    assert train['imbalance_ratio'] == (max(train['counts'].values()) /
                                        min(train['counts'].values()))
    # the training pipeline's output: a 3 x 32 x 32 uint8 image
    assert train['pipeline_outputs'][0]['shape'] == [3, 32, 32]
    assert train['pipeline_outputs'][0]['dtype'] == 'uint8'
    assert report['problems'] == []


def test_corrupt_image_and_wrong_class_count_are_reported(small_ham,
                                                          tmp_path):
    root = copy_of(small_ham, tmp_path)
    with open(root / 'meta' / 'val.json') as f:
        victim = json.load(f)['data_list'][0]['img_path']
    (root / 'images' / victim).write_bytes(b'not an image')
    config = tiny_classifier_config(
        CE, str(root), tmp_path / 'ce.py',
        extra='model = dict(head=dict(num_classes=5))')
    result = call_tool('tools/analysis/check_dataset.py', config,
                       check=False)
    assert result.returncode == 1
    assert f'val: {root}/images/{victim} does not decode' in result.stderr
    assert 'set model.head.num_classes=7' in result.stderr
