"""tools/synthesize.py makes the "+offline" pool, which then trains."""
import os.path as osp

import numpy as np
from mmengine.config import Config
from mmengine.runner import Runner

from ..conftest import call_tool, run_tool, tiny_iois_config

OFFLINE = 'configs/iois/iois-offline_resnet50_in1k-pre_1xb32_200e_ham10000.py'


def test_offline_pool_from_a_trained_classifier_trains(
        small_ham, tiny_diffusion_model, tmp_path):
    # a classifier to guide with: one epoch of the offline config's model
    pool_path = str(tmp_path / 'pool.npz')
    config = tiny_iois_config(OFFLINE, small_ham, tiny_diffusion_model,
                              tmp_path / 'offline.py', num_workers=0,
                              max_epochs=1, pool_file=pool_path)
    classifier_dir = str(tmp_path / 'classifier')
    run_tool('tools/train.py',
             tiny_iois_config('configs/iois_resnet50_ham10000.py', small_ham,
                              tiny_diffusion_model, tmp_path / 'iois.py',
                              num_workers=0, max_epochs=1),
             '--work-dir', classifier_dir)

    result = call_tool('tools/synthesize.py', config, '--classifier',
                       osp.join(classifier_dir, 'epoch_1.pth'), '--num', '10',
                       '--out', pool_path)
    assert 'akiec=2, bcc=2, bkl=2, df=1, mel=1, nv=1, vasc=1' in result.stdout
    with np.load(pool_path) as pool:
        assert pool['images'].shape == (10, 16, 16, 3)
        assert pool['images'].dtype == np.uint8
        assert np.bincount(pool['labels']).tolist() == [2, 2, 2, 1, 1, 1, 1]
        assert pool['classes'].tolist()[0] == 'akiec'

    cfg = Config.fromfile(config)
    cfg.work_dir = str(tmp_path / 'offline_work')
    runner = Runner.from_cfg(cfg)
    runner.train()
    dataset = runner.train_dataloader.dataset
    assert dataset.capacity == 10 and int(dataset.pool.version[0]) == 1


def test_synthesize_refuses_a_missing_checkpoint(
        small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(OFFLINE, small_ham, None, tmp_path / 'o.py',
                              pool_file=str(tmp_path / 'p.npz'))
    result = call_tool('tools/synthesize.py', config, '--classifier',
                       str(tmp_path / 'none.pth'), '--num', '4', '--out',
                       str(tmp_path / 'p.npz'), check=False)
    assert result.returncode != 0
    assert not osp.exists(tmp_path / 'p.npz')
