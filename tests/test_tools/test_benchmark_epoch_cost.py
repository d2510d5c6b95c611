"""tools/benchmark_epoch_cost.py: CE and IOIS settings side by side."""
import json
import statistics

from ..conftest import call_tool, tiny_classifier_config, tiny_iois_config

IOIS = 'configs/iois_resnet50_ham10000.py'
CE = 'configs/baselines/ce_resnet50_in1k-pre_1xb32_200e_ham10000.py'


def test_ce_and_two_iois_settings_side_by_side(small_ham,
                                               tiny_diffusion_model,
                                               tmp_path):
    ce = tiny_classifier_config(CE, small_ham, tmp_path / 'ce.py')
    iois = tiny_iois_config(IOIS, small_ham, tiny_diffusion_model,
                            tmp_path / 'iois.py', num_workers=0)
    out = tmp_path / 'cost.json'
    call_tool('tools/benchmark_epoch_cost.py', '--ce-config', ce,
              '--iois-config', iois, '--epochs', '4', '--repeats', '1',
              '--setting', 'full',
              '--setting', 'warm', 'custom_hooks.0.refresh_strength=0.5',
              'custom_hooks.0.refresh_fraction=0.5',
              '--json', str(out))
    report = json.loads(out.read_text())
    assert report['settings'] == {
        'full': {}, 'warm': {'custom_hooks.0.refresh_strength': 0.5,
                             'custom_hooks.0.refresh_fraction': 0.5}}
    (round_, ) = report['rounds']
    for name in ('ce', 'full', 'warm'):
        seconds = round_[name]['epoch_seconds']
        assert len(seconds) == 4
        # steady: between the first epoch and the last (no pool after it)
        assert round_[name]['steady_epoch_seconds'] == \
            statistics.median(seconds[1:3])
        assert report['summary'][name]['ratio'] == round_[name]['ratio']
    assert round_['ce']['ratio'] == 1.0 and 'pool_quality' not in round_['ce']
    for name in ('full', 'warm'):
        quality = round_[name]['pool_quality']
        assert quality['generated'] == 14 and quality['real'] > 14
        assert 0 <= quality['precision'] <= 1
        assert round_[name]['ratio'] == (
            round_[name]['steady_epoch_seconds'] /
            round_['ce']['steady_epoch_seconds'])
