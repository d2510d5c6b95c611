"""Compare a method with a baseline run by run: same split, same seed.

Seeds of one split share the classifier's initialisation and data order, and
splits differ in their test sets, so differences taken within each (split,
seed) pair say more than two means side by side. A run is a work directory
(or its ``test_results.json``, or a collected ``runs/NAME_seedS.json``); its
pair key is the folder that holds it plus the ``_seedS`` in its name.

Example (HAM-32, both splits)::

    python tools/analysis/compare_paired.py \\
        benchmarks/ham32/results*/runs/iois-*-frozen*pool-once*.json \\
        --baseline benchmarks/ham32/results*/runs/sqrt-rs_seed*.json
"""
import argparse
import os.path as osp
import re
import statistics
import sys

from collect_results import METRICS
from test_results_io import load_results

SEED_PATTERN = re.compile(r'_seed(\d+)')


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('runs', nargs='+', help="the method's runs")
    parser.add_argument('--baseline', nargs='+', required=True,
                        help="the baseline's runs")
    parser.add_argument('--json', help='also write the comparison here')
    return parser.parse_args(argv)


def pair_key(source):
    """``(group, seed)`` of a results file: the folder holding the run and
    the seed in the run's name."""
    if osp.basename(source) == 'test_results.json':
        run = osp.dirname(osp.abspath(source))
    else:
        run = osp.splitext(osp.abspath(source))[0]
    match = SEED_PATTERN.search(osp.basename(run))
    if match is None:
        raise ValueError(f'{source}: no _seedN in the run name, so it cannot '
                         'be paired')
    return osp.relpath(osp.dirname(run)), int(match.group(1))


def keyed(paths, role):
    results, skipped = load_results(paths)
    if skipped:
        raise ValueError(f'{role}: no test results in ' + ', '.join(skipped))
    runs = {}
    for result in results:
        key = pair_key(result['source'])
        if key in runs:
            raise ValueError(f'{role}: two runs for {key}: '
                             f'{runs[key]["source"]} and {result["source"]}')
        runs[key] = result
    return runs


def compare(method_runs, baseline_runs):
    """Per pair the method's, the baseline's and their difference per metric,
    and over the pairs the mean and std of the differences and the wins."""
    pairs = []
    for key in sorted(method_runs.keys() & baseline_runs.keys()):
        row = dict(group=key[0], seed=key[1])
        for label, metric in METRICS:
            ours = float(method_runs[key]['metrics'][metric])
            theirs = float(baseline_runs[key]['metrics'][metric])
            row[label] = dict(method=ours, baseline=theirs,
                              difference=ours - theirs)
        pairs.append(row)
    summary = {}
    for label, _ in METRICS:
        differences = [p[label]['difference'] for p in pairs]
        summary[label] = dict(
            mean=statistics.fmean(differences) if differences else None,
            std=statistics.stdev(differences) if len(differences) > 1 else 0.0,
            wins=sum(d > 0 for d in differences), pairs=len(differences))
    unpaired = sorted((method_runs.keys() ^ baseline_runs.keys()))
    return dict(pairs=pairs, summary=summary, unpaired=unpaired)


def to_markdown(comparison, method, baseline):
    labels = [label for label, _ in METRICS]
    lines = [f'{method} − {baseline}, per (split, seed):', '',
             '| runs in | seed | ' + ' | '.join(f'Δ {label}' for label in
                                                 labels) + ' |',
             '|---|---:|' + '---:|' * len(labels)]
    for pair in comparison['pairs']:
        lines.append(f'| {pair["group"]} | {pair["seed"]} | ' + ' | '.join(
            f'{pair[label]["difference"]:+.2f}' for label in labels) + ' |')
    summary = comparison['summary']
    lines.append('| **mean ± std** | | ' + ' | '.join(
        f'**{summary[label]["mean"]:+.2f} ± {summary[label]["std"]:.2f}**'
        for label in labels) + ' |')
    lines.append('| method ahead in | | ' + ' | '.join(
        f'{summary[label]["wins"]} of {summary[label]["pairs"]}'
        for label in labels) + ' |')
    return '\n'.join(lines)


def main(argv=None):
    args = parse_args(argv)
    try:
        method_runs = keyed(args.runs, 'method')
        baseline_runs = keyed(args.baseline, 'baseline')
    except ValueError as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    comparison = compare(method_runs, baseline_runs)
    for group, seed in comparison['unpaired']:
        print(f'unpaired (left out): {group}, seed {seed}', file=sys.stderr)
    if not comparison['pairs']:
        print('error: no run of the method has a baseline run of the same '
              'split and seed', file=sys.stderr)
        return 2
    names = [next(iter(runs.values()))['method']
             for runs in (method_runs, baseline_runs)]
    print(to_markdown(comparison, *names))
    if args.json:
        from iois_mm.utils.io import write_json_atomic
        write_json_atomic(args.json, dict(method=names[0], baseline=names[1],
                                          **comparison))
    return 0


if __name__ == '__main__':
    sys.exit(main())
