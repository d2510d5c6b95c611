"""IOIS training through tools/train.py (tiny classifier, tiny diffusion
model, small HAM10000 set, CPU)."""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch

from iois_mm.datasets.synthetic_pool import SyntheticPool
from iois_mm.engine.hooks import AccuracyAdaptiveSamplingHook
from iois_mm.synthesis.allocation import accuracy_adaptive_allocation

from ..conftest import (REPO, build_runner, run_tool,
                        tiny_classifier_config, tiny_iois_config)

IOIS = 'configs/iois_resnet50_ham10000.py'


def read_log(work_dir):
    logs = sorted(glob.glob(osp.join(work_dir, '*', '*.log')))
    return open(logs[-1]).read()


def served_per_epoch(log):
    """{epoch: (synthetic images trained on, pool version)} from the log."""
    return {
        epoch: (int(count), int(version))
        for epoch, count, version in re.findall(
            r'AAS epoch (\d+): trained on (\d+) synthetic images \(pool '
            r'version (\d+)\)', log)
    }


def pool_digests(log):
    return dict(re.findall(r'pool version (\d+), digest (\w+)', log))


def test_pool_refreshes_every_epoch_and_resume_restores_it(
        small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=2,
                              max_epochs=2)
    work_dir = str(tmp_path / 'work')
    run_tool('tools/train.py', config, '--work-dir', work_dir,
             '--cfg-options', 'default_hooks.checkpoint.max_keep_ckpts=2')
    log = read_log(work_dir)

    assert 'filling the initial synthetic pool, 14 images in equal shares' \
        in log
    assert 'counts akiec=2, bcc=2, bkl=2, df=2, mel=2, nv=2, vasc=2' in log
    # persistent workers trained each epoch on that epoch's pool
    served = served_per_epoch(log)
    assert served['1'][1] == 1 and served['2'][1] == 2
    assert served['1'][0] > 0 and served['2'][0] > 0
    digests = pool_digests(log)
    assert digests['1'] != digests['2']

    vis = glob.glob(osp.join(work_dir, '*', 'vis_data'))[0]
    scalars = [json.loads(line) for line in open(osp.join(vis,
                                                          'scalars.json'))]
    assert any('aas/acc_nv' in s for s in scalars)
    assert any('aas/count_df' in s for s in scalars)
    assert osp.isfile(osp.join(vis, 'vis_image', 'aas_synthetic_1.png'))

    # epoch 1's checkpoint holds the pool made for epoch 2, and its state
    checkpoint = torch.load(osp.join(work_dir, 'epoch_1.pth'))
    state = checkpoint['aas']
    saved = SyntheticPool(14)
    saved.load_state_dict(state['pool'])
    assert state['pool']['version'] == 2
    assert saved.digest() == digests['2']
    assert sum(state['counts']) == 14 and len(state['per_class_acc']) == 7

    resumed_dir = str(tmp_path / 'resumed')
    run_tool('tools/train.py', config, '--work-dir', resumed_dir, '--resume',
             osp.join(work_dir, 'epoch_1.pth'))
    resumed = read_log(resumed_dir)
    assert ('restored the synthetic pool from the checkpoint (version 2, '
            f'digest {digests["2"]}), counts {state["counts"]}, accuracies '
            f'{state["per_class_acc"]}') in resumed
    assert 'filling the initial' not in resumed
    assert list(served_per_epoch(resumed)) == ['2']
    assert served_per_epoch(resumed)['2'][1] == 2


def test_two_ranks_hold_identical_pools(small_ham, tiny_diffusion_model,
                                        tmp_path):
    # 15 images over 2 ranks: uneven shares, gathered back in order
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', capacity=15,
                              num_workers=0, max_epochs=2, batch_size=4)
    work_dir = str(tmp_path / 'work')
    run_tool('-m', 'torch.distributed.run', '--nproc_per_node=2',
             '--master_port=29541', 'tools/train.py', config, '--work-dir',
             work_dir, '--launcher', 'pytorch')
    log = read_log(work_dir)
    identical = re.findall(r'digest (\w+), identical on 2 ranks', log)
    assert len(identical) == 2  # the initial pool and epoch 1's refresh
    assert identical == [pool_digests(log)['1'], pool_digests(log)['2']]


def aas_hook(runner):
    return next(h for h in runner.hooks
                if isinstance(h, AccuracyAdaptiveSamplingHook))


def test_training_accuracy_counts_every_real_image_once_per_epoch(
        small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=2,
                              max_epochs=2)
    runner = build_runner(config, str(tmp_path / 'work'),
                          **{'train_dataloader.drop_last': False})
    runner.train()
    hook = aas_hook(runner)
    dataset = runner.train_dataloader.dataset
    # the last epoch's counts: each real image once, each synthetic one
    # trained on but not counted
    accuracy, seen = hook.accuracy.per_class_accuracy()
    assert seen == dataset.dataset.get_class_counts()
    assert hook.accuracy.synthetic_total() == dataset.capacity
    assert hook.per_class_acc == accuracy
    assert all(0.0 <= a <= 1.0 for a in accuracy)
    # the refresh after epoch 1 followed Eq. 5 from epoch 1's accuracies
    scalars = [json.loads(line) for line in open(glob.glob(osp.join(
        str(tmp_path / 'work'), '*', 'vis_data', 'scalars.json'))[0])]
    epoch1 = next(s for s in scalars if 'aas/acc_nv' in s and s['step'] == 1)
    counts = next(s for s in scalars
                  if 'aas/count_nv' in s and s['step'] == 1)
    acc1 = [epoch1[f'aas/acc_{n}'] for n in hook.names]
    assert [counts[f'aas/count_{n}'] for n in hook.names] == \
        accuracy_adaptive_allocation(acc1, dataset.capacity)


def test_uniform_counts_and_eval_accuracy_source(small_ham,
                                                 tiny_diffusion_model,
                                                 tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=2)
    runner = build_runner(config, str(tmp_path / 'work'), custom_hooks=[
        dict(type='AccuracyAdaptiveSamplingHook', adaptive=False,
             accuracy_source='eval')
    ])
    runner.train()
    hook = aas_hook(runner)
    assert hook.counts == [2] * 7  # "+OIS": equal counts whatever accuracy
    # the eval pass saw every real training image once
    real = runner.train_dataloader.dataset.dataset
    assert hook.accuracy.per_class_accuracy()[1] == real.get_class_counts()


def test_hook_needs_the_synthetic_dataset(small_ham, tmp_path):
    config = tiny_classifier_config(
        'configs/baselines/ce_resnet50_in1k-pre_1xb32_200e_ham10000.py',
        small_ham, tmp_path / 'ce.py')
    runner = build_runner(config, str(tmp_path / 'work'), custom_hooks=[
        dict(type='AccuracyAdaptiveSamplingHook')])
    with pytest.raises(TypeError, match="dict\\(type='SyntheticMixDataset'"):
        runner.train()


def test_partial_warm_started_refresh(small_ham, tiny_diffusion_model,
                                      tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=3)
    runner = build_runner(config, str(tmp_path / 'work'), custom_hooks=[
        dict(type='AccuracyAdaptiveSamplingHook', refresh_strength=0.5,
             refresh_fraction=0.5)
    ])
    runner.train()
    hook = aas_hook(runner)
    pool = runner.train_dataloader.dataset.pool
    # the refreshes after epochs 1 and 2 met Eq. 5's counts exactly ...
    assert pool.version == 3
    assert torch.bincount(pool.labels, minlength=7).tolist() == hook.counts
    # ... the last one regenerating at least half of the 14 slots
    assert int((pool.written_at == 3).sum()) >= 7
    # warm-started: half the sampler's steps
    steps = runner.cfg.synthesizer.num_inference_steps
    assert hook.synthesizer.last_stats['steps'] == max(1, round(steps / 2))


def test_two_nodes_of_two_processes_hold_one_pool(small_ham,
                                                 tiny_diffusion_model,
                                                 tmp_path):
    """tools/dist_train.sh with NNODES=2 on 127.0.0.1: 4 ranks (2 per
    "node", gloo) train IOIS and hold the same pool after every refresh."""
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', capacity=15,
                              num_workers=0, max_epochs=2, batch_size=4)
    work_dir = str(tmp_path / 'work')

    def node(rank):
        env = dict(os.environ, PYTHON=sys.executable, PORT='29563',
                   NNODES='2', NODE_RANK=str(rank), MASTER_ADDR='127.0.0.1')
        return subprocess.Popen(
            ['bash', 'tools/dist_train.sh', config, '2', '--work-dir',
             work_dir], cwd=REPO, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)

    nodes = [node(1), node(0)]
    outputs = [n.communicate(timeout=600)[0] for n in nodes]
    for n, output in zip(nodes, outputs):
        assert n.returncode == 0, output[-4000:]
    log = read_log(work_dir)
    identical = re.findall(r'digest (\w+), identical on (\d) ranks', log)
    # the initial pool and epoch 1's refresh, each checked on all 4 ranks
    assert [ranks for _, ranks in identical] == ['4', '4']
    assert [digest for digest, _ in identical] == \
        [pool_digests(log)['1'], pool_digests(log)['2']]


def nearest_real_distance(pool, bank):
    """Mean over pool images of the mean absolute pixel difference to the
    closest real image of the same class."""
    distances = []
    for image, label in zip(pool.images.float(), pool.labels):
        real = bank.images[bank.labels == label].float()
        distances.append(float((real - image).abs().mean((1, 2, 3)).min()))
    return sum(distances) / len(distances)


def test_warm_start_from_real_images(small_ham, tiny_diffusion_model,
                                     tmp_path):
    from iois_mm.datasets.real_image_bank import RealImageBank
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=2)
    pools = {}
    for source in ('pool', 'real'):
        runner = build_runner(config, str(tmp_path / source), custom_hooks=[
            dict(type='AccuracyAdaptiveSamplingHook', refresh_strength=0.25,
                 warm_start_from=source)])
        runner.train()
        pools[source] = runner.train_dataloader.dataset.pool
    hook = aas_hook(runner)
    bank = hook.refresh_source.real_images
    assert isinstance(bank, RealImageBank)
    assert len(bank.images) == len(runner.train_dataloader.dataset.dataset)
    # the same seed draws the same real images, each of its label's class
    labels = [0, 3, 3, 6]
    drawn = bank.draw(labels, seed=5)
    assert torch.equal(drawn, bank.draw(labels, seed=5))
    for image, label in zip(drawn, labels):
        assert any(torch.equal(image, real)
                   for real in bank.images[bank.labels == label])
    # a quarter of the trajectory from real images stays near them; the
    # random tiny diffusion model's own images (from the pool) do not
    assert nearest_real_distance(pools['real'], bank) < \
        0.5 * nearest_real_distance(pools['pool'], bank)


def test_frozen_guide_from_a_checkpoint(small_ham, tiny_diffusion_model,
                                        tmp_path, monkeypatch):
    from iois_mm.engine.refresh_images import RefreshImageSource
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0,
                              max_epochs=2)
    # a guide checkpoint: the model's own weights, moved
    model = build_runner(config, str(tmp_path / 'init')).model
    torch.manual_seed(0)
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(0.01 * torch.randn_like(parameter))
    state = {k: v.clone() for k, v in model.state_dict().items()}
    guide_path = str(tmp_path / 'guide.pth')
    torch.save(dict(state_dict=state), guide_path)
    guides = []
    generate = RefreshImageSource.generate

    def record(self, model, *args, **kwargs):
        guides.append((model, {k: v.clone()
                               for k, v in model.state_dict().items()}))
        return generate(self, model, *args, **kwargs)

    monkeypatch.setattr(RefreshImageSource, 'generate', record)
    runner = build_runner(config, str(tmp_path / 'work'), custom_hooks=[
        dict(type='AccuracyAdaptiveSamplingHook',
             guide_checkpoint=guide_path)
    ])
    runner.train()
    # the initial pool and epoch 1's refresh, both guided by the frozen
    # checkpoint, never by the classifier being trained
    assert len(guides) == 2
    for guide, weights in guides:
        assert guide is not runner.model and not guide.training
        assert not any(p.requires_grad for p in guide.parameters())
        for name, value in state.items():
            assert torch.equal(weights[name], value), name
    trained = runner.model.state_dict()
    assert not all(torch.equal(trained[n], state[n]) for n in state)

    missing = build_runner(config, str(tmp_path / 'missing'), custom_hooks=[
        dict(type='AccuracyAdaptiveSamplingHook',
             guide_checkpoint=str(tmp_path / 'no_such.pth'))
    ])
    with pytest.raises(FileNotFoundError, match='no_such.pth does not exist'):
        missing.train()
