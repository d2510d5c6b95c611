"""Train a classifier: MMPretrain's tools/train.py with iois-mm loaded.

Same arguments as MMPretrain's. Differences, each because the stock script
fails in a setting our users have:

* ``iois_mm`` is imported, so its components are registered and MMEngine
  checkpoints load under torch's ``weights_only`` default (``--resume``);
* ``persistent_workers`` / ``pin_memory`` are only turned on where they are
  valid (``num_workers > 0``; a CUDA device);
* ``--launcher pytorch`` also works without a GPU (gloo; see
  ``iois_mm.utils.setup_cpu_distributed``);
* a failed download of pre-trained weights, or an unusable diffusion model
  directory, ends with what to do instead of a traceback.

Example::

    python tools/train.py configs/iois_resnet50_ham10000.py
    torchrun --nproc_per_node=2 tools/train.py CONFIG --launcher pytorch
"""
import argparse

from mmengine.config import Config, DictAction
from mmengine.registry import RUNNERS
from mmengine.runner import Runner

import iois_mm  # noqa: F401  (registers components)
from iois_mm.synthesis import DiffusionModelError
from iois_mm.utils import setup_cpu_distributed, shutdown_distributed
from launch_helpers import (add_launcher_arguments, apply_dataloader_defaults,
                            explain_download_error, is_download_error,
                            parse_launcher_args, set_work_dir)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from this checkpoint, or without a path from the '
        'latest checkpoint in the work directory')
    parser.add_argument(
        '--amp', action='store_true',
        help='enable automatic-mixed-precision training')
    parser.add_argument(
        '--no-validate', action='store_true',
        help='do not evaluate checkpoints during training')
    parser.add_argument(
        '--auto-scale-lr', action='store_true',
        help='scale the learning rate by actual / base batch size')
    parser.add_argument(
        '--no-pin-memory', action='store_true',
        help='disable pin_memory in dataloaders')
    parser.add_argument(
        '--no-persistent-workers', action='store_true',
        help='disable persistent_workers in dataloaders')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override settings in the config, key=value pairs, e.g. '
        'train_cfg.max_epochs=10 model.backbone.init_cfg=None')
    add_launcher_arguments(parser)
    return parse_launcher_args(parser, argv)


def merge_args(cfg, args):
    """Merge command-line arguments into the config."""
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None

    cfg.launcher = args.launcher
    set_work_dir(cfg, args.config, args.work_dir)

    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')

    if args.resume == 'auto':
        cfg.resume = True
        cfg.load_from = None
    elif args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume

    if args.auto_scale_lr:
        cfg.auto_scale_lr.enable = True

    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    # after the overrides, so they see the final num_workers
    apply_dataloader_defaults(
        cfg, ('train_dataloader', 'val_dataloader', 'test_dataloader'),
        persistent_workers=not args.no_persistent_workers,
        pin_memory=not args.no_pin_memory)
    return cfg


def run_training(cfg):
    """Build the runner and train; the runner is released on return."""
    if 'runner_type' not in cfg:
        runner = Runner.from_cfg(cfg)
    else:
        runner = RUNNERS.build(cfg)
    try:
        runner.train()
    except DiffusionModelError as error:
        raise SystemExit(f'error: {error}') from error
    except Exception as error:
        if is_download_error(error):
            raise SystemExit(explain_download_error(error)) from error
        raise


def main(argv=None):
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    cfg = merge_args(cfg, args)
    setup_cpu_distributed(cfg)

    try:
        run_training(cfg)
    except BaseException as error:
        shutdown_distributed(error)
        raise
    shutdown_distributed()


if __name__ == '__main__':
    main()
