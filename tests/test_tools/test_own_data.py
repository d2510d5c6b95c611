"""A data set of one's own: class folders prepared by
tools/dataset_converters/prepare_folders.py, then CE and IOIS from the short
configs of configs/own_data/ (README.md, "Your own data set")."""
import json
import os.path as osp

import numpy as np
import torch
from PIL import Image

from ..conftest import REPO, call_tool, run_tool

PREPARE = 'tools/dataset_converters/prepare_folders.py'
COUNTS = dict(normal=6, pneumonia=30, viral=12)  # imbalanced, 3 classes


def make_class_folders(root, corrupt=False):
    """Folders of odd-sized colour images, one per class."""
    rng = np.random.default_rng(0)
    for index, (name, count) in enumerate(COUNTS.items()):
        (root / name).mkdir(parents=True)
        for i in range(count):
            pixels = rng.integers(0, 60, (30, 40, 3)) + 80 * index
            Image.fromarray(pixels.astype(np.uint8)).save(
                root / name / f'{i:03d}.jpg')
    if corrupt:
        (root / 'viral' / 'broken.png').write_bytes(b'not an image')
    return root


def load_meta(out_dir, split):
    with open(osp.join(out_dir, 'meta', f'{split}.json')) as f:
        return json.load(f)


def test_prepare_folders_splits_resizes_and_refuses_corrupt_images(
        tmp_path):
    raw = make_class_folders(tmp_path / 'raw', corrupt=True)
    out = tmp_path / 'own'
    result = call_tool(PREPARE, '--data-root', str(raw), '--out-dir',
                       str(out), '--size', '16', check=False)
    assert result.returncode == 2
    assert 'viral/broken.png' in result.stderr
    assert not out.exists() or not (out / 'meta').exists()
    assert not (out / 'images').exists()  # nothing half-written

    call_tool(PREPARE, '--data-root', str(raw), '--out-dir', str(out),
              '--size', '16', '--grayscale', '--skip-unreadable')
    listed = {split: load_meta(out, split) for split in
              ('train', 'val', 'test')}
    for meta in listed.values():
        assert meta['metainfo']['classes'] == sorted(COUNTS)
    records = [r for meta in listed.values() for r in meta['data_list']]
    assert len(records) == sum(COUNTS.values())  # all but the broken one
    for name, count in COUNTS.items():
        label = sorted(COUNTS).index(name)
        assert sum(r['gt_label'] == label for r in records) == count
        # stratified 70/10/20: the training split keeps the imbalance
        train = sum(r['gt_label'] == label
                    for r in listed['train']['data_list'])
        assert train == round(0.7 * count)
    with Image.open(out / 'images' / records[0]['img_path']) as image:
        assert image.size == (16, 16) and image.mode == 'L'


def child_config(path, template, data_root, extra=''):
    path.write_text(f'''
_base_ = [{osp.join(REPO, 'configs/own_data', template)!r}]
data_root = {str(data_root)!r}
train_dataloader = dict(batch_size=8, num_workers=0,
                        dataset=dict(data_root=data_root))
val_dataloader = dict(num_workers=0, dataset=dict(data_root=data_root))
test_dataloader = dict(num_workers=0, dataset=dict(data_root=data_root))
model = dict(head=dict(num_classes=3))
train_cfg = dict(max_epochs=2)
{extra}''')
    return str(path)


def test_own_data_configs_train_ce_and_iois(tmp_path, tiny_diffusion_model):
    raw = make_class_folders(tmp_path / 'raw')
    data = tmp_path / 'own'
    call_tool(PREPARE, '--data-root', str(raw), '--out-dir', str(data),
              '--size', '16')
    ce = child_config(tmp_path / 'ce.py', 'ce_resnet18_own-data.py', data)
    report = tmp_path / 'report.json'
    call_tool('tools/analysis/check_dataset.py', ce, '--json', str(report))
    counts = json.loads(report.read_text())['splits']['train']['counts']
    assert counts == {name: round(0.7 * n) for name, n in COUNTS.items()}
    run_tool('tools/train.py', ce, '--work-dir', str(tmp_path / 'ce'))
    assert osp.isfile(tmp_path / 'ce' / 'epoch_2.pth')

    wrong = child_config(tmp_path / 'wrong.py', 'ce_resnet18_own-data.py',
                         data, extra='model = dict(head=dict(num_classes=7))')
    result = run_tool('tools/train.py', wrong, '--work-dir',
                      str(tmp_path / 'wrong'), check=False)
    assert result.returncode != 0
    assert 'num_classes=3' in result.stderr  # says what to set

    # the user's IOIS config: their CE config plus the IOIS block
    iois = tmp_path / 'iois.py'
    block = osp.join(REPO, 'configs/_base_/iois/iois-fast_own-data.py')
    iois.write_text(f'''
_base_ = [{ce!r}, {block!r}]
synthesizer = dict(diffusion_model_dir={tiny_diffusion_model!r},
                   num_inference_steps=2)
train_dataloader = dict(dataset=dict(
    _delete_=True, type='SyntheticMixDataset', capacity=12,
    dataset={{{{_base_.train_dataloader.dataset}}}}))
custom_hooks = [
    dict(type='DiffusionQualityGateHook', num_images=8, min_precision=0.9),
    dict(type='AccuracyAdaptiveSamplingHook', refresh_strength=0.5,
         refresh_fraction=0.2),
]''')
    iois = str(iois)
    # the random tiny diffusion model is stopped before training on it
    result = run_tool('tools/train.py', iois, '--work-dir',
                      str(tmp_path / 'refused'), check=False)
    assert result.returncode != 0
    assert 'proceed_anyway=True' in result.stderr
    assert not osp.exists(tmp_path / 'refused' / 'epoch_1.pth')

    run_tool('tools/train.py', iois, '--work-dir', str(tmp_path / 'iois'),
             '--cfg-options', 'custom_hooks.0.proceed_anyway=True')
    state = torch.load(tmp_path / 'iois' / 'epoch_2.pth',
                       map_location='cpu', weights_only=False)['aas']
    pool = state['pool']
    assert pool['images'].shape == (12, 16, 16, 3)
    assert set(pool['labels'].tolist()) <= {0, 1, 2}
    assert sum(state['counts']) == 12



def test_grayscale_data_end_to_end(tmp_path):
    """One channel throughout: the prepared images, the diffusion model
    (pre-training, export, loading), the pool and the classifier."""
    raw = make_class_folders(tmp_path / 'raw')
    data = tmp_path / 'own'
    call_tool(PREPARE, '--data-root', str(raw), '--out-dir', str(data),
              '--size', '16', '--grayscale')
    ddpm = tmp_path / 'ddpm.py'
    ddpm.write_text(f'''
_base_ = [{osp.join(REPO, 'configs/own_data/ddpm_unet32_own-data-gray.py')!r}]
train_dataloader = dict(batch_size=8, num_workers=0,
                        dataset=dict(data_root={str(data)!r}))
model = dict(unet=dict(sample_size=16))
train_cfg = dict(max_iters=4)
param_scheduler = []
''')
    run_tool('tools/train.py', str(ddpm), '--work-dir',
             str(tmp_path / 'ddpm'))
    model_dir = tmp_path / 'ddpm' / 'diffusion_model'
    with open(model_dir / 'unet' / 'config.json') as f:
        assert json.load(f)['in_channels'] == 1

    ce = child_config(tmp_path / 'ce.py', 'ce_resnet18_own-data-gray.py',
                      data)
    iois = tmp_path / 'iois.py'
    block = osp.join(REPO, 'configs/_base_/iois/iois-fast_own-data.py')
    iois.write_text(f'''
_base_ = [{ce!r}, {block!r}]
synthesizer = dict(diffusion_model_dir={str(model_dir)!r},
                   num_inference_steps=2)
train_dataloader = dict(dataset=dict(
    _delete_=True, type='SyntheticMixDataset', capacity=12,
    dataset={{{{_base_.train_dataloader.dataset}}}}))
custom_hooks = [
    dict(type='DiffusionQualityGateHook', num_images=8,
         proceed_anyway=True),  # 4 iterations make noise
    dict(type='AccuracyAdaptiveSamplingHook', refresh_strength=0.5,
         refresh_fraction=0.2, warm_start_from='real'),
]''')
    run_tool('tools/train.py', str(iois), '--work-dir',
             str(tmp_path / 'iois'))
    pool = torch.load(tmp_path / 'iois' / 'epoch_2.pth', map_location='cpu',
                      weights_only=False)['aas']['pool']
    assert pool['images'].shape == (12, 16, 16, 1)
