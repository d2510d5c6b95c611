"""tools/analysis/pool_quality.py: the pools runs trained on, measured
against the real training images and judged by an independent classifier."""
import json

import numpy as np
import torch
from mmengine.config import Config

from iois_mm.datasets.pool_file import save_pool_file
from iois_mm.evaluation.generative_quality import load_resized_images
from iois_mm.utils.unwrap import innermost_dataset_cfg
from mmpretrain.registry import DATASETS

from ..conftest import call_tool, save_classifier, tiny_iois_config

IOIS = 'configs/iois_resnet50_ham10000.py'


def real_training_images(config):
    cfg = Config.fromfile(config)
    dataset = DATASETS.build(dict(
        innermost_dataset_cfg(cfg.train_dataloader.dataset), pipeline=[]))
    return (load_resized_images(dataset, range(len(dataset)), (32, 32)),
            torch.as_tensor(dataset.get_gt_labels()),
            list(dataset.metainfo['classes']), cfg)


def test_copies_of_the_real_images_against_a_green_pool(
        small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0)
    real, labels, classes, cfg = real_training_images(config)
    # a run's checkpoint whose pool holds exactly the real training images
    copies = tmp_path / 'copies_seed0' / 'epoch_2.pth'
    copies.parent.mkdir()
    torch.save(dict(state_dict={}, meta=dict(cfg=cfg.pretty_text),
                    aas=dict(pool=dict(images=real, labels=labels))), copies)
    # a pool file of flat green images with the same labels
    green = torch.zeros_like(real)
    green[..., 1] = 255
    save_pool_file(str(tmp_path / 'green.npz'), green, labels, classes)
    classifier = save_classifier(config, tmp_path / 'features.pth')
    judge = save_classifier(config, tmp_path / 'judge.pth', always=2)
    out = tmp_path / 'pools.json'

    call_tool('tools/analysis/pool_quality.py', str(copies),
              str(tmp_path / 'green.npz'), '--classifier', classifier,
              '--judge', judge, '--json', str(out))
    report = json.loads(out.read_text())
    same = report['pools'][str(copies)]
    flat = report['pools'][str(tmp_path / 'green.npz')]
    assert same['images'] == flat['images'] == len(real)
    # the real images themselves: inside the real manifold, all of it
    assert same['quality']['overall']['precision'] == 1.0
    assert same['quality']['overall']['recall'] == 1.0
    assert same['quality']['overall']['frechet'] < 1e-6
    assert flat['quality']['overall']['frechet'] > 1e-3
    # every green image is off the real images' colours; of the copies,
    # only the real images' own tail (about 5%)
    assert flat['colour_outliers'] == 1.0
    assert same['colour_outliers'] <= 0.1
    # a judge that always says "bkl" (class 2) sees the class in the bkl
    # images only, in either pool and in the real images
    expected = {name: float(name == 'bkl') for name in classes}
    for pool in (same, flat):
        assert pool['judge_agreement']['per_class'] == expected
    assert report['judge']['real_accuracy']['per_class'] == expected
    assert set(same['quality']['per_class']) == set(classes)
    # without a judge: the same measures, no judge's view
    alone = call_tool('tools/analysis/pool_quality.py', str(copies),
                      '--classifier', classifier, '--json',
                      str(tmp_path / 'alone.json'))
    assert 'judge sees class' not in alone.stdout
    report = json.loads((tmp_path / 'alone.json').read_text())
    assert 'judge' not in report
    assert report['pools'][str(copies)]['quality'] == same['quality']


def test_a_checkpoint_without_a_pool_is_refused(
        small_ham, tiny_diffusion_model, tmp_path):
    config = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                              tmp_path / 'iois.py', num_workers=0)
    classifier = save_classifier(config, tmp_path / 'ce.pth')
    result = call_tool('tools/analysis/pool_quality.py', classifier,
                       '--config', config, '--classifier', classifier,
                       check=False)
    assert result.returncode != 0
    assert 'holds no synthetic pool' in str(result.returncode)
    # and a pool file whose classes are not the training set's
    images = np.zeros((4, 32, 32, 3), np.uint8)
    save_pool_file(str(tmp_path / 'other.npz'), images,
                   np.arange(4), ['a', 'b', 'c', 'd'])
    result = call_tool('tools/analysis/pool_quality.py',
                       str(tmp_path / 'other.npz'), '--config', config,
                       '--classifier', classifier, check=False)
    assert 'was made for the classes' in str(result.returncode)
    # and a file that is neither
    (tmp_path / 'notes.txt').write_text('not a checkpoint')
    result = call_tool('tools/analysis/pool_quality.py',
                       str(tmp_path / 'notes.txt'), '--config', config,
                       '--classifier', classifier, check=False)
    assert 'neither an .npz pool nor a checkpoint' in str(result.returncode)
    # and a judge that is not there: refused before any work
    result = call_tool('tools/analysis/pool_quality.py',
                       str(tmp_path / 'other.npz'), '--config', config,
                       '--classifier', classifier, '--judge',
                       str(tmp_path / 'ce_seed1.pth'), check=False)
    assert f"{tmp_path / 'ce_seed1.pth'} not found" in str(result.returncode)
