"""Diffusion pre-training through tools/train.py, export, and the demo."""
import glob
import os.path as osp

import pytest
import torch

from iois_mm.datasets import make_demo_shapes
from iois_mm.synthesis import GuidedDiffusionSynthesizer

from ..conftest import call_tool, load_tool, run_tool

DDPM = 'configs/demo/ddpm_unet32_demo-shapes.py'


@pytest.fixture(scope='module')
def demo_data(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('demo') / 'data')
    make_demo_shapes(root, log=lambda text: None)
    return root


def read_log(work_dir):
    return open(sorted(glob.glob(osp.join(work_dir, '*', '*.log')))[-1]).read()


def test_pretrain_export_resume(demo_data, tmp_path):
    work_dir = str(tmp_path / 'ddpm')
    options = [f'train_dataloader.dataset.data_root={demo_data}',
               'train_cfg.max_iters=120',
               'default_hooks.checkpoint.interval=60',
               'default_hooks.checkpoint.max_keep_ckpts=3',
               'custom_hooks.1.interval=60',
               'custom_hooks.1.num_inference_steps=3',
               'default_hooks.logger.interval=20']
    run_tool('tools/train.py', DDPM, '--work-dir', work_dir, '--cfg-options',
             *options)
    log = read_log(work_dir)
    assert 'Iter(train) [120/120]' in log and 'loss:' in log
    assert 'diffusion model exported to' in log
    grids = glob.glob(osp.join(work_dir, '*', 'vis_data', 'vis_image',
                               'diffusion_samples_*.png'))
    assert sorted(osp.basename(g) for g in grids) == [
        'diffusion_samples_120.png', 'diffusion_samples_60.png']

    exported = osp.join(work_dir, 'diffusion_model')
    synth = GuidedDiffusionSynthesizer(diffusion_model_dir=exported,
                                       num_inference_steps=2, progress=False)
    assert synth.image_size == (32, 32)

    # the checkpoint's state_dict holds the EMA weights; --raw the trained
    checkpoint = osp.join(work_dir, 'iter_60.pth')
    assert 'ema_state_dict' in torch.load(checkpoint)
    ema_dir, raw_dir = str(tmp_path / 'ema'), str(tmp_path / 'raw')
    assert 'EMA weights' in call_tool('tools/export_diffusion.py', checkpoint,
                                      '--out', ema_dir).stdout
    assert 'trained weights' in call_tool('tools/export_diffusion.py',
                                          checkpoint, '--out', raw_dir,
                                          '--raw').stdout
    ema, raw = (GuidedDiffusionSynthesizer(diffusion_model_dir=d,
                                           progress=False).unet
                for d in (ema_dir, raw_dir))
    first = next(iter(ema.state_dict()))
    assert not torch.equal(ema.state_dict()[first], raw.state_dict()[first])

    run_tool('tools/train.py', DDPM, '--work-dir', work_dir, '--resume',
             checkpoint, '--cfg-options', *options[:1],
             'train_cfg.max_iters=140', *options[2:])
    resumed = read_log(work_dir)
    assert 'resumed epoch: 0, iter: 60' in resumed
    assert 'Iter(train) [140/140]' in resumed


def test_export_refuses_a_classifier_checkpoint(tmp_path):
    from mmengine.config import Config
    cfg = Config.fromfile(osp.join(
        osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))),
        'configs/demo/ce_resnet18_demo-shapes.py'))
    torch.save(dict(meta=dict(cfg=cfg.pretty_text), state_dict={}),
               tmp_path / 'classifier.pth')
    result = call_tool('tools/export_diffusion.py',
                       str(tmp_path / 'classifier.pth'), '--out',
                       str(tmp_path / 'out'), check=False)
    assert result.returncode == 2
    assert 'not a diffusion pre-training' in result.stderr


def test_quick_demo_runs_end_to_end_and_reuses(tmp_path):
    work_dir = str(tmp_path / 'demo')
    result = run_tool('tools/demo.py', '--quick', '--work-dir', work_dir,
                      timeout=900)
    out = result.stdout
    header = next(line for line in out.splitlines() if 'metric' in line)
    assert header.split() == ['metric', 'CE', 'IOIS']
    for metric in ('Macro-F1', 'B-ACC', 'MCC'):
        row = next(line for line in out.splitlines()
                   if line.strip().startswith(metric))
        assert len(row.split()) == 3, row  # a value for each run
    assert osp.isfile(osp.join(work_dir, 'iois', 'aas_curves.png'))
    # Epochs 0 (before training), 1 and 2 each allot the whole pool of 200
    # synthetic images over the classes (Eq. 5); the last epoch does not.
    read_curves = load_tool('tools/analysis/plot_aas_curves.py')['read_curves']
    curves, _ = read_curves(osp.join(work_dir, 'iois'))
    per_epoch = {}
    for points in curves['aas/count_'].values():
        for epoch, count in points.items():
            per_epoch[epoch] = per_epoch.get(epoch, 0) + count
    assert per_epoch == {0: 200, 1: 200, 2: 200}

    again = run_tool('tools/demo.py', '--quick', '--work-dir', work_dir)
    assert again.stdout.count('reusing') == 4  # data, model, both runs
    assert 'tools/train.py' not in again.stdout


def test_time_budget_stops_exports_and_resumes(demo_data, tmp_path):
    """A run cut by TimeBudgetHook ends like a finished one: exported, with
    a checkpoint that --resume continues from."""
    config = tmp_path / 'ddpm_budget.py'
    config.write_text(f'''
_base_ = [{osp.abspath(DDPM)!r}]
train_cfg = dict(max_iters=100000)
train_dataloader = dict(batch_size=4, num_workers=0,
                        dataset=dict(data_root={demo_data!r}))
default_hooks = dict(logger=dict(interval=5))
custom_hooks = [
    dict(type='EMAHook', momentum=0.01, update_buffers=True),
    dict(type='ExportDiffusionModelHook', out_dir='diffusion_model'),
    dict(type='TimeBudgetHook', max_seconds=3),
]
''')
    work_dir = str(tmp_path / 'ddpm')
    run_tool('tools/train.py', str(config), '--work-dir', work_dir)
    log = read_log(work_dir)
    assert 'diffusion model exported to' in log
    checkpoint = open(osp.join(work_dir, 'last_checkpoint')).read().strip()
    stopped = int(osp.basename(checkpoint)[len('iter_'):-len('.pth')])
    assert 0 < stopped < 100000
    assert torch.load(checkpoint)['meta']['iter'] == stopped
    assert GuidedDiffusionSynthesizer(
        diffusion_model_dir=osp.join(work_dir, 'diffusion_model'),
        progress=False).image_size == (32, 32)

    run_tool('tools/train.py', str(config), '--work-dir', work_dir,
             '--resume')
    resumed = read_log(work_dir)
    assert f'resumed epoch: 0, iter: {stopped}' in resumed
    again = open(osp.join(work_dir, 'last_checkpoint')).read().strip()
    assert int(osp.basename(again)[len('iter_'):-len('.pth')]) > stopped
