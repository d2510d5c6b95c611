"""tools/analysis/sampling_draws.py: how often a run's sampler draws each
class's real and synthetic images, from its logged pool counts."""
import json
import os.path as osp

import numpy as np
import pytest

from ..conftest import call_tool

CONFIG = ('configs/ham32/iois-ois-aas-fast-sqrt-rs{}-dm-gpu6min_'
          'resnet18-w16_1xb64_60e_ham32.py')
CLASSES = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc']
POOL = [[4, 4, 4, 4, 4, 4, 4], [6, 2, 2, 9, 3, 1, 5]]


def fake_run(work_dir):
    """A run directory whose scalars hold two epochs' AAS counts."""
    scalars = work_dir / '20261127_000000' / 'vis_data' / 'scalars.json'
    scalars.parent.mkdir(parents=True)
    scalars.write_text(''.join(json.dumps(dict(
        {f'aas/count_{name}': n for name, n in zip(CLASSES, pool)},
        step=step)) + '\n' for step, pool in enumerate(POOL)))
    return str(work_dir)


@pytest.mark.parametrize('variant', ['', '-pool-once'])
def test_draws_per_real_image_with_and_without_the_pool(
        small_ham, tmp_path, variant):
    out = tmp_path / 'draws.json'
    call_tool('tools/analysis/sampling_draws.py', CONFIG.format(variant),
              fake_run(tmp_path / 'run'), '--json', str(out), '--cfg-options',
              f'train_dataloader.dataset.dataset.data_root={small_ham}')
    epochs = json.loads(out.read_text())['epochs']
    assert [e['epoch'] for e in epochs] == [1, 2]
    split = json.loads(open(osp.join(small_ham, 'split.json')).read())
    assert split['classes'] == CLASSES
    real = np.array(split['class_counts']['train'], float)
    # Sqrt-RS over the real images alone: len(real) draws, class c with
    # probability sqrt(n_c) / sum sqrt(n_k)
    alone = real.sum() * np.sqrt(real) / np.sqrt(real).sum() / real
    for epoch, pool in zip(epochs, np.array(POOL, float)):
        assert epoch['draws_per_real_image_without_pool'] == pytest.approx(
            alone, abs=1e-3)
        if variant:  # real images re-sampled as alone, each pool image once
            per_real, pool_draws = alone, pool
        else:  # re-sampled together: len(real) + K draws
            both = real + pool
            per_image = (real.sum() + pool.sum()) * np.sqrt(both) / np.sqrt(
                both).sum() / both
            per_real, pool_draws = per_image, per_image * pool
        assert epoch['draws_per_real_image'] == pytest.approx(per_real,
                                                              abs=1e-3)
        assert epoch['synthetic_share'] == pytest.approx(
            pool_draws / (pool_draws + per_real * real), abs=1e-3)
    # the rarest class's real images: fewer draws once mixed with its pool
    df = CLASSES.index('df')
    assert (epochs[1]['draws_per_real_image'][df] < alone[df]) != bool(
        variant)


def test_a_run_without_pool_counts_is_an_error(small_ham, tmp_path):
    (tmp_path / 'empty').mkdir()
    result = call_tool('tools/analysis/sampling_draws.py', CONFIG.format(''),
                       str(tmp_path / 'empty'), check=False)
    assert result.returncode == 1
