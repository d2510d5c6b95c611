"""Where the UNet forward's time goes (``tools/benchmark_synthesis.py
--profile``): ``torch.profiler`` over a few forwards at the sampler's
settings, the device time grouped by kind of kernel, how busy the device
is between launches, and the forward's rate in other forms (bf16 weights,
compiled) against the form the sampler runs (float32 weights under bf16
autocast)."""
import copy
import statistics

import torch
from torch.profiler import ProfilerActivity, profile

from benchmarking.synthesis_measures import timed

# kinds of kernel, by a lower-case name fragment; the first match counts
KINDS = (
    # cuDNN's layout transposes, before 'conv'/'nchw' claims them
    ('copy / layout / dtype', ('nchwtonhwc', 'nhwctonchw')),
    ('normalization', ('norm', 'welford', 'rowwisemoments')),
    ('attention', ('attention', 'flash', 'fmha', 'sdpa', 'softmax')),
    ('convolution', ('conv', 'cudnn', 'implicit', 'winograd', 'fprop',
                     'dgrad', 'wgrad', 'nchw', 'nhwc')),
    ('matrix multiply', ('gemm', 'matmul', 'addmm', 'aten::mm', 'aten::bmm',
                         'cutlass', 'sm90_', 'xmma')),
    # not 'cast': elementwise kernels are named ..._nocast<...>
    ('copy / layout / dtype', ('copy', 'catarray', 'convert', 'contig')),
)


def kind_of(name):
    lowered = name.lower()
    for kind, fragments in KINDS:
        if any(fragment in lowered for fragment in fragments):
            return kind
    return 'elementwise / other'


def _self_time_us(event, on_cuda):
    if on_cuda:
        return getattr(event, 'self_device_time_total',
                       getattr(event, 'self_cuda_time_total', 0))
    return event.self_cpu_time_total


def _is_kernel(event, on_cuda):
    """Device kernels on CUDA (their self times do not overlap); on a CPU,
    every operator's self time."""
    if not on_cuda:
        return True
    return str(getattr(event, 'device_type', '')).endswith('CUDA')


def profile_forward(forward, device, repeats=5, top=15):
    """Kernel time per forward, grouped by kind, with the top kernels."""
    on_cuda = device.type == 'cuda'
    activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA]
                                           if on_cuda else [])
    forward()
    with profile(activities=activities) as prof:
        for _ in range(repeats):
            forward()
        if on_cuda:
            torch.cuda.synchronize(device)
    kernels = [e for e in prof.key_averages() if _is_kernel(e, on_cuda)
               and _self_time_us(e, on_cuda) > 0]
    total_us = sum(_self_time_us(e, on_cuda) for e in kernels)
    by_kind = {}
    for event in kernels:
        kind = kind_of(event.key)
        by_kind[kind] = by_kind.get(kind, 0) + _self_time_us(event, on_cuda)
    kernels.sort(key=lambda e: -_self_time_us(e, on_cuda))
    return dict(
        kernel_ms_per_forward=total_us / repeats / 1e3,
        share_by_kind={kind: us / total_us for kind, us in sorted(
            by_kind.items(), key=lambda item: -item[1])},
        top_kernels=[dict(name=e.key[:160], calls_per_forward=e.count /
                          repeats, ms_per_forward=_self_time_us(e, on_cuda) /
                          repeats / 1e3, share=_self_time_us(e, on_cuda) /
                          total_us, kind=kind_of(e.key))
                     for e in kernels[:top]])


def forward_rate(forward, device, batch, flops_per_image, peak, repeats):
    for _ in range(2):
        forward()
    seconds = statistics.median(timed(forward, device)[1]
                                for _ in range(repeats))
    tflops = batch * flops_per_image / seconds / 1e12
    return dict(ms_per_forward=seconds * 1e3, images_per_s=batch / seconds,
                tflops=tflops, fraction_of_bfloat16_peak=tflops / peak)


def unet_forms(unet, channels_last, compile_too):
    """(name, model, input dtype, autocast) for each form timed."""
    bf16 = copy.deepcopy(unet).to(torch.bfloat16)
    if channels_last:
        bf16 = bf16.to(memory_format=torch.channels_last)
    forms = [('float32 weights, bf16 autocast (as sampled)', unet,
              torch.float32, True),
             ('bf16 weights', bf16, torch.bfloat16, False)]
    if compile_too:
        forms.append(('bf16 weights, torch.compile', torch.compile(bf16),
                      torch.bfloat16, False))
        forms.append(('bf16 weights, torch.compile reduce-overhead',
                      torch.compile(bf16, mode='reduce-overhead'),
                      torch.bfloat16, False))
    return forms


def profile_unet(unet, batch, channels_last, device, flops_per_image, peak,
                 compile_too, save=lambda result: None):
    """Profile the sampler's form of the UNet forward, then time each
    form; ``save`` gets the result after each part (a cut run keeps what
    it measured)."""
    unet.eval()  # as the sampler runs it (no dropout)
    size = unet.config.sample_size
    t = torch.tensor(500, device=device)
    repeats = 10 if device.type == 'cuda' else 2
    result = dict(batch=batch, channels_last=channels_last, forms={})
    for index, (name, model, dtype, autocast) in enumerate(
            unet_forms(unet, channels_last, compile_too)):
        sample = torch.randn(batch, unet.config.in_channels, size, size,
                             device=device, dtype=dtype)
        if channels_last:
            sample = sample.contiguous(memory_format=torch.channels_last)

        def forward(model=model, sample=sample, autocast=autocast):
            with torch.no_grad(), torch.autocast(
                    device.type, torch.bfloat16, enabled=autocast):
                return model(sample, t).sample

        _, first_call = timed(forward, device)  # compiles, if compiled
        timing = forward_rate(forward, device, batch, flops_per_image, peak,
                              repeats)
        timing['first_call_seconds'] = first_call
        if index == 0:
            result['profile'] = profile_forward(forward, device)
            if device.type == 'cuda':
                # below 1: the device waits on the host between kernels
                result['profile']['device_busy_fraction'] = (
                    result['profile']['kernel_ms_per_forward'] /
                    timing['ms_per_forward'])
        result['forms'][name] = timing
        save(result)
        print(f'  {name:<46} {timing["ms_per_forward"]:9.1f} ms '
              f'{100 * timing["fraction_of_bfloat16_peak"]:6.1f}% bf16 peak',
              flush=True)
    return result
