"""What an IOIS epoch costs against a CE epoch, for several IOIS settings
side by side, in one run on one machine.

Trains the CE config and the IOIS config under each named setting for a
few epochs (no validation), interleaved over ``--repeats`` rounds so that
drifting machine load hits every setting alike, and reports for each: the
steady epoch time, its ratio to CE's in the same round, the spread of that
ratio over rounds, and the final pool's quality against the real training
images (thumbnail features: Fréchet distance, precision, recall). The
steady epoch time is the median of the epochs between the first (start-up
and, for IOIS, the first pool) and the last (after which IOIS makes no
pool); an IOIS epoch includes the synthesis it triggers at its end.

Example (HAM-32 on a CPU)::

    python tools/benchmark_epoch_cost.py \\
        --ce-config configs/ham32/ce_resnet18-w16_1xb64_60e_ham32.py \\
        --iois-config \\
            configs/ham32/iois-ois-aas_resnet18-w16_1xb64_60e_ham32.py \\
        --diffusion-model-dir work_dirs/ham32/ddpm/diffusion_model \\
        --setting full \\
        --setting warm0.4-part0.1 custom_hooks.0.refresh_strength=0.4 \\
            custom_hooks.0.refresh_fraction=0.1 \\
        --json benchmarks/results/epoch-cost.json
"""
import argparse
import datetime
import os.path as osp
import statistics
import sys
import tempfile

import torch
from mmengine.config import DictAction

import iois_mm  # noqa: F401  (registers components)
from benchmarking.epoch_cost import steady_epoch_seconds, time_epochs
from iois_mm.utils.environment import describe_cpu
from iois_mm.utils.io import write_json_atomic


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ce-config', required=True)
    parser.add_argument('--iois-config', required=True)
    parser.add_argument('--diffusion-model-dir')
    parser.add_argument('--data-root', help='a prepared dataset for both '
                        "configs (default: the configs')")
    parser.add_argument('--setting', nargs='+', action='append',
                        metavar=('NAME', 'KEY=VALUE'), required=True,
                        help='an IOIS setting: a name, then config '
                        'overrides (repeat for several)')
    parser.add_argument('--epochs', type=int, default=4,
                        help='epochs per run (the first and the last are '
                        'not timed)')
    parser.add_argument('--repeats', type=int, default=2)
    parser.add_argument('--json', help='write the results here')
    return parser.parse_args(argv)


def overrides_of(pairs):
    overrides = {}
    for pair in pairs:
        if '=' not in pair:
            raise SystemExit(f'error: setting override {pair!r} is not '
                             'KEY=VALUE')
        key, value = pair.split('=', 1)
        overrides[key] = DictAction._parse_iterable(value)
    return overrides


def summarise(rounds, settings):
    summary = {}
    for name in settings:
        ratios = [r[name]['ratio'] for r in rounds]
        seconds = [r[name]['steady_epoch_seconds'] for r in rounds]
        summary[name] = dict(
            ratio=statistics.mean(ratios), ratios=ratios,
            ratio_spread=(max(ratios) - min(ratios)) / statistics.mean(
                ratios),
            steady_epoch_seconds=statistics.mean(seconds),
            pool_quality=rounds[-1][name].get('pool_quality'))
    return summary


def main(argv=None):
    args = parse_args(argv)
    args.command_line = sys.argv[1:] if argv is None else list(argv)
    settings = {s[0]: overrides_of(s[1:]) for s in args.setting}
    work = tempfile.mkdtemp(prefix='iois_epoch_cost_')
    rounds = []
    for repeat in range(args.repeats):
        ce = time_epochs(args.ce_config, osp.join(work, f'ce_{repeat}'),
                         args.epochs, args.data_root)
        ce_seconds = steady_epoch_seconds(ce['epoch_seconds'])
        results = dict(ce=dict(ce, steady_epoch_seconds=ce_seconds,
                               ratio=1.0))
        print(f'round {repeat + 1}: CE {ce_seconds:.1f}s an epoch',
              flush=True)
        for name, overrides in settings.items():
            run = time_epochs(args.iois_config,
                              osp.join(work, f'{name}_{repeat}'),
                              args.epochs, args.data_root,
                              args.diffusion_model_dir, overrides)
            seconds = steady_epoch_seconds(run['epoch_seconds'])
            results[name] = dict(run, steady_epoch_seconds=seconds,
                                 ratio=seconds / ce_seconds)
            print(f'round {repeat + 1}: {name} {seconds:.1f}s an epoch, '
                  f'{seconds / ce_seconds:.2f}x CE', flush=True)
        rounds.append(results)
        if args.json:  # partial results survive an interruption
            write_report(args, settings, rounds)
    report = write_report(args, settings, rounds)
    print(f'\n{"setting":<28}{"s/epoch":>9}{"x CE":>7}{"spread":>8}'
          f'{"FD":>8}{"prec":>6}{"rec":>6}')
    for name, row in report['summary'].items():
        quality = row['pool_quality'] or {}
        print(f'{name:<28}{row["steady_epoch_seconds"]:>9.1f}'
              f'{row["ratio"]:>7.2f}{100 * row["ratio_spread"]:>7.0f}%'
              f'{quality.get("frechet") or float("nan"):>8.3f}'
              f'{quality.get("precision") or float("nan"):>6.2f}'
              f'{quality.get("recall") or float("nan"):>6.2f}')


def write_report(args, settings, rounds):
    report = dict(
        command='python tools/benchmark_epoch_cost.py ' +
        ' '.join(args.command_line),
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        machine=describe_cpu(), torch=torch.__version__,
        device='cuda: ' + torch.cuda.get_device_name()
        if torch.cuda.is_available() else 'cpu',
        epochs=args.epochs, settings=settings, rounds=rounds,
        summary=summarise(rounds, ['ce', *settings]))
    if args.json:
        write_json_atomic(args.json, report)
    return report


if __name__ == '__main__':
    main()
