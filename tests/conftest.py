"""Shared fixtures: the real HAM10000 copy, small trees built from it, and a
way to run the tools as a user would."""
import uuid
import csv
import os
import os.path as osp
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
SHARED_HAM = osp.abspath(
    os.environ.get('IOIS_HAM10000_DIR',
                   osp.join(REPO, '..', 'shared', 'data', 'ham10000')))
HAM_PARTS = ('HAM10000_images_part_1', 'HAM10000_images_part_2')
HAM_CLASSES = ('akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc')

requires_shared_ham = pytest.mark.skipif(
    not osp.isfile(osp.join(SHARED_HAM, 'HAM10000_metadata.csv')),
    reason=f'real HAM10000 images not found at {SHARED_HAM} (the ../shared '
    'checkout, or set IOIS_HAM10000_DIR)')


def run_tool(*args, timeout=600, env=None, check=True):
    """Run a repository script with this interpreter; return the result."""
    full_env = dict(os.environ, PYTHONUNBUFFERED='1', **(env or {}))
    result = subprocess.run([sys.executable, *args], cwd=REPO, env=full_env,
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(
            f'{args} exited {result.returncode}\n--- stdout\n'
            f'{result.stdout[-4000:]}\n--- stderr\n{result.stderr[-6000:]}')
    return result


def load_tool(script):
    """A tool's module namespace (its functions), imported as ``python
    script`` would: the script's folder first on sys.path, since tools import
    their helpers from beside them."""
    import runpy

    path = osp.join(REPO, script)
    sys.path.insert(0, osp.dirname(path))
    try:
        return runpy.run_path(path, run_name='tool')
    finally:
        sys.path.remove(osp.dirname(path))


def call_tool(script, *args, check=True):
    """Run a tool's ``main(argv)`` in this process (no interpreter start-up);
    return its exit code and output like :func:`run_tool`."""
    import contextlib
    import io
    import types

    namespace = load_tool(script)
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), \
            contextlib.redirect_stderr(stderr):
        try:
            code = namespace['main'](list(args))
        except SystemExit as exit_:
            code = exit_.code
    result = types.SimpleNamespace(returncode=code or 0,
                                   stdout=stdout.getvalue(),
                                   stderr=stderr.getvalue())
    if check and result.returncode != 0:
        raise AssertionError(f'{script} {args} exited {result.returncode}\n'
                             f'{result.stdout[-3000:]}\n{result.stderr[-3000:]}')
    return result


def read_ham_rows():
    with open(osp.join(SHARED_HAM, 'HAM10000_metadata.csv'),
              newline='') as f:
        return list(csv.DictReader(f))


def shared_image_paths():
    """image_id -> path of the real images present in the shared copy."""
    paths = {}
    for part in HAM_PARTS:
        for name in os.listdir(osp.join(SHARED_HAM, part)):
            paths[osp.splitext(name)[0]] = osp.join(SHARED_HAM, part, name)
    return paths


def build_small_ham_tree(root, per_class, size=32):
    """A HAM10000-layout tree of real images, resized to ``size`` pixels.

    ``per_class`` maps a dx code to how many images of it to take (the first
    ones by image id, so the tree is the same on every machine).
    """
    from PIL import Image

    rows = read_ham_rows()
    available = shared_image_paths()
    for part in HAM_PARTS:
        os.makedirs(osp.join(root, part), exist_ok=True)
    chosen = []
    for dx, count in per_class.items():
        candidates = sorted((r for r in rows if r['dx'] == dx
                             and r['image_id'] in available),
                            key=lambda r: r['image_id'])
        chosen += candidates[:count]
    with open(osp.join(root, 'HAM10000_metadata.csv'), 'w', newline='') as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        for row in chosen:
            writer.writerow(row)
            source = available[row['image_id']]
            part = osp.basename(osp.dirname(source))
            Image.open(source).convert('RGB').resize((size, size)).save(
                osp.join(root, part, row['image_id'] + '.jpg'), quality=95)
    return root


# An APTOS-like imbalance: grade 0 dominant, grade 3 rarest.
GRADE_COUNTS = {0: 50, 1: 10, 2: 27, 3: 6, 4: 8}


def fake_aptos_tree(root, missing=()):
    """train.csv + train_images/<id>.png in the Kaggle layout."""
    from PIL import Image

    os.makedirs(osp.join(root, 'train_images'))
    lines = ['id_code,diagnosis']
    for grade, count in GRADE_COUNTS.items():
        for i in range(count):
            code = f'{grade}{i:03d}abc'
            lines.append(f'{code},{grade}')
            if code not in missing:
                Image.new('RGB', (8, 8), (grade * 40, 20, 20)).save(
                    osp.join(root, 'train_images', code + '.png'))
    with open(osp.join(root, 'train.csv'), 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return root


# An imbalanced, CPU-sized slice of the real data: 98 images.
SMALL_HAM_COUNTS = dict(nv=30, mel=15, bkl=15, bcc=12, akiec=10, vasc=8,
                        df=8)


def build_procedural_ham_tree(root, per_class, size=32, seed=0):
    """The same layout with generated images (a coloured disc per class on
    skin-toned noise), for machines without the real images: the tools'
    behaviour, not the pixels, is what the tests using it check."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(seed)
    for part in HAM_PARTS:
        os.makedirs(osp.join(root, part), exist_ok=True)
    yy, xx = np.mgrid[:size, :size]
    with open(osp.join(root, 'HAM10000_metadata.csv'), 'w', newline='') as f:
        writer = csv.writer(f)
        writer.writerow(['lesion_id', 'image_id', 'dx', 'dx_type', 'age',
                         'sex', 'localization'])
        number = 0
        for dx, count in per_class.items():
            colour = np.array([40 + 30 * HAM_CLASSES.index(dx), 60, 160])
            for _ in range(count):
                image = rng.normal(170, 20, (size, size, 3))
                radius = rng.uniform(0.2, 0.4) * size
                disc = (yy - size / 2)**2 + (xx - size / 2)**2 < radius**2
                image[disc] = colour + rng.normal(0, 10, 3)
                image_id = f'ISIC_{number:07d}'
                Image.fromarray(image.clip(0, 255).astype(np.uint8)).save(
                    osp.join(root, HAM_PARTS[number % 2], image_id + '.jpg'))
                writer.writerow([f'HAM_{number:07d}', image_id, dx, 'histo',
                                 50, 'male', 'back'])
                number += 1
    return root


@pytest.fixture(scope='session')
def small_ham(tmp_path_factory):
    """Prepared annotation dir of a small HAM10000 subset: real images
    (resized) when the shared copy is present, generated ones otherwise."""
    base = tmp_path_factory.mktemp('small_ham')
    if osp.isfile(osp.join(SHARED_HAM, 'HAM10000_metadata.csv')):
        raw = build_small_ham_tree(str(base / 'raw'), SMALL_HAM_COUNTS)
    else:
        raw = build_procedural_ham_tree(str(base / 'raw'), SMALL_HAM_COUNTS)
    out = str(base / 'prepared')
    run_tool('tools/dataset_converters/prepare_ham10000.py', '--data-root',
             raw, '--out-dir', out)
    return out


def tiny_classifier_config(base_config, data_root, path, img_size=32,
                           batch_size=8, max_epochs=2, pretrained=None,
                           extra=''):
    """Write a config inheriting ``base_config`` with a tiny ResNet, small
    images and the given data, for CPU tests. ``pretrained`` is a checkpoint
    path or URL for the backbone (default: random initialisation)."""
    init_cfg = None if pretrained is None else dict(
        type='Pretrained', checkpoint=pretrained, prefix='backbone')
    text = f'''
_base_ = [{osp.join(REPO, base_config)!r}]
data_root = {data_root!r}
_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale={img_size},
         crop_ratio_range=(0.64, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=({img_size}, {img_size})),
    dict(type='PackInputs'),
]
train_dataloader = dict(batch_size={batch_size}, num_workers=0, drop_last=True,
    dataset=dict(data_root=data_root, pipeline=_train_pipeline))
val_dataloader = dict(batch_size={batch_size}, num_workers=0,
    dataset=dict(data_root=data_root, pipeline=_test_pipeline))
test_dataloader = dict(batch_size={batch_size}, num_workers=0,
    dataset=dict(data_root=data_root, pipeline=_test_pipeline))
model = dict(
    backbone=dict(depth=18, stem_channels=8, base_channels=8,
                  init_cfg={init_cfg!r}),
    head=dict(in_channels=64))
train_cfg = dict(max_epochs={max_epochs})
default_hooks = dict(logger=dict(interval=1))
{extra}
'''
    with open(path, 'w') as f:
        f.write(text)
    return str(path)


@pytest.fixture(scope='session')
def small_aptos(tmp_path_factory):
    """Prepared annotation dir of a fake APTOS tree (no APTOS data here)."""
    base = tmp_path_factory.mktemp('small_aptos')
    raw = fake_aptos_tree(str(base / 'raw'))
    out = str(base / 'prepared')
    call_tool('tools/dataset_converters/prepare_aptos.py', '--data-root',
              raw, '--out-dir', out)
    return out


def save_tiny_diffusion_model(path, sample_size=16, num_class_embeds=None,
                              seed=0):
    """A small random UNet2DModel + DDPM schedule in the pipeline layout
    (unet/, scheduler/) that GuidedDiffusionSynthesizer loads."""
    import torch
    from diffusers import DDPMScheduler, UNet2DModel

    torch.manual_seed(seed)
    unet = UNet2DModel(
        sample_size=sample_size, in_channels=3, out_channels=3,
        block_out_channels=(16, 32), layers_per_block=1, norm_num_groups=8,
        down_block_types=('DownBlock2D', 'DownBlock2D'),
        up_block_types=('UpBlock2D', 'UpBlock2D'),
        num_class_embeds=num_class_embeds)
    unet.save_pretrained(osp.join(path, 'unet'))
    DDPMScheduler(num_train_timesteps=1000).save_pretrained(
        osp.join(path, 'scheduler'))
    return str(path)


@pytest.fixture(scope='session')
def tiny_diffusion_model(tmp_path_factory):
    return save_tiny_diffusion_model(tmp_path_factory.mktemp('tiny_dm'))


def tiny_iois_config(base_config, data_root, dm_dir, path, capacity=14,
                     num_workers=2, max_epochs=2, batch_size=8, pool_file=None,
                     extra=''):
    """An IOIS config with a tiny classifier, tiny data and a tiny diffusion
    model (4 DDIM steps), for CPU tests. ``pool_file``: a fixed pool instead
    of ``capacity`` (the offline ablation)."""
    pool = (f'capacity=None, pool_file={pool_file!r}' if pool_file
            else f'capacity={capacity}')
    text = f'''
_base_ = [{osp.join(REPO, base_config)!r}]
data_root = {data_root!r}
_train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=32, crop_ratio_range=(0.64, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
_test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(32, 32)),
    dict(type='PackInputs'),
]
train_dataloader = dict(batch_size={batch_size}, num_workers={num_workers},
    drop_last=True, dataset=dict({pool},
        dataset=dict(data_root=data_root, pipeline=_train_pipeline)))
val_dataloader = dict(batch_size=8, num_workers=0,
    dataset=dict(data_root=data_root, pipeline=_test_pipeline))
test_dataloader = dict(batch_size=8, num_workers=0,
    dataset=dict(data_root=data_root, pipeline=_test_pipeline))
model = dict(
    backbone=dict(depth=18, stem_channels=8, base_channels=8, init_cfg=None),
    head=dict(in_channels=64))
synthesizer = dict(diffusion_model_dir={dm_dir!r}, num_inference_steps=4,
                   classifier_input_size=32, batch_size=8)
train_cfg = dict(max_epochs={max_epochs})
default_hooks = dict(logger=dict(interval=1))
{extra}
'''
    with open(path, 'w') as f:
        f.write(text)
    return str(path)


def unique_experiment_name(work_dir):
    """MMEngine names the visualizer, logger and message hub
    '{experiment_name}_{timestamp}' (seconds) and reuses an existing
    instance of that name: two tests' runners built in the same second with
    the same name would share the first one's, which writes into the first
    test's work_dir. A unique name per runner."""
    name = osp.splitext(osp.basename(work_dir))[0]
    return f'{name}_{uuid.uuid4().hex[:8]}'


def build_runner(config_path, work_dir, **overrides):
    """An MMEngine Runner for a config file, with overrides, in work_dir."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(config_path)
    cfg.merge_from_dict(overrides)
    cfg.work_dir = work_dir
    cfg.experiment_name = unique_experiment_name(work_dir)
    return Runner.from_cfg(cfg)


def _run_on_rank(rank, function, init_file, out_dir, world_size):
    import json

    import torch.distributed as dist
    dist.init_process_group('gloo', init_method=f'file://{init_file}',
                            rank=rank, world_size=world_size)
    try:
        result = function(rank)
        with open(osp.join(out_dir, f'rank{rank}.json'), 'w') as f:
            json.dump(result, f)
    finally:
        dist.destroy_process_group()


def run_on_ranks(function, tmp_path, world_size=2):
    """``function(rank)`` on ``world_size`` CPU processes joined in one gloo
    group; returns what each returned (JSON values), in rank order.
    ``function`` must be importable (a module-level function)."""
    import json

    import torch.multiprocessing as mp
    mp.spawn(_run_on_rank, args=(function, str(tmp_path / 'init'),
                                 str(tmp_path), world_size),
             nprocs=world_size)
    return [json.load(open(tmp_path / f'rank{rank}.json'))
            for rank in range(world_size)]


def save_classifier(config, path, always=None):
    """The config's (untrained) classifier; ``always``: rigged to predict
    that class for every image."""
    import torch
    from mmengine.config import Config
    from mmpretrain.registry import MODELS

    torch.manual_seed(0)
    cfg = Config.fromfile(config)
    model = MODELS.build(cfg.model)
    if always is not None:
        fc = model.head.fc
        torch.nn.init.zeros_(fc.weight)
        with torch.no_grad():
            fc.bias.copy_(torch.nn.functional.one_hot(
                torch.tensor(always), fc.out_features).float())
    torch.save(dict(state_dict=model.state_dict(), meta={}), path)
    return str(path)
