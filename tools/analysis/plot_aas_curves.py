"""Plot an IOIS run's per-class training accuracy and AAS counts per epoch.

Reads the scalars the AccuracyAdaptiveSamplingHook logs
(``aas/acc_<class>``, ``aas/count_<class>``) and the validation per-class
accuracy (``imbalanced/acc_<class>``) from ``WORK_DIR/*/vis_data/
scalars.json`` (every run in the directory, so resumed runs join up) and
writes one PNG with a panel each.

Example::

    python tools/analysis/plot_aas_curves.py work_dirs/iois_resnet50_ham10000
"""
import argparse
import os.path as osp
import sys
from collections import defaultdict

from test_results_io import scalar_records

PANELS = (('aas/acc_', 'training accuracy (%), the AAS input', 100.0),
          ('aas/count_', 'synthetic images (AAS output)', 1.0),
          ('imbalanced/acc_', 'validation accuracy (%)', 1.0))


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('work_dir', help='work directory of an IOIS run')
    parser.add_argument('--out', help='PNG path (default WORK_DIR/'
                        'aas_curves.png)')
    return parser.parse_args(argv)


def read_curves(work_dir):
    """``{prefix: {class: {epoch: value}}}`` from every run in work_dir."""
    curves = {prefix: defaultdict(dict) for prefix, _, _ in PANELS}
    records, files = scalar_records(work_dir)
    for record in records:
        for key, value in record.items():
            for prefix, _, _ in PANELS:
                if key.startswith(prefix):
                    curves[prefix][key[len(prefix):]][record['step']] = value
    return curves, files


def plot(curves, out_path):
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    panels = [p for p in PANELS if curves[p[0]]]
    figure, axes = plt.subplots(1, len(panels),
                                figsize=(5.5 * len(panels), 4), squeeze=False)
    for axis, (prefix, title, scale) in zip(axes[0], panels):
        for name, points in sorted(curves[prefix].items()):
            epochs = sorted(points)
            axis.plot(epochs, [points[e] * scale for e in epochs],
                      marker='.', label=name)
        axis.set_title(title)
        axis.set_xlabel('epoch')
        axis.grid(alpha=0.3)
    axes[0][0].legend(fontsize='small')
    figure.tight_layout()
    figure.savefig(out_path, dpi=120)
    plt.close(figure)


def main(argv=None):
    args = parse_args(argv)
    curves, files = read_curves(args.work_dir)
    if not curves['aas/acc_']:
        print(f'error: no AAS scalars under {args.work_dir}/*/vis_data '
              f'({len(files)} scalars.json found); is it an IOIS run?',
              file=sys.stderr)
        return 2
    out_path = args.out or osp.join(args.work_dir, 'aas_curves.png')
    plot(curves, out_path)
    print(f'wrote {out_path}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
