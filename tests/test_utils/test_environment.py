"""Where a result was computed: the CPU description results carry."""
import iois_mm.utils.environment as environment
from iois_mm.utils.environment import describe_cpu, describe_device

XEON = '''processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw amx_bf16 amx_tile

processor\t: 1
vendor_id\t: GenuineIntel
model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
flags\t\t: fpu sse2 avx avx2 fma avx512f avx512bw amx_bf16 amx_tile
'''
EPYC_AVX2 = '''processor\t: 0
model name\t: AMD EPYC 7B12
flags\t\t: fpu sse2 avx avx2 fma
'''


def test_cpu_types_that_train_differently_are_told_apart(tmp_path,
                                                         monkeypatch):
    monkeypatch.setattr(environment.os, 'cpu_count', lambda: 2)
    xeon, epyc = tmp_path / 'xeon', tmp_path / 'epyc'
    xeon.write_text(XEON)
    epyc.write_text(EPYC_AVX2)
    assert describe_cpu(str(xeon)) == (
        'Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz '
        '(2 cores; avx2 avx512f amx_bf16)')
    assert describe_cpu(str(epyc)) == 'AMD EPYC 7B12 (2 cores; avx2)'


def test_without_cpuinfo_the_architecture_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(environment.os, 'cpu_count', lambda: 8)
    monkeypatch.setattr(environment.platform, 'processor', lambda: '')
    monkeypatch.setattr(environment.platform, 'machine', lambda: 'arm64')
    assert describe_cpu(str(tmp_path / 'absent')) == 'arm64 (8 cores)'


def test_a_gpu_is_named_and_a_cpu_described(monkeypatch):
    monkeypatch.setattr(environment.torch.cuda, 'get_device_name',
                        lambda device=None: 'NVIDIA H100 80GB HBM3')
    monkeypatch.setattr(environment, 'describe_cpu',
                        lambda: 'AMD EPYC (2 cores; avx2)')
    assert describe_device('cuda:0') == 'NVIDIA H100 80GB HBM3'
    assert describe_device('cpu') == 'AMD EPYC (2 cores; avx2)'
