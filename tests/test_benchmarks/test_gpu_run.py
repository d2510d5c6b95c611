"""benchmarks/gpu/run.sh in its --dry-run mode (CPU, tiny sizes): the
diffusion pre-training, benchmark and HAM-32 table parts of the GPU run go
through the same script, so that the scarce GPU run does not fail on a
typo; the files that come back are checked as a reader would use them. (Its
``tests`` part is pytest itself: ``IOIS_CUDA_TESTS_DEVICE=cpu python -m
pytest -m cuda tests`` runs those tests on the CPU.)"""
import json
import os
import os.path as osp
import subprocess
import sys
import tarfile

import pytest
import torch
from mmengine.config import Config
from mmpretrain.registry import MODELS

from ..conftest import REPO, SHARED_HAM, build_procedural_ham_tree

IOIS_HAM32 = 'configs/ham32/iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py'


def untrained_classifier(path):
    """HAM-32's classifier at its initialisation, as a checkpoint: the
    report's feature space (a GPU run carries the CE model's)."""
    import iois_mm  # noqa: F401  (registers components)
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(osp.join(REPO, IOIS_HAM32)).model)
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return str(path)


def test_gpu_run_dry_run_writes_every_result(tmp_path):
    out = tmp_path / 'out'
    # the stronger diffusion preset (time budget) and its quality report
    env = dict(os.environ, PYTHON=sys.executable, OUT=str(out),
               GPU_WORK=str(tmp_path / 'work'),
               DDPM_CONFIG='configs/ham32/ddpm_unet32_1xb512_6min_ham32.py',
               REPORT_CLASSIFIER=untrained_classifier(tmp_path / 'ce.pth'))
    if not osp.isfile(osp.join(SHARED_HAM, 'HAM10000_metadata.csv')):
        env['HAM_DIR'] = build_procedural_ham_tree(
            str(tmp_path / 'raw'), dict(nv=300, mel=60, bkl=60, bcc=40,
                                        akiec=30, vasc=15, df=12))
    else:
        env['HAM_DIR'] = SHARED_HAM
    result = subprocess.run(['bash', 'benchmarks/gpu/run.sh', '--dry-run',
                             'ddpm', 'profile', 'bench', 'table'],
                            cwd=REPO, env=env, capture_output=True,
                            text=True, timeout=1800)
    assert result.returncode == 0, (result.stdout[-4000:]
                                    + result.stderr[-2000:])
    files = sorted(os.listdir(out))
    assert len(files) <= 8  # what a device run can bring back
    assert files == sorted([
        'gpu_env.json', 'bench_cpu-small.json', 'epoch_overhead_ham32.json',
        'profile_gpu-128.json', 'ham32_results.tar.gz',
        'ham32_diffusion_model.tar.gz', 'run_log.txt'])

    environment = json.loads((out / 'gpu_env.json').read_text())
    assert environment['dry_run'] and environment['device'] == 'cpu'
    bench = json.loads((out / 'bench_cpu-small.json').read_text())
    assert bench['speedup'] > 0 and bench['agreement']['same_function']
    # the profile: where the UNet forward's time goes, and its other forms
    profiled = json.loads((out / 'profile_gpu-128.json').read_text())[
        'profile']
    assert set(profiled['forms']) == {
        'float32 weights, bf16 autocast (as sampled)', 'bf16 weights'}
    assert all(form['ms_per_forward'] > 0
               for form in profiled['forms'].values())
    shares = profiled['profile']['share_by_kind']
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares['convolution'] > 0.2  # a UNet is mostly convolutions
    overhead = json.loads((out / 'epoch_overhead_ham32.json').read_text())
    epochs = overhead['epoch_overhead']
    # tiny sizes on a shared CPU: the ratio itself is noise here
    assert epochs['ce_epoch_seconds'] > 0 and epochs['iois_epoch_seconds'] > 0
    assert epochs['ratio'] == pytest.approx(epochs['iois_epoch_seconds'] /
                                            epochs['ce_epoch_seconds'])
    # the table's IOIS row used the ddpm part's model: no second training
    with tarfile.open(out / 'ham32_results.tar.gz') as archive:
        log = archive.extractfile('ham32_results/table.log').read().decode()
    assert 'diffusion pre-training: started' not in log

    with tarfile.open(out / 'ham32_results.tar.gz') as archive:
        names = archive.getnames()
        table = archive.extractfile('ham32_results/table1.md').read().decode()
    assert '| CE Loss |' in table and '| Ours (+OIS, AAS) |' in table
    assert 'ham32_results/diffusion_quality/quality.json' in names
    assert 'ham32_results/runs/ce_seed0.json' in names
    with tarfile.open(out / 'ham32_diffusion_model.tar.gz') as archive:
        assert 'diffusion_model/model_index.json' in archive.getnames()
        quality = json.loads(archive.extractfile(
            'diffusion_quality/quality.json').read())
    assert quality['guided']['overall']['generated'] == 14
    assert 0 <= quality['colour_outliers']['unguided'] <= 1
    summary = (out / 'run_log.txt').read_text()
    assert '== summary' in summary and 'speed-up' in summary
