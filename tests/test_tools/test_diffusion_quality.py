"""tools/analysis/diffusion_quality.py: the report, and the independent
judge of the guided images."""
import json

import pytest

from ..conftest import (call_tool, save_classifier,
                        save_tiny_diffusion_model, tiny_iois_config)

IOIS = 'configs/iois_resnet50_ham10000.py'


@pytest.mark.parametrize('conditional', [False, True])
def test_report_with_a_judge(small_ham, tiny_diffusion_model, tmp_path,
                             conditional):
    model = (save_tiny_diffusion_model(tmp_path / 'cond', num_class_embeds=7)
             if conditional else tiny_diffusion_model)
    config = tiny_iois_config(IOIS, small_ham, model, tmp_path / 'iois.py',
                              num_workers=0)
    guide = save_classifier(config, tmp_path / 'guide.pth', always=3)
    judge = save_classifier(config, tmp_path / 'judge.pth', always=2)
    out = tmp_path / 'report'
    call_tool('tools/analysis/diffusion_quality.py', config, '--classifier',
              guide, '--judge', judge, '--num', '14', '--out-dir', str(out))
    report = json.loads((out / 'quality.json').read_text())
    assert report['guided']['overall']['generated'] == 14
    # a judge that always says "bkl" (class 2) sees it in exactly the bkl
    # images, guided or real
    judged = report['judge']
    expected = {c: float(c == 'bkl') for c in report['classes']}
    assert judged['guided_agreement']['per_class'] == expected
    assert judged['real_accuracy']['per_class'] == expected
    assert judged['guided_agreement']['overall'] == 2 / 14  # 2 per class
    # the guide (rigged to say 'df', class 3) recognises only the df
    # images; a filter on it would keep those 2, none of which the judge
    # assigns to df
    df = {c: float(c == 'df') for c in report['classes']}
    assert report['guide_agreement']['per_class'] == df
    kept = judged['guided_agreement_where_guide_agrees']
    assert kept['count'] == 2
    assert kept['overall'] == 0.0 and kept['per_class'] == {'df': 0.0}
    assert report['class_conditional'] == conditional
    outliers = report['colour_outliers']
    assert set(outliers) == {'real_floor', 'unguided', 'guided'}
    assert all(0 <= share <= 1 for share in outliers.values())
    assert outliers['real_floor'] <= 0.25  # real images: about 5%
    # a class-conditional model's unguided samples are judged too: they
    # carry the class by conditioning alone
    if conditional:
        assert judged['unguided_agreement']['per_class'] == expected
    else:
        assert 'unguided_agreement' not in judged
    assert (out / 'samples.png').stat().st_size > 1000
