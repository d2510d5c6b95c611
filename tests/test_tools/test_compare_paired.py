"""tools/analysis/compare_paired.py: a method against a baseline, pair by
pair (same split, same seed)."""
import json

import pytest

from ..conftest import call_tool

TOOL = 'tools/analysis/compare_paired.py'


def write_run(folder, name, method, macro_f1, balanced_acc, mcc):
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f'{name}.json'
    path.write_text(json.dumps(dict(
        method=method, dataset='HAM-32',
        metrics={'imbalanced/macro_f1': macro_f1,
                 'imbalanced/balanced_acc': balanced_acc,
                 'imbalanced/mcc': mcc})))
    return str(path)


def test_differences_are_taken_within_split_and_seed(tmp_path):
    split0, split1 = tmp_path / 'split0', tmp_path / 'split1'
    ours = [write_run(split0, 'iois_seed0', 'IOIS', 55, 60, 50),
            write_run(split0, 'iois_seed1', 'IOIS', 50, 58, 49),
            write_run(split1, 'iois_seed0', 'IOIS', 40, 45, 41),
            write_run(split1, 'iois_seed2', 'IOIS', 99, 99, 99)]
    baseline = [write_run(split0, 'rs_seed0', 'RS', 50, 60, 51),
                write_run(split0, 'rs_seed1', 'RS', 52, 55, 48),
                write_run(split1, 'rs_seed0', 'RS', 38, 44, 40)]
    out = tmp_path / 'comparison.json'
    result = call_tool(TOOL, *ours, '--baseline', *baseline, '--json',
                       str(out))
    comparison = json.loads(out.read_text())
    assert (comparison['method'], comparison['baseline']) == ('IOIS', 'RS')
    # split 1's seed 2 has no baseline run: left out, and said so
    assert len(comparison['pairs']) == 3
    assert 'seed 2' in result.stderr
    macro_f1 = [p['Macro-F1']['difference'] for p in comparison['pairs']]
    assert macro_f1 == [5, -2, 2]
    summary = comparison['summary']
    assert summary['Macro-F1']['mean'] == 5 / 3
    assert summary['Macro-F1']['wins'] == 2
    assert summary['B-ACC']['wins'] == 2  # a tie (60 vs 60) is no win
    assert [p['MCC']['difference'] for p in comparison['pairs']] == [-1, 1, 1]
    assert summary['MCC']['std'] == pytest.approx(2 / 3 ** 0.5)


def test_runs_that_cannot_be_paired_are_an_error(tmp_path):
    ours = [write_run(tmp_path / 'a', 'iois_seed0', 'IOIS', 1, 1, 1)]
    unseeded = [write_run(tmp_path / 'a', 'rs', 'RS', 1, 1, 1)]
    other_split = [write_run(tmp_path / 'b', 'rs_seed0', 'RS', 1, 1, 1)]
    assert call_tool(TOOL, *ours, '--baseline', *unseeded,
                     check=False).returncode == 2
    result = call_tool(TOOL, *ours, '--baseline', *other_split, check=False)
    assert result.returncode == 2
    assert 'no run of the method has a baseline run' in result.stderr
