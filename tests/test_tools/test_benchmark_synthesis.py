"""tools/benchmark_synthesis.py measures what it says, on CPU."""
import json

from ..conftest import call_tool


def test_cpu_benchmark_reports_speed_flops_and_agreement(tmp_path):
    out = tmp_path / 'bench.json'
    result = call_tool('tools/benchmark_synthesis.py', '--preset',
                       'cpu-small', '--num-images', '8', '--steps', '2',
                       '--json', str(out))
    assert 'speed-up' in result.stdout
    report = json.loads(out.read_text())
    # each run against the matmul peak of the precision it ran in (the
    # optimized settings ask for bf16, which runs float32 on a CPU
    # without AVX-512)
    ran_bf16 = dict(reference=False, optimized=report['native_bf16'])
    for name in ('reference', 'optimized'):
        assert report[name]['images_per_s'] > 0
        fraction = report[name]['fraction_of_bfloat16_peak' if ran_bf16[
            name] else 'fraction_of_float32_peak']
        assert 0 < fraction < 1
    flops = report['flops_per_image_step']
    # input-only guidance skips the weight gradients: fewer FLOPs
    assert flops['classifier_forward_backward_input'] < \
        flops['classifier_forward_backward_full']
    assert flops['classifier_forward'] < \
        flops['classifier_forward_backward_input']
    # the optimized sampler is the reference's function
    assert report['agreement']['same_function']
    assert report['agreement']['optimized_float32_vs_reference'] < 1e-4
    assert report['command'].startswith('python tools/benchmark_synthesis.py')
