"""An IOIS run killed (SIGKILL) in the middle of a synthesis and resumed
with --resume ends with the same weights as a run never interrupted."""
import glob
import os
import os.path as osp
import signal
import subprocess
import sys

import torch

from ..conftest import REPO, tiny_iois_config

IOIS = 'configs/iois_resnet50_ham10000.py'

KILLER = '''
import os
import signal

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class KillMidSynthesisHook(Hook):
    """At the end of epoch ``epoch``, kills the process after ``steps``
    denoising steps of the AAS hook's synthesis."""
    priority = 'HIGHEST'  # before the AAS hook's after_train_epoch

    def __init__(self, epoch, steps):
        self.epoch, self.steps = epoch, steps

    def after_train_epoch(self, runner):
        if runner.epoch + 1 != self.epoch:
            return
        aas = next(h for h in runner.hooks
                   if type(h).__name__ == 'AccuracyAdaptiveSamplingHook')
        step, calls = aas.synthesizer.denoise_step, [0]

        def killing(*args, **kwargs):
            calls[0] += 1
            if calls[0] > self.steps:
                os.kill(os.getpid(), signal.SIGKILL)
            return step(*args, **kwargs)

        aas.synthesizer.denoise_step = killing
'''


def train(config, work_dir, *args, killer_dir=None):
    env = dict(os.environ, PYTHONUNBUFFERED='1')
    if killer_dir:
        env['PYTHONPATH'] = f'{killer_dir}:{env.get("PYTHONPATH", "")}'
    return subprocess.run(
        [sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
         *args], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=600)


def weights(path):
    return torch.load(path, map_location='cpu',
                      weights_only=False)['state_dict']


def test_sigkill_mid_synthesis_then_resume_ends_with_the_same_weights(
        small_ham, tiny_diffusion_model, tmp_path):
    # no random augmentation: everything else (initialisation, data order,
    # synthesis noise) follows the seed and the epoch
    config = tiny_iois_config(
        IOIS, small_ham, tiny_diffusion_model, tmp_path / 'iois.py',
        num_workers=0, max_epochs=3, extra='''
train_dataloader['dataset']['dataset']['pipeline'] = _test_pipeline
randomness = dict(seed=3)
val_cfg = None
val_dataloader = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=5))
''')
    whole = str(tmp_path / 'whole')
    result = train(config, whole)
    assert result.returncode == 0, result.stderr[-4000:]

    (tmp_path / 'killer').mkdir()
    (tmp_path / 'killer' / 'kill_mid_synthesis.py').write_text(KILLER)
    killing_config = tmp_path / 'iois_killed.py'
    killing_config.write_text(f'''
_base_ = [{config!r}]
custom_imports = dict(imports=['iois_mm', 'kill_mid_synthesis'])
custom_hooks = [dict(type='AccuracyAdaptiveSamplingHook'),
                dict(type='KillMidSynthesisHook', epoch=2, steps=3)]
''')
    killed = str(tmp_path / 'killed')
    result = train(str(killing_config), killed,
                   killer_dir=str(tmp_path / 'killer'))
    assert result.returncode == -signal.SIGKILL, result.stderr[-4000:]
    # killed while making the pool for epoch 3: epoch 2 never saved
    assert osp.isfile(osp.join(killed, 'epoch_1.pth'))
    assert not glob.glob(osp.join(killed, 'epoch_2.pth'))

    result = train(config, killed, '--resume')
    assert result.returncode == 0, result.stderr[-4000:]
    resumed, uninterrupted = weights(osp.join(killed, 'epoch_3.pth')), \
        weights(osp.join(whole, 'epoch_3.pth'))
    assert resumed.keys() == uninterrupted.keys()
    for key, value in uninterrupted.items():
        assert torch.equal(resumed[key], value), key
