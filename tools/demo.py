"""The whole method on a fresh machine, in one command, with no downloads.

1. draws a small imbalanced image dataset (DemoShapes, seeded);
2. pre-trains a tiny diffusion model on its training images;
3. trains the classifier with IOIS (OIS + AAS) and, for comparison, with
   plain cross-entropy, for the same epochs;
4. tests both best-on-validation checkpoints and prints Macro-F1 / B-ACC /
   MCC side by side, with where the logs, curves and synthetic images are.

Every stage runs the real tools (tools/train.py, tools/test.py) on the
configs in configs/demo/, only small. A stage whose output exists is
reused; --fresh starts over. On 2 CPU cores: about 5 minutes, --quick about
2 minutes.

Example::

    python tools/demo.py            # work_dirs/demo
    python tools/demo.py --quick --work-dir /tmp/demo
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import shutil
import subprocess
import sys
import time

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = dict(
    ddpm='configs/demo/ddpm_unet32_demo-shapes.py',
    ce='configs/demo/ce_resnet18_demo-shapes.py',
    iois='configs/demo/iois_resnet18_demo-shapes.py')
FULL = dict(ddpm_iters=800, epochs=12)
QUICK = dict(ddpm_iters=150, epochs=3)
METRICS = (('Macro-F1', 'imbalanced/macro_f1'),
           ('B-ACC', 'imbalanced/balanced_acc'), ('MCC', 'imbalanced/mcc'))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--work-dir', default='work_dirs/demo')
    parser.add_argument('--quick', action='store_true',
                        help='fewer iterations and epochs (CI, a first look)')
    parser.add_argument('--fresh', action='store_true',
                        help='delete earlier results and redo every stage')
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the dataset and of the training runs')
    return parser.parse_args(argv)


class Stage:
    """Runs a tool as a subprocess, keeps its full output in a log file and
    shows the lines that tell progress."""

    SHOWN = re.compile(r'Iter\(train\)|Epoch\(val\)|AAS: synthesised|'
                       r'AAS epoch|exported|Error|error:')

    def __init__(self, work_dir):
        self.work_dir = work_dir

    def run(self, name, args):
        log_path = osp.join(self.work_dir, f'{name}.log')
        command = [sys.executable] + args
        print(f'  $ {" ".join(args)}', flush=True)
        with open(log_path, 'w') as log:
            process = subprocess.Popen(command, cwd=REPO, text=True,
                                       stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT)
            for line in process.stdout:
                log.write(line)
                if self.SHOWN.search(line):
                    print('    ' + shorten(line), flush=True)
            code = process.wait()
        if code != 0:
            with open(log_path) as log:
                tail = log.readlines()[-30:]
            raise SystemExit(f'\n{name} failed (exit {code}); last lines of '
                             f'{log_path}:\n' + ''.join(tail))


def shorten(line):
    """A log line without the logger prefix; validation lines reduced to
    the three headline metrics."""
    line = re.sub(r'^.*? - mmengine - \w+ - ', '', line.rstrip())
    match = re.search(r'Epoch\(val\) \[(\d+)\]', line)
    if match:
        values = {key: re.search(rf'{re.escape(key)}: ([-\d.]+)', line)
                  for _, key in METRICS}
        return f'epoch {match.group(1)} validation: ' + '  '.join(
            f'{label} {values[key].group(1)}' for label, key in METRICS
            if values[key])
    return line[:160]


def data_overrides(model, data_root):
    """--cfg-options pointing a demo config's datasets at data_root."""
    train = ('train_dataloader.dataset.dataset.data_root' if model == 'iois'
             else 'train_dataloader.dataset.data_root')
    options = [f'{train}={data_root}']
    if model != 'ddpm':
        options += [f'val_dataloader.dataset.data_root={data_root}',
                    f'test_dataloader.dataset.data_root={data_root}']
    return options


def model_ready(path):
    from iois_mm.synthesis.diffusion_model_dir import (
        DiffusionModelError, resolve_model_dir)
    try:
        resolve_model_dir(path)
        return True
    except DiffusionModelError:
        return False


def train_and_test(stage, name, work_dir, data_root, epochs, seed, extra=()):
    run_dir = osp.join(work_dir, name)
    results = osp.join(run_dir, 'test_results.json')
    if osp.isfile(results):
        print(f'  reusing {results}')
        return results
    options = data_overrides(name, data_root) + [
        f'train_cfg.max_epochs={epochs}', f'randomness.seed={seed}',
        *extra]
    stage.run(f'{name}_train', ['tools/train.py', CONFIGS[name],
                                '--work-dir', run_dir, '--cfg-options',
                                *options])
    best = sorted(glob.glob(osp.join(run_dir, 'best_*.pth')))
    if not best:
        raise SystemExit(f'{name}: no best checkpoint in {run_dir}')
    stage.run(f'{name}_test', ['tools/test.py', CONFIGS[name], best[-1],
                               '--work-dir', run_dir, '--cfg-options',
                               *data_overrides(name, data_root)])
    return results


def summary(ce_path, iois_path, work_dir):
    with open(ce_path) as f:
        ce = json.load(f)['metrics']
    with open(iois_path) as f:
        iois = json.load(f)['metrics']
    classes = [k[len('imbalanced/acc_'):] for k in ce
               if k.startswith('imbalanced/acc_')]
    rows = [(label, key) for label, key in METRICS] + [
        (f'acc {name}', f'imbalanced/acc_{name}') for name in classes]
    lines = ['', 'Test set (DemoShapes; best epoch on validation Macro-F1):',
             f'  {"metric":<22}{"CE":>10}{"IOIS":>10}']
    for label, key in rows:
        lines.append(f'  {label:<22}{ce[key]:>10.2f}{iois[key]:>10.2f}')
    grids = glob.glob(osp.join(work_dir, 'iois', '*', 'vis_data',
                               'vis_image'))
    lines += [
        '',
        'Where to look:',
        f'  logs                {work_dir}/{{ddpm,ce,iois}}/*/*.log',
        f'  per-class curves    {work_dir}/iois/aas_curves.png',
        f'  synthetic images    {grids[-1] if grids else "(none)"}'
        '/aas_synthetic_<epoch>.png',
        f'  diffusion samples   {work_dir}/ddpm/*/vis_data/vis_image/',
        f'  diffusion model     {work_dir}/ddpm/diffusion_model',
    ]
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    settings = QUICK if args.quick else FULL
    work_dir = osp.abspath(args.work_dir)
    if args.fresh and osp.isdir(work_dir):
        shutil.rmtree(work_dir)
    os.makedirs(work_dir, exist_ok=True)
    sys.path.insert(0, REPO)
    stage = Stage(work_dir)
    start = time.time()

    data_root = osp.join(work_dir, 'data')
    print(f'[1/4] dataset: {data_root}', flush=True)
    if osp.isfile(osp.join(data_root, 'meta', 'test.json')):
        print('  reusing it')
    else:
        from iois_mm.datasets import make_demo_shapes
        make_demo_shapes(data_root, seed=args.seed,
                         log=lambda text: print('  ' + text.replace(
                             '\n', '\n  ')))

    model_dir = osp.join(work_dir, 'ddpm', 'diffusion_model')
    print(f'[2/4] diffusion model pre-training ({settings["ddpm_iters"]} '
          'iterations)', flush=True)
    if model_ready(model_dir):
        print(f'  reusing {model_dir}')
    else:
        stage.run('ddpm_train', [
            'tools/train.py', CONFIGS['ddpm'], '--work-dir',
            osp.join(work_dir, 'ddpm'), '--cfg-options',
            *data_overrides('ddpm', data_root),
            f'train_cfg.max_iters={settings["ddpm_iters"]}',
            f'randomness.seed={args.seed}'
        ])

    print(f'[3/4] classifier with IOIS ({settings["epochs"]} epochs)',
          flush=True)
    iois = train_and_test(
        stage, 'iois', work_dir, data_root, settings['epochs'], args.seed,
        extra=[f'synthesizer.diffusion_model_dir={model_dir}'])
    stage.run('iois_curves', ['tools/analysis/plot_aas_curves.py',
                              osp.join(work_dir, 'iois')])

    print(f'[4/4] classifier with cross-entropy ({settings["epochs"]} '
          'epochs)', flush=True)
    ce = train_and_test(stage, 'ce', work_dir, data_root, settings['epochs'],
                        args.seed)

    print(summary(ce, iois, work_dir))
    print(f'\ndone in {time.time() - start:.0f}s')
    return 0


if __name__ == '__main__':
    sys.exit(main())
