"""The paper's Fig. 2: per-class test accuracy change relative to CE.

Reads ``test_results.json`` from the given work directories, averages each
method's per-class accuracy over its runs (seeds), subtracts the baseline
method's, and draws one group of bars per class, the classes in descending
training-set size with the size in brackets. Also prints the numbers.

Example::

    python tools/analysis/plot_per_class.py work_dirs/ham64/*_seed* \\
        --split-info data/ham64/split.json --out fig2.png \\
        --methods "Focal Loss" "Sqrt-RS" "Ours (+OIS, AAS)"
"""
import argparse
import json
import statistics
import sys
from collections import defaultdict

from test_results_io import load_results

PREFIX = 'imbalanced/acc_'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('paths', nargs='+', help='work directories')
    parser.add_argument('--split-info', required=True,
                        help="the prepared dataset's split.json (training "
                        'class sizes)')
    parser.add_argument('--baseline', default='CE Loss')
    parser.add_argument('--methods', nargs='+',
                        help='methods to draw (default: all but the '
                        'baseline)')
    parser.add_argument('--out', required=True, help='PNG path')
    return parser.parse_args(argv)


def per_class_means(results):
    """``{method: {class: mean accuracy over runs}}``."""
    values = defaultdict(lambda: defaultdict(list))
    for result in results:
        for key, value in result['metrics'].items():
            if key.startswith(PREFIX):
                values[result['method']][key[len(PREFIX):]].append(value)
    return {method: {name: statistics.fmean(v) for name, v in classes.items()}
            for method, classes in values.items()}


def main(argv=None):
    args = parse_args(argv)
    results, skipped = load_results(args.paths)
    for path in skipped:
        print(f'skipped {path}: no test_results.json', file=sys.stderr)
    means = per_class_means(results)
    if args.baseline not in means:
        print(f'error: no runs of the baseline {args.baseline!r} among '
              f'{sorted(means)}', file=sys.stderr)
        return 2
    methods = args.methods or [m for m in means if m != args.baseline]
    missing = [m for m in methods if m not in means]
    if missing:
        print(f'error: no runs of {missing}; found {sorted(means)}',
              file=sys.stderr)
        return 2
    with open(args.split_info) as f:
        split = json.load(f)
    sizes = dict(zip(split['classes'], split['class_counts']['train']))
    order = sorted(means[args.baseline], key=lambda c: -sizes.get(c, 0))
    labels = [f'{name} ({sizes.get(name, "?")})' for name in order]
    changes = {m: [means[m][c] - means[args.baseline][c] for c in order]
               for m in methods}

    print(f'per-class accuracy change vs {args.baseline} (points):')
    # methods' names are long: numbered columns, the names listed first
    for number, method in enumerate(methods, 1):
        print(f'  [{number}] {method}')
    print(f'{"class":<16}' + ''.join(f'{f"[{n}]":>8}'
                                     for n in range(1, len(methods) + 1)))
    for index, label in enumerate(labels):
        print(f'{label:<16}' + ''.join(f'{changes[m][index]:>8.2f}'
                                       for m in methods))

    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    width = 0.8 / len(methods)
    positions = np.arange(len(order))
    figure, axis = plt.subplots(figsize=(1.3 * len(order) + 3, 4))
    for index, method in enumerate(methods):
        axis.bar(positions + (index - (len(methods) - 1) / 2) * width,
                 changes[method], width, label=method)
    axis.axhline(0, color='black', linewidth=0.8)
    axis.set_xticks(positions, labels, rotation=20)
    axis.set_ylabel(f'accuracy change vs {args.baseline} (points)')
    axis.set_title('Per-class test accuracy, classes by training size')
    # beside the axes: with many methods a legend inside covers the bars
    axis.legend(fontsize='small', loc='upper left', bbox_to_anchor=(1.01, 1))
    axis.grid(axis='y', alpha=0.3)
    figure.tight_layout()
    figure.savefig(args.out, dpi=120)
    print(f'wrote {args.out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
