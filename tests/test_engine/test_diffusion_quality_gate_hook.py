"""The diffusion-model quality gate: a model whose images are nothing like
the training images (here a random, untrained UNet: coloured noise) stops
an IOIS run before training, with what to do; with proceed_anyway it
trains and every pool is measured."""
import glob
import json
import os.path as osp

import pytest

from iois_mm.engine.hooks import DiffusionQualityGateHook
from iois_mm.synthesis import DiffusionModelError

from ..conftest import build_runner, tiny_iois_config

IOIS = 'configs/iois_resnet50_ham10000.py'


def gate_runner(config_path, work_dir, gate):
    return build_runner(config_path, work_dir, custom_hooks=[
        gate, dict(type='AccuracyAdaptiveSamplingHook')])


def test_noise_model_is_refused_before_training(small_ham,
                                                tiny_diffusion_model,
                                                tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0)
    runner = gate_runner(config, str(tmp_path / 'work'), dict(
        type='DiffusionQualityGateHook', num_images=48))
    with pytest.raises(DiffusionModelError,
                       match=r'makes images unlike the training images: '
                       r'precision 0\.\d+ < min_precision 0\.1'):
        runner.train()
    assert runner.train_loop.epoch == 0  # nothing was trained


def test_proceed_anyway_trains_and_measures_every_pool(small_ham,
                                                       tiny_diffusion_model,
                                                       tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=2)
    work_dir = str(tmp_path / 'work')
    runner = gate_runner(config, work_dir, dict(
        type='DiffusionQualityGateHook', num_images=48,
        proceed_anyway=True))
    runner.train()
    gate = next(h for h in runner.hooks
                if isinstance(h, DiffusionQualityGateHook))
    # real images resemble each other far more than the noise does
    assert gate.report['overall']['precision'] < 0.1
    assert gate.report['real_floor']['precision'] > 0.5
    assert gate.report['overall']['frechet'] > \
        gate.report['real_floor']['frechet']
    assert gate.verdict == 'poor'
    assert 0 <= gate.report['overall']['colour_outliers'] <= 1
    scalars = [json.loads(line) for line in open(glob.glob(osp.join(
        work_dir, '*', 'vis_data', 'scalars.json'))[0])]
    assert sum('dm_quality/precision' in s for s in scalars) == 1
    assert sum('pool_quality/precision' in s for s in scalars) == 2
    assert sum('pool_quality/colour_outliers' in s for s in scalars) == 2


def test_weak_model_trains_with_a_warning(small_ham, tiny_diffusion_model,
                                          tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=1)
    runner = gate_runner(config, str(tmp_path / 'work'), dict(
        type='DiffusionQualityGateHook', num_images=48, min_precision=0.0,
        warn_precision=1.01))
    runner.train()  # not refused
    gate = next(h for h in runner.hooks
                if isinstance(h, DiffusionQualityGateHook))
    assert gate.verdict == 'weak'
    assert runner.train_loop.epoch == 1
