"""Plot a validation metric per epoch for several runs, seeds grouped.

Reads ``WORK_DIR/*/vis_data/scalars.json`` of each run; runs whose names
differ only in a ``_seed<N>`` suffix form one method, drawn as its mean
with a band from the lowest to the highest seed. Shows when each method
peaks, i.e. which epoch the best-validation checkpoint comes from.

Example::

    python tools/analysis/plot_val_curves.py work_dirs/ham32_cpu/*_seed* \\
        --out benchmarks/ham32/results/val_macro_f1.png
"""
import argparse
import json
import os.path as osp
import re
import sys
from collections import defaultdict

from test_results_io import scalar_records


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dirs', nargs='+')
    parser.add_argument('--metric', default='imbalanced/macro_f1')
    parser.add_argument('--out', required=True, help='PNG path')
    parser.add_argument('--json', help='also write the curves here')
    return parser.parse_args(argv)


def read_groups(work_dirs, metric):
    """``{method: {run: {epoch: value}}}``; runs without the metric are
    returned apart."""
    groups, empty = defaultdict(dict), []
    for work_dir in work_dirs:
        records, _ = scalar_records(work_dir)
        curve = {r['step']: r[metric] for r in records if metric in r}
        name = osp.basename(osp.normpath(work_dir))
        if not curve:
            empty.append(work_dir)
            continue
        groups[re.sub(r'_seed\d+$', '', name)][name] = curve
    return groups, empty


def plot(groups, metric, out_path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np

    figure, axis = plt.subplots(figsize=(7, 4.5))
    for method, runs in sorted(groups.items()):
        epochs = sorted(set.intersection(*(set(c) for c in runs.values())))
        values = np.array([[c[e] for e in epochs] for c in runs.values()])
        line, = axis.plot(epochs, values.mean(0),
                          label=f'{method} (n={len(runs)})')
        if len(runs) > 1:
            axis.fill_between(epochs, values.min(0), values.max(0),
                              color=line.get_color(), alpha=0.2)
    axis.set_xlabel('epoch')
    axis.set_ylabel(f'validation {metric}')
    axis.grid(alpha=0.3)
    axis.legend(fontsize='small')
    figure.tight_layout()
    figure.savefig(out_path, dpi=120)
    plt.close(figure)


def main(argv=None):
    args = parse_args(argv)
    groups, empty = read_groups(args.work_dirs, args.metric)
    for work_dir in empty:
        print(f'warning: no {args.metric} in {work_dir}/*/vis_data; left '
              'out', file=sys.stderr)
    if not groups:
        print(f'error: no run logged {args.metric}', file=sys.stderr)
        return 2
    plot(groups, args.metric, args.out)
    if args.json:
        with open(args.json, 'w', encoding='utf-8') as f:
            json.dump({'metric': args.metric, 'runs': {
                run: curve for runs in groups.values()
                for run, curve in runs.items()}}, f, indent=1)
    for method, runs in sorted(groups.items()):
        peaks = [max(curve, key=curve.get) for curve in runs.values()]
        print(f'{method}: {len(runs)} runs, best epochs {sorted(peaks)}')
    print(f'written {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
