"""The Table 1 machinery (benchmarks/run_table1.sh) end to end through
benchmarks/ham32/run.sh in its reduced mode (CPU, minutes): data
preparation, diffusion pre-training, every Table 1 row, the offline pool,
the diffusion-model report, the table and the three figures, and a
"-cond" row with its class-conditional model fine-tuned from the
label-free one, and a row guided by a frozen classifier whose row the script
adds and runs first; then a re-run skips every row. HAM-64 runs the same script
with its own configs."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

from mmengine.config import Config

from ..conftest import REPO, SHARED_HAM, build_procedural_ham_tree

# a full-cost row (any iois-ois-* config is a row) guided by a frozen
# classifier, its synthetic images drawn once beside Sqrt-RS of the real ones
FROZEN = ('iois-ois-aas-frozen-noise-aware-guide-s10-sqrt-rs-pool-once-'
          'dm-gpu6min')
GUIDE = 'ce-noise-aware-append'  # FROZEN's guide_row, not asked for
ROWS = ('ce', 'focal', 'cb-focal', 'sqrt-rs', 'pg-rs', 'iois-offline',
        'iois-ois', 'iois-ois-aas', 'iois-ois-aas-fast-cond', FROZEN)
RUN = ROWS + (GUIDE, )


def run(env):
    return subprocess.run(['bash', 'benchmarks/ham32/run.sh'], cwd=REPO,
                          env=env, capture_output=True, text=True,
                          timeout=1500)


def test_reduced_ham32_table_figures_and_model_report(tmp_path):
    env = dict(os.environ, REDUCED='1', PYTHON=sys.executable, GPUS='2',
               WORK=str(tmp_path / 'work'), DATA=str(tmp_path / 'data'),
               ROWS=' '.join(ROWS))
    # a run of an earlier day, in the results: the table keeps it
    results = tmp_path / 'work' / 'results'
    (results / 'runs').mkdir(parents=True)
    earlier = json.loads(open(osp.join(
        REPO, 'benchmarks/ham32/results/runs/ce_seed0.json')).read())
    earlier['method'] = 'An earlier run'
    (results / 'runs' / 'earlier_seed0.json').write_text(json.dumps(earlier))
    if osp.isfile(osp.join(SHARED_HAM, 'HAM10000_metadata.csv')):
        env['HAM_DIR'] = SHARED_HAM  # 10% of the real images, at 32 px
    else:
        env['HAM_DIR'] = build_procedural_ham_tree(
            str(tmp_path / 'raw'), dict(nv=300, mel=60, bkl=60, bcc=40,
                                        akiec=30, vasc=15, df=12))
        env['FRACTION'] = '1'
    result = run(env)
    assert result.returncode == 0, (result.stdout[-3000:]
                                    + result.stderr[-3000:])

    table = (results / 'table1.md').read_text()
    for method in ('CE Loss', 'Focal Loss', 'CB-Focal', 'Sqrt-RS', 'PG-RS',
                   'Ours (+offline)', 'Ours (+OIS)', 'Ours (+OIS, AAS)',
                   'Ours (+OIS, AAS), fast, class-conditional DM',
                   'An earlier run'):
        assert f'| {method} |' in table
    for figure in ('fig2_per_class.png', 'fig3_synthetic.png',
                   'aas_curves_seed0.png'):
        assert osp.getsize(results / figure) > 1000
    assert sorted(osp.basename(p) for p in glob.glob(
        str(results / 'runs' / '*.json'))) == sorted(
            [f'{row}_seed0.json' for row in RUN] + ['earlier_seed0.json'])
    assert 'nv (' in (results / 'fig2_per_class.txt').read_text()
    # each run tested at its last epoch too (2 epochs in the reduced mode)
    final = sorted(glob.glob(str(results / 'runs_final_epoch' / '*.json')))
    assert [osp.basename(p) for p in final] == sorted(
        f'{row}_seed0.json' for row in RUN)
    for path in final:
        assert json.loads(open(path).read())['checkpoint'].endswith(
            'epoch_2.pth')
    assert '| CE Loss |' in (results / 'table1_final_epoch.md').read_text()
    quality = json.loads((results / 'diffusion_quality' /
                          'quality.json').read_text())
    assert set(quality['guided']['per_class']) == {
        'akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'}
    for kind in ('unguided', 'guided'):
        overall = quality[kind]['overall']
        assert overall['frechet'] >= 0 and overall['generated'] == 56
        assert 0 <= overall['precision'] <= 1 and 0 <= overall['recall'] <= 1
    assert osp.getsize(results / 'diffusion_quality' / 'samples.png') > 1000
    # the conditional model: fine-tuned from the label-free one, and judged
    conditional = json.loads((results / 'diffusion_quality_cond' /
                              'quality.json').read_text())
    assert conditional['class_conditional'] is True
    assert conditional['diffusion_model'].endswith('ddpm-cond/diffusion_model')
    assert set(conditional['judge']['unguided_agreement']['per_class']) == set(
        quality['guided']['per_class'])

    # the frozen row was guided by its seed's guide, at the guide's last epoch
    # (the config of its training, the first of its runs; its tests follow)
    frozen_dir = tmp_path / 'work' / f'{FROZEN}_seed0'
    frozen_cfg = Config.fromfile(sorted(glob.glob(
        str(frozen_dir / '*' / 'vis_data' / 'config.py')))[0])
    assert frozen_cfg.custom_hooks[0].guide_checkpoint == str(
        tmp_path / 'work' / f'{GUIDE}_seed0' / 'epoch_2.pth')

    again = run(env)
    assert again.returncode == 0
    assert again.stdout.count('done earlier, skipped') == len(RUN)
    assert 'diffusion pre-training: started' not in again.stdout
    assert 'class-conditional fine-tuning: started' not in again.stdout


def test_an_unknown_row_stops_before_any_work(tmp_path):
    env = dict(os.environ, PYTHON=sys.executable, WORK=str(tmp_path / 'work'),
               DATA=str(tmp_path / 'data'), ROWS='ce iois-ois-aas-typo')
    result = run(env)
    assert result.returncode == 2
    assert 'iois-ois-aas-typo' in result.stderr
    assert not (tmp_path / 'work').exists()
    assert not (tmp_path / 'data').exists()
