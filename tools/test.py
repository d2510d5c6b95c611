"""Test a checkpoint: MMPretrain's tools/test.py with iois-mm loaded.

Same arguments as MMPretrain's. It also writes ``WORK_DIR/test_results.json``
(method, dataset, config, checkpoint, metrics, and the machine: the same
seed trains to different weights on different CPU types), which
``tools/analysis/collect_results.py`` turns into the paper's Table 1.

Example::

    python tools/test.py CONFIG \\
        work_dirs/NAME/best_imbalanced_macro_f1_epoch_N.pth
"""
import argparse
import datetime
import os.path as osp
from copy import deepcopy

import mmengine
import torch
from mmengine.config import Config, ConfigDict, DictAction
from mmengine.dist import is_main_process
from mmengine.evaluator import DumpResults
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import iois_mm  # noqa: F401  (registers components)
from iois_mm.utils import setup_cpu_distributed, shutdown_distributed
from iois_mm.utils.environment import describe_cpu
from iois_mm.utils.io import write_json_atomic
from analysis.test_results_io import RESULTS_FILE
from launch_helpers import (add_launcher_arguments, apply_dataloader_defaults,
                            parse_launcher_args, set_work_dir)



def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='Test (and evaluate) a checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument(
        '--work-dir',
        help='where to save the metrics; defaults to work_dirs/<config name>')
    parser.add_argument('--out', help='the file to output results to')
    parser.add_argument(
        '--out-item', choices=['metrics', 'pred'],
        help='whether --out gets the metrics or the predictions '
        '(default: predictions)')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings in the config, key=value pairs')
    parser.add_argument(
        '--amp', action='store_true', help='test with mixed precision')
    parser.add_argument(
        '--show-dir', help='directory for visualised predictions')
    parser.add_argument(
        '--show', action='store_true', help='show predictions in a window')
    parser.add_argument(
        '--interval', type=int, default=1,
        help='visualise every N-th sample')
    parser.add_argument(
        '--wait-time', type=float, default=2,
        help='display time of every window, in seconds')
    parser.add_argument(
        '--no-pin-memory', action='store_true',
        help='disable pin_memory in dataloaders')
    parser.add_argument(
        '--tta', action='store_true',
        help='test-time augmentation (tta_model / tta_pipeline from the '
        'config, else flip TTA)')
    add_launcher_arguments(parser)
    return parse_launcher_args(parser, argv)


def merge_args(cfg, args):
    """Merge command-line arguments into the config."""
    if not osp.isfile(args.checkpoint):
        raise SystemExit(f'error: checkpoint {args.checkpoint} not found')
    cfg.launcher = args.launcher
    set_work_dir(cfg, args.config, args.work_dir)
    cfg.load_from = args.checkpoint
    if args.amp:
        cfg.test_cfg.fp16 = True

    if args.show or args.show_dir is not None:
        if 'visualization' not in cfg.default_hooks:
            raise SystemExit(
                'error: --show/--show-dir need default_hooks.visualization '
                "= dict(type='VisualizationHook') in the config")
        cfg.default_hooks.visualization.update(
            enable=True, show=args.show, wait_time=args.wait_time,
            out_dir=args.show_dir, interval=args.interval)

    if args.tta:
        if 'tta_model' not in cfg:
            cfg.tta_model = dict(type='mmpretrain.AverageClsScoreTTA')
        if 'tta_pipeline' not in cfg:
            test_pipeline = cfg.test_dataloader.dataset.pipeline
            cfg.tta_pipeline = deepcopy(test_pipeline)
            cfg.tta_pipeline[-1] = dict(
                type='TestTimeAug',
                transforms=[[dict(type='RandomFlip', prob=1.),
                             dict(type='RandomFlip', prob=0.)],
                            [test_pipeline[-1]]])
        cfg.model = ConfigDict(**cfg.tta_model, module=cfg.model)
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    apply_dataloader_defaults(cfg, ('test_dataloader', ),
                              persistent_workers=False,
                              pin_memory=not args.no_pin_memory)
    return cfg


def run_test(cfg, args):
    """Test, then (on the main process) write the results files."""
    runner = (Runner.from_cfg(cfg) if 'runner_type' not in cfg
              else RUNNERS.build(cfg))
    if args.out and args.out_item in ('pred', None):
        runner.test_evaluator.metrics.append(
            DumpResults(out_file_path=args.out))
    metrics = runner.test()
    if not is_main_process():
        return
    if args.out and args.out_item == 'metrics':
        mmengine.dump(metrics, args.out)
    results_path = osp.join(cfg.work_dir, RESULTS_FILE)
    # which diffusion model made an IOIS row's images (rows differ by it)
    synthesizer = cfg.get('synthesizer') or {}
    provenance = ({'diffusion_model': synthesizer['diffusion_model_dir']}
                  if synthesizer.get('diffusion_model_dir') else {})
    if torch.cuda.is_available():
        provenance['gpu'] = torch.cuda.get_device_name()
    write_json_atomic(results_path, dict(
        method=cfg.get('method_name',
                       osp.splitext(osp.basename(args.config))[0]),
        dataset=cfg.get('dataset_name', 'unknown'),
        config=osp.abspath(args.config),
        checkpoint=osp.abspath(args.checkpoint),
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        machine=describe_cpu(),
        metrics={k: float(v) for k, v in metrics.items()}, **provenance))
    runner.logger.info(f'test metrics written to {results_path}')


def main(argv=None):
    args = parse_args(argv)
    if args.out is None and args.out_item is not None:
        raise SystemExit('error: --out-item needs --out')
    cfg = merge_args(Config.fromfile(args.config), args)
    setup_cpu_distributed(cfg)
    try:
        run_test(cfg, args)
    except BaseException as error:
        shutdown_distributed(error)
        raise
    shutdown_distributed()


if __name__ == '__main__':
    main()
