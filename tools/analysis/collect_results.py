"""Print the paper's Table 1 from finished runs.

Reads ``test_results.json`` (written by ``tools/test.py``) from each given
work directory and prints one row per method with Macro-F1, B-ACC and MCC
per dataset. Several runs of one method on one dataset (seeds) are shown as
mean ± standard deviation.

Example::

    python tools/analysis/collect_results.py work_dirs/*
    python tools/analysis/collect_results.py work_dirs/* --json table1.json
"""
import argparse
import statistics
import sys
from collections import defaultdict

from test_results_io import RESULTS_FILE, load_results

METRICS = (('Macro-F1', 'imbalanced/macro_f1'), ('B-ACC',
                                                  'imbalanced/balanced_acc'),
           ('MCC', 'imbalanced/mcc'))
# Row and column order of the paper's Table 1; other names follow.
PAPER_METHODS = ('CE Loss', 'Focal Loss', 'CB-Focal', 'Sqrt-RS', 'PG-RS',
                 'Cell-GAN', 'StyleGAN2-ADA', 'Ours (+offline)',
                 'Ours (+OIS)', 'Ours (+OIS, AAS)')
PAPER_DATASETS = ('HAM10000', 'APTOS')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('paths', nargs='+',
                        help='work directories (or test_results.json files)')
    parser.add_argument('--json', help='also write the table as JSON here')
    return parser.parse_args(argv)


def ordered(names, preferred):
    return ([n for n in preferred if n in names] +
            sorted(n for n in names if n not in preferred))


def aggregate(results):
    """``{(method, dataset): {metric: [values]}}`` over all runs."""
    table = defaultdict(lambda: defaultdict(list))
    for result in results:
        cell = table[(result['method'], result['dataset'])]
        for label, key in METRICS:
            if key not in result['metrics']:
                raise ValueError(
                    f'{result["source"]} has no {key}; test with '
                    "test_evaluator=dict(type='ImbalancedMetric')")
            cell[label].append(float(result['metrics'][key]))
    return table


def format_cell(values):
    if not values:
        return '–'
    mean = statistics.fmean(values)
    if len(values) == 1:
        return f'{mean:.2f}'
    return f'{mean:.2f} ± {statistics.stdev(values):.2f}'


def to_markdown(table):
    methods = ordered({m for m, _ in table}, PAPER_METHODS)
    datasets = ordered({d for _, d in table}, PAPER_DATASETS)
    header = ['Method'] + [f'{d} {label}' for d in datasets
                           for label, _ in METRICS] + ['Runs']
    lines = ['| ' + ' | '.join(header) + ' |',
             '|' + '|'.join(['---'] + ['---:'] * (len(header) - 1)) + '|']
    for method in methods:
        cells, runs = [method], []
        for dataset in datasets:
            values = table.get((method, dataset), {})
            cells += [format_cell(values.get(label, []))
                      for label, _ in METRICS]
            runs.append(str(len(values.get(METRICS[0][0], []))))
        lines.append('| ' + ' | '.join(cells + ['/'.join(runs)]) + ' |')
    lines.append('')
    lines.append('Runs: number of runs per dataset (' + ', '.join(datasets) +
                 '); several runs show mean ± sample standard deviation.')
    return '\n'.join(lines)


def to_json(table):
    return [
        dict(method=method, dataset=dataset, runs=len(values[METRICS[0][0]]),
             **{label: dict(mean=statistics.fmean(values[label]),
                            std=(statistics.stdev(values[label])
                                 if len(values[label]) > 1 else 0.0),
                            values=values[label])
                for label, _ in METRICS})
        for (method, dataset), values in sorted(table.items())
    ]


def main(argv=None):
    args = parse_args(argv)
    results, skipped = load_results(args.paths)
    for path in skipped:
        print(f'skipped {path}: no {RESULTS_FILE} (not tested yet? run '
              'tools/test.py CONFIG CHECKPOINT)', file=sys.stderr)
    if not results:
        print('error: no test results found', file=sys.stderr)
        return 2
    try:
        table = aggregate(results)
    except ValueError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    print(to_markdown(table))
    if args.json:
        from iois_mm.utils.io import write_json_atomic
        write_json_atomic(args.json, dict(table=to_json(table)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
