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
    assert dataset.capacity == 10 and dataset.pool.version == 1


def test_synthesize_refuses_a_missing_checkpoint(
        small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(OFFLINE, small_ham, None, tmp_path / 'o.py',
                              pool_file=str(tmp_path / 'p.npz'))
    result = call_tool('tools/synthesize.py', config, '--classifier',
                       str(tmp_path / 'none.pth'), '--num', '4', '--out',
                       str(tmp_path / 'p.npz'), check=False)
    assert result.returncode != 0
    assert not osp.exists(tmp_path / 'p.npz')


def test_gan_image_folder_becomes_a_pool(small_ham, tmp_path):
    from PIL import Image

    from iois_mm.datasets import SyntheticMixDataset
    root = tmp_path / 'gan'
    for name, count in (('df', 3), ('vasc', 2)):
        (root / name).mkdir(parents=True)
        for index in range(count):
            Image.new('RGB', (40, 30), (index * 50, 0, 0)).save(
                root / name / f'{index}.png')
    pool = str(tmp_path / 'gan.npz')
    result = call_tool('tools/dataset_converters/images_to_pool.py',
                       str(root), '--size', '16', '--out', pool)
    assert 'df=3' in result.stdout and 'vasc=2' in result.stdout
    assert 'no images for akiec' in result.stdout
    dataset = SyntheticMixDataset(
        dict(type='HAM10000', data_root=small_ham, ann_file='meta/train.json',
             data_prefix='images', pipeline=[dict(type='PackInputs')]),
        pool_file=pool)
    assert dataset.capacity == 5
    assert sorted(dataset.pool.labels.tolist()) == [3, 3, 3, 6, 6]

    (root / 'melanoma').mkdir()
    refused = call_tool('tools/dataset_converters/images_to_pool.py',
                        str(root), '--out', pool, check=False)
    assert refused.returncode == 2 and "['melanoma']" in refused.stderr
