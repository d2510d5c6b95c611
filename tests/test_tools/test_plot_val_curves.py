"""tools/analysis/plot_val_curves.py: validation curves, seeds grouped."""
import json

from ..conftest import call_tool

TOOL = 'tools/analysis/plot_val_curves.py'


def write_run(work_dir, curve):
    vis = work_dir / '20261126_000000' / 'vis_data'
    vis.mkdir(parents=True)
    with open(vis / 'scalars.json', 'w') as f:
        for epoch, value in curve.items():
            f.write(json.dumps({'imbalanced/macro_f1': value,
                                'step': epoch}) + '\n')
            f.write(json.dumps({'loss': 1.0, 'step': epoch}) + '\n')


def test_seeds_form_one_method_and_peaks_are_reported(tmp_path):
    write_run(tmp_path / 'ce_seed0', {1: 10.0, 2: 30.0, 3: 20.0})
    write_run(tmp_path / 'ce_seed1', {1: 12.0, 2: 14.0, 3: 40.0})
    write_run(tmp_path / 'iois_seed0', {1: 50.0, 2: 5.0, 3: 6.0})
    (tmp_path / 'empty_seed0').mkdir()
    out, curves = tmp_path / 'val.png', tmp_path / 'val.json'
    result = call_tool(TOOL, *(str(tmp_path / name) for name in (
        'ce_seed0', 'ce_seed1', 'iois_seed0', 'empty_seed0')),
        '--out', str(out), '--json', str(curves))
    assert 'ce: 2 runs, best epochs [2, 3]' in result.stdout
    assert 'iois: 1 runs, best epochs [1]' in result.stdout
    assert 'empty_seed0' in result.stderr  # said, not silently dropped
    assert out.stat().st_size > 0
    runs = json.loads(curves.read_text())['runs']
    assert runs['ce_seed1'] == {'1': 12.0, '2': 14.0, '3': 40.0}
    assert set(runs) == {'ce_seed0', 'ce_seed1', 'iois_seed0'}


def test_no_run_with_the_metric_is_an_error(tmp_path):
    write_run(tmp_path / 'ce_seed0', {1: 10.0})
    result = call_tool(TOOL, str(tmp_path / 'ce_seed0'), '--metric',
                       'imbalanced/mcc', '--out', str(tmp_path / 'x.png'),
                       check=False)
    assert result.returncode == 2
    assert not (tmp_path / 'x.png').exists()
