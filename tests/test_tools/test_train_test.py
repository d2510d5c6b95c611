"""tools/train.py, tools/test.py and collect_results.py run as a user runs
them, on a small HAM10000 set (real images when ../shared is present), CPU."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import pytest

from iois_mm.utils.environment import describe_cpu
from ..conftest import REPO, call_tool, run_tool, tiny_classifier_config

CE = 'configs/baselines/ce_resnet50_in1k-pre_1xb32_200e_ham10000.py'
SQRT_RS = 'configs/baselines/sqrt-rs_resnet50_in1k-pre_1xb32_200e_ham10000.py'


def read_log(work_dir):
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    return open(logs[-1]).read()


def test_train_resume_test_and_table(small_ham, tmp_path):
    config = tiny_classifier_config(CE, small_ham, tmp_path / 'ce.py')
    work_dir = str(tmp_path / 'work')
    run_tool('tools/train.py', config, '--work-dir', work_dir)
    log = read_log(work_dir)
    for key in ('imbalanced/macro_f1', 'imbalanced/balanced_acc',
                'imbalanced/mcc', 'imbalanced/acc_df'):
        assert key in log
    assert 'training set class counts: akiec=7' in log
    best = glob.glob(
        osp.join(work_dir, 'best_imbalanced_macro_f1_epoch_*.pth'))
    assert len(best) == 1

    # --resume continues from epoch 2 (torch's weights_only default is on)
    run_tool('tools/train.py', config, '--work-dir', work_dir, '--resume',
             '--cfg-options', 'train_cfg.max_epochs=3')
    log = read_log(work_dir)
    assert 'resumed epoch: 2' in log
    assert 'Epoch(train) [3]' in log and 'Epoch(train) [1]' not in log
    assert osp.isfile(osp.join(work_dir, 'epoch_3.pth'))

    best = glob.glob(
        osp.join(work_dir, 'best_imbalanced_macro_f1_epoch_*.pth'))
    run_tool('tools/test.py', config, best[0], '--work-dir', work_dir)
    with open(osp.join(work_dir, 'test_results.json')) as f:
        results = json.load(f)
    assert results['method'] == 'CE Loss' and results['dataset'] == 'HAM10000'
    assert results['checkpoint'] == osp.abspath(best[0])
    assert results['machine'] == describe_cpu()  # runs differ by CPU type
    # the file holds what the test run logged
    test_log = read_log(work_dir)
    assert f'imbalanced/mcc: {results["metrics"]["imbalanced/mcc"]:.4f}' \
        in test_log

    table = call_tool('tools/analysis/collect_results.py', work_dir)
    row = [line for line in table.stdout.splitlines()
           if line.startswith('| CE Loss')]
    assert len(row) == 1
    assert f'{results["metrics"]["imbalanced/macro_f1"]:.2f}' in row[0]


def test_dist_train_sh_two_cpu_processes_with_a_resampler(small_ham,
                                                          tmp_path):
    config = tiny_classifier_config(SQRT_RS, small_ham, tmp_path / 'rs.py',
                                    batch_size=4, max_epochs=1)
    work_dir = str(tmp_path / 'work')
    result = subprocess.run(
        ['bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir],
        cwd=REPO, capture_output=True, text=True, timeout=600,
        env=dict(os.environ, PYTHON=sys.executable, PORT='29517'))
    assert result.returncode == 0, result.stderr[-4000:]
    log = read_log(work_dir)
    assert 'Distributed training: True' in log
    # 68 training images, 2 ranks x batch 4 (drop_last): 8 iterations each
    assert 'Epoch(train) [1][8/8]' in log
    assert 'imbalanced/macro_f1' in log


def test_wrong_class_count_is_a_clear_error(small_ham, tmp_path):
    config = tiny_classifier_config(CE, small_ham, tmp_path / 'ce.py')
    result = run_tool('tools/train.py', config, '--work-dir',
                      str(tmp_path / 'work'), '--cfg-options',
                      'model.head.num_classes=5', check=False)
    assert result.returncode != 0
    assert 'has 5 outputs but the training set (HAM10000) has 7 classes' \
        in result.stderr
    assert 'Set model.head.num_classes=7' in result.stderr


def test_unreachable_pretrained_weights_explain_the_offline_switch(
        small_ham, tmp_path):
    # port 9 (discard) refuses at once, as an offline download fails
    config = tiny_classifier_config(
        CE, small_ham, tmp_path / 'ce.py',
        pretrained='http://127.0.0.1:9/weights.pth')
    result = run_tool('tools/train.py', config, '--work-dir',
                      str(tmp_path / 'work'), check=False)
    assert result.returncode != 0
    assert 'model.backbone.init_cfg=None' in result.stderr


def test_test_tool_refuses_a_missing_checkpoint(small_ham, tmp_path):
    config = tiny_classifier_config(CE, small_ham, tmp_path / 'ce.py')
    result = call_tool('tools/test.py', config, str(tmp_path / 'none.pth'),
                       check=False)
    assert result.returncode != 0


def test_collect_results_mean_and_std_over_seeds(tmp_path):
    def result(name, method, dataset, f1):
        path = tmp_path / name
        path.mkdir()
        (path / 'test_results.json').write_text(json.dumps(dict(
            method=method, dataset=dataset, metrics={
                'imbalanced/macro_f1': f1, 'imbalanced/balanced_acc': 50.0,
                'imbalanced/mcc': 40.0})))
        return str(path)

    dirs = [result('a', 'CE Loss', 'HAM10000', 70.0),
            result('b', 'CE Loss', 'HAM10000', 72.0),
            result('c', 'CB-Focal', 'APTOS', 65.0),
            str(tmp_path / 'untested')]
    out = call_tool('tools/analysis/collect_results.py', *dirs, '--json',
                    str(tmp_path / 'table.json'))
    lines = out.stdout.splitlines()
    assert lines[0].startswith('| Method | HAM10000 Macro-F1')
    ce = next(line for line in lines if line.startswith('| CE Loss'))
    assert '71.00 ± 1.41' in ce and ce.rstrip(' |').endswith('2/0')
    cb = next(line for line in lines if line.startswith('| CB-Focal'))
    assert '–' in cb and '65.00' in cb
    # paper order: CE Loss before CB-Focal
    assert lines.index(ce) < lines.index(cb)
    assert 'untested' in out.stderr
    assert json.load(open(tmp_path / 'table.json'))['table']


def test_dist_train_sh_without_arguments_prints_usage():
    result = subprocess.run(['bash', 'tools/dist_train.sh'], cwd=REPO,
                            capture_output=True, text=True)
    assert result.returncode == 2 and 'usage' in result.stderr


def gloo_threads():
    """Names of this process's gloo threads (Linux)."""
    names = [open(path).read().strip()
             for path in glob.glob('/proc/self/task/*/comm')]
    return [name for name in names if 'gloo' in name]


@pytest.mark.skipif(not osp.isdir('/proc/self/task'),
                    reason='reads thread names from /proc')
def test_launched_runs_end_their_process_group_and_its_threads(
        small_ham, tmp_path, monkeypatch):
    # A process that exits with a live gloo group can abort at exit
    # (SIGABRT, "terminate called without an active exception"), killing
    # the other ranks: train.py and test.py end the group and its threads
    # themselves, on success and on error.
    import torch.distributed as dist
    for key, value in dict(RANK='0', WORLD_SIZE='1', LOCAL_RANK='0',
                           MASTER_ADDR='127.0.0.1',
                           MASTER_PORT='29533').items():
        monkeypatch.setenv(key, value)
    config = tiny_classifier_config(CE, small_ham, tmp_path / 'ce.py',
                                    max_epochs=1)
    work_dir = str(tmp_path / 'work')
    assert gloo_threads() == []
    call_tool('tools/train.py', config, '--work-dir', work_dir,
              '--launcher', 'pytorch')
    assert not dist.is_initialized()
    assert gloo_threads() == []
    best = glob.glob(osp.join(work_dir, 'best_*.pth'))[0]
    call_tool('tools/test.py', config, best, '--work-dir', work_dir,
              '--launcher', 'pytorch')
    assert (not dist.is_initialized(), gloo_threads()) == (True, [])
    assert osp.isfile(osp.join(work_dir, 'test_results.json'))
    with pytest.raises(ValueError, match='head has 5 outputs'):
        call_tool('tools/train.py', config, '--work-dir', work_dir,
                  '--launcher', 'pytorch', '--cfg-options',
                  'model.head.num_classes=5')
    assert (not dist.is_initialized(), gloo_threads()) == (True, [])
