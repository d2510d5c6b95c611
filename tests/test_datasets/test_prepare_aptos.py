import json
import os.path as osp
from collections import Counter

from ..conftest import GRADE_COUNTS, call_tool, fake_aptos_tree, run_tool

TOOL = 'tools/dataset_converters/prepare_aptos.py'
def test_aptos_split_counts_and_report(tmp_path):
    root = fake_aptos_tree(str(tmp_path / 'aptos'), missing={'4000abc'})
    out = str(tmp_path / 'out')
    result = run_tool(TOOL, '--data-root', root, '--out-dir', out)
    assert '1 of 101 listed images are missing on disk' in result.stdout
    assert '4000abc.png' in result.stdout
    assert 'proliferative_dr' in result.stdout  # the per-class table

    got = {}
    for name in ('train', 'val', 'test'):
        with open(osp.join(out, 'meta', f'{name}.json')) as f:
            annotation = json.load(f)
        assert annotation['metainfo']['classes'] == [
            'no_dr', 'mild', 'moderate', 'severe', 'proliferative_dr']
        got[name] = Counter(i['gt_label'] for i in annotation['data_list'])
        for item in annotation['data_list']:
            assert osp.isfile(osp.join(out, 'images', item['img_path']))
    expected = {**GRADE_COUNTS, 4: GRADE_COUNTS[4] - 1}
    for grade, total in expected.items():
        assert sum(got[n][grade] for n in got) == total
        for name, share in (('train', .7), ('val', .1), ('test', .2)):
            assert abs(got[name][grade] - share * total) <= 1


def test_aptos_bad_inputs_are_clear_errors(tmp_path):
    result = call_tool(TOOL, '--data-root', str(tmp_path), check=False)
    assert result.returncode == 2 and 'train.csv not found' in result.stderr

    root = fake_aptos_tree(str(tmp_path / 'aptos'))
    with open(osp.join(root, 'train.csv'), 'a') as f:
        f.write('zzz,7\n')
    result = call_tool(TOOL, '--data-root', root, '--out-dir',
                      str(tmp_path / 'out'), check=False)
    assert result.returncode == 2
    assert "diagnosis '7'" in result.stderr
    assert 'Traceback' not in result.stderr
