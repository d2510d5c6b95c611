"""Measure guided synthesis: the straightforward method vs ours.

In one run, on one machine, with the same UNet weights, classifier and
initial noise:

- ``reference``: classifier-guided DDIM as the authors ran it (float32,
  batch 32, guidance through a full backward with weight gradients, a
  Python step loop; ``tools/benchmarking/reference_sampler.py``);
- ``optimized``: ``GuidedDiffusionSynthesizer`` with the preset's best
  settings;

and prints images/s for each, the speed-up, the FLOPs per image (counted
with ``torch.utils.flop_counter``), the achieved TFLOP/s against the
device's measured matrix-multiply peak, the UNet forward's rate alone, and
whether the samples agree: float32 ``optimized`` settings must reproduce the
reference to float32 rounding (same function), bf16 ones to bf16 rounding.
``--variants`` also times each optimization on its own (and, for the ones
that change the sampler, reports the quality impact). ``--epoch-overhead``
instead times a CE epoch and an IOIS epoch at the same settings;
``--profile`` instead profiles the UNet forward (where the time goes) and
times it with bf16 weights and compiled.

Examples::

    python tools/benchmark_synthesis.py --preset cpu-small --json out.json
    python tools/benchmark_synthesis.py --preset gpu-128 --variants \\
        --json out.json
    python tools/benchmark_synthesis.py --epoch-overhead --preset cpu-small
    python tools/benchmark_synthesis.py --preset gpu-128 --profile \\
        --json profile.json
"""
import argparse
import copy
import datetime
import os.path as osp
import sys
import tempfile

import torch
from mmengine.config import DictAction

import iois_mm  # noqa: F401  (registers components)
from iois_mm.synthesis import ClassifierGuidance
from iois_mm.synthesis.bf16_support import native_bf16
from benchmarking.reference_sampler import reference_guided_sampling
from benchmarking.synthesis_measures import (
    REFERENCE_BATCH, build_models, count_flops, make_synthesizer, matmul_peak,
    features_of, quality, rate, real_images, relative_l2, strict_float32,
    timed,
    unet_forward_rate)
from iois_mm.utils.environment import describe_device
from iois_mm.utils.io import write_json_atomic

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))

PRESETS = {
    # fits in about 2 minutes on 2 CPU cores
    'cpu-small': dict(
        unet_config='configs/demo/ddpm_unet32_demo-shapes.py',
        classifier=dict(depth=18, stem_channels=16, base_channels=16),
        num_classes=5, classifier_input_size=32, steps=10, num_images=128,
        optimized=dict(batch_size=64, bf16=True, channels_last=True)),
    # the HAM-64 protocol's models
    'gpu-64': dict(
        unet_config='configs/diffusion/ddpm_unet64_1xb64_20k_ham10000.py',
        classifier=dict(depth=50), num_classes=7, classifier_input_size=64,
        steps=50, num_images=1024,
        optimized=dict(batch_size='auto', bf16=True, channels_last=True)),
    # the paper's scale: 128x128 ADM-like UNet, ResNet-50 at 224. Compiled:
    # eager, the forward spends 85% of its device time on copies, layout
    # changes, elementwise and normalization kernels, 10% on convolutions;
    # compiled, it ran 2.9x faster (profile, one H100, 2026-11-27:
    # benchmarks/results/gpu_2026-11-27/). A fixed batch: 'auto' would
    # compile once for its probe's shape and again for the chosen one.
    'gpu-128': dict(
        unet_config='configs/diffusion/ddpm_unet128_1xb32_80k_ham10000.py',
        classifier=dict(depth=50), num_classes=7, classifier_input_size=224,
        steps=50, num_images=256,
        optimized=dict(batch_size=128, bf16=True, channels_last=True,
                       compile=True)),
}
# Each optimization on its own (on top of float32, batch 32); the last ones
# change the sampler and are reported with their quality impact.
VARIANTS = {
    'input-grad only': dict(),
    'bf16': dict(bf16=True),
    'batch 64': dict(batch_size=64),
    'batch auto': dict(batch_size='auto'),
    'channels_last': dict(channels_last=True),
    'compile': dict(compile=True),
    'guidance on the first half of steps': dict(guidance_interval=(0.0, 0.5)),
    'dpmsolver++ 2/5 steps': dict(scheduler='dpmsolver++', steps_factor=0.4),
}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--preset', choices=sorted(PRESETS),
                        help='default: gpu-128 with CUDA, else cpu-small')
    parser.add_argument('--num-images', type=int)
    parser.add_argument('--steps', type=int, help='DDIM steps')
    parser.add_argument('--variants', action='store_true',
                        help='also time each optimization on its own')
    parser.add_argument('--epoch-overhead', action='store_true',
                        help='time a CE epoch and an IOIS epoch instead')
    parser.add_argument('--profile', action='store_true',
                        help='profile the UNet forward instead, at a batch '
                        'of --num-images (compiled forms too on CUDA)')
    parser.add_argument('--json', help='write the numbers here')
    parser.add_argument('--diffusion-model-dir',
                        help='trained UNet to use (default: random weights '
                        "of the preset's architecture)")
    parser.add_argument('--classifier-checkpoint',
                        help="trained weights for the preset's classifier")
    parser.add_argument('--unet-config',
                        help="a diffusion config whose UNet replaces the "
                        "preset's")
    parser.add_argument('--ce-config', help='--epoch-overhead: the CE '
                        'config (default: the preset\'s)')
    parser.add_argument('--iois-config', help='--epoch-overhead: the IOIS '
                        'config (default: the preset\'s)')
    parser.add_argument('--data-root', help='--epoch-overhead: a prepared '
                        "dataset for both configs (default: the configs')")
    parser.add_argument('--iois-settings', nargs='+', action=DictAction,
                        help='--epoch-overhead: config overrides for the '
                        'IOIS run (key=value)')
    parser.add_argument('--real-data',
                        help='a prepared dataset directory (meta/test.json, '
                        'images/): adds the Fréchet feature distance of '
                        'each variant to real images')
    return parser.parse_args(argv)


def run_benchmark(args, preset, device):
    steps = args.steps or preset['steps']
    count = args.num_images or preset['num_images']
    unet, scheduler_config, classifier = build_models(
        preset, device, args.diffusion_model_dir, args.classifier_checkpoint,
        args.unet_config)
    labels = torch.arange(count) % preset['num_classes']
    noise = torch.randn(count, unet.config.in_channels,
                        unet.config.sample_size, unet.config.sample_size,
                        generator=torch.Generator().manual_seed(1))
    report = dict(preset=args.preset, steps=steps, num_images=count,
                  optimized_settings=preset['optimized'],
                  # False: bf16=True ran in float32 here (no fast kernels)
                  native_bf16=native_bf16(device),
                  weights=dict(diffusion_model=args.diffusion_model_dir or
                               'random', classifier=args.classifier_checkpoint
                               or 'random'))
    print(f'preset {args.preset}: {count} images, DDIM {steps} steps, '
          f'UNet {unet.config.sample_size}px '
          f'({sum(p.numel() for p in unet.parameters()) / 1e6:.1f}M), '
          f'classifier input {preset["classifier_input_size"]}px, on '
          f'{describe_device(device)}', flush=True)

    report['peak_tflops'] = dict(
        float32_matmul=matmul_peak(device, torch.float32),
        bfloat16_matmul=matmul_peak(device, torch.bfloat16))
    flops = count_flops(unet, scheduler_config, classifier,
                        preset['classifier_input_size'], 8, device)
    per_image = dict(
        reference=steps * (flops['unet_forward'] +
                           flops['classifier_forward_backward_full']),
        optimized=steps * (flops['unet_forward'] +
                           flops['classifier_forward_backward_input']))
    report['flops_per_image_step'] = flops
    report['flops_per_image'] = per_image

    def reference(images):
        return reference_guided_sampling(
            unet, classifier, scheduler_config, labels[:images],
            noise[:images], steps, 1.0, preset['classifier_input_size'],
            REFERENCE_BATCH)

    reference(min(count, 2))  # warm-up
    reference_samples, seconds = timed(lambda: reference(count), device)
    report['reference'] = rate(count, seconds, per_image['reference'],
                               report['peak_tflops'])

    optimized = make_synthesizer(unet, scheduler_config, preset, steps,
                                 **preset['optimized'])
    # a compiled UNet warms up at the timed batch's shape (a new shape
    # would compile again inside the timed run)
    warm = (min(count, optimized.batch_size_for(None, device))
            if optimized.compile else 2)
    _, warmup = timed(lambda: optimized.generate_samples(
        classifier, labels[:warm], noise=noise[:warm]), device)
    samples, seconds = timed(lambda: optimized.generate_samples(
        classifier, labels, noise=noise)[0], device)
    report['optimized'] = rate(count, seconds, per_image['optimized'],
                               report['peak_tflops'])
    report['optimized']['warmup_seconds'] = warmup
    report['speedup'] = (report['optimized']['images_per_s'] /
                         report['reference']['images_per_s'])

    # Same function: both in true float32 on the first images. CUDA's
    # default TF32 convolutions round at about 3e-4 (seen on an H100:
    # 3.1e-4 between the timed runs), so they are off for this check.
    # (compile changes rounding, not the function: tests/test_gpu checks
    # it against the CPU; here it would only compile a third shape)
    same_function = make_synthesizer(
        unet, scheduler_config, preset, steps,
        **{k: v for k, v in preset['optimized'].items()
           if k not in ('bf16', 'compile')})
    check = min(count, 32)
    with strict_float32():
        fp32 = same_function.generate_samples(classifier, labels[:check],
                                              noise=noise[:check])[0]
        reference_fp32 = (reference(check) if device.type == 'cuda' else
                          reference_samples[:check])
    report['agreement'] = dict(
        optimized_float32_vs_reference=relative_l2(fp32, reference_fp32),
        optimized_vs_reference=relative_l2(samples, reference_samples),
        float32_tolerance=1e-4, bfloat16_tolerance=5e-2)
    agreement = report['agreement']
    agreement['same_function'] = (agreement['optimized_float32_vs_reference']
                                  < agreement['float32_tolerance'])
    agreement['within_bfloat16_tolerance'] = (
        agreement['optimized_vs_reference'] < agreement['bfloat16_tolerance'])

    report['unet_forward'] = unet_forward_rate(
        unet, optimized, device, flops['unet_forward'],
        report['peak_tflops']['bfloat16_matmul'])

    if args.variants:
        real = (real_images(args.real_data, unet.config.sample_size, count)
                if args.real_data else None)
        report['variants'] = time_variants(
            unet, scheduler_config, classifier, preset, steps, labels, noise,
            device, per_image, report['peak_tflops'], reference_samples,
            real)
    return report


def time_variants(unet, scheduler_config, classifier, preset, steps, labels,
                  noise, device, per_image, peaks, reference_samples,
                  real=None):
    guidance = ClassifierGuidance(classifier, preset['classifier_input_size'])
    with guidance.eval_mode():
        reference_features = features_of(guidance, reference_samples)
        real_features = features_of(guidance, real) if real is not None \
            else None
    results = {}
    for name, settings in VARIANTS.items():
        if device.type != 'cuda' and settings.get('batch_size') == 'auto':
            continue  # auto-sizing reads GPU memory
        synthesizer = make_synthesizer(unet, scheduler_config, preset, steps,
                                       **settings)
        _, warmup = timed(lambda: synthesizer.generate_samples(
            classifier, labels[:2], noise=noise[:2]), device)
        samples, seconds = timed(lambda: synthesizer.generate_samples(
            classifier, labels, noise=noise)[0], device)
        result = rate(len(labels), seconds, per_image['optimized'], peaks)
        result.update(warmup_seconds=warmup,
                      relative_l2_to_reference=relative_l2(
                          samples, reference_samples))
        result.update(quality(classifier, preset, samples, labels,
                              reference_features, real_features))
        results[name] = result
        print(f'  {name:<40} {result["images_per_s"]:9.2f} img/s', flush=True)
    results['reference quality'] = quality(classifier, preset,
                                           reference_samples, labels,
                                           reference_features, real_features)
    return results


# ------------------------------------------------------- epoch overhead --
def run_epoch_overhead(args, preset, device):
    """One CE epoch vs one IOIS epoch (training + the synthesis it
    triggers) with the demo configs on generated data (CPU presets) or the
    HAM-64 configs (GPU presets, data/ham64 must exist)."""
    from benchmarking.epoch_cost import time_epochs

    from iois_mm.datasets import make_demo_shapes
    from iois_mm.models.diffusion import export_diffusion_model

    work = tempfile.mkdtemp(prefix='iois_overhead_')
    if args.preset == 'cpu-small':
        ce_config = 'configs/demo/ce_resnet18_demo-shapes.py'
        iois_config = 'configs/demo/iois_resnet18_demo-shapes.py'
        data_root = osp.join(work, 'data')
        make_demo_shapes(data_root, log=lambda text: None)
    else:
        ce_config = 'configs/ham64/ce_resnet18_1xb64_60e_ham64.py'
        iois_config = 'configs/ham64/iois-ois-aas_resnet18_1xb64_60e_ham64.py'
        data_root = None
    ce_config = args.ce_config or ce_config
    iois_config = args.iois_config or iois_config
    data_root = args.data_root or data_root
    if args.diffusion_model_dir:
        model_dir = args.diffusion_model_dir
    else:
        unet, scheduler_config, _ = build_models(
            preset, torch.device('cpu'), unet_config=args.unet_config)
        model_dir = export_diffusion_model(unet, scheduler_config,
                                           osp.join(work, 'dm'))

    iois_settings = {
        'synthesizer.num_inference_steps': args.steps or preset['steps'],
        **{f'synthesizer.{k}': v for k, v in preset['optimized'].items()},
        **(args.iois_settings or {})}
    times = {}
    for name, config in (('ce', ce_config), ('iois', iois_config)):
        run = time_epochs(config, osp.join(work, name), 3, data_root,
                          model_dir if name == 'iois' else None,
                          iois_settings if name == 'iois' else None)
        # epoch 2, past the workers' start-up; the IOIS one includes the
        # synthesis after it (the AAS hook runs first in after_train_epoch)
        times[name] = run['epoch_seconds'][1]
    return dict(ce_epoch_seconds=times['ce'],
                iois_epoch_seconds=times['iois'],
                ratio=times['iois'] / times['ce'],
                ce_config=ce_config, iois_config=iois_config)


# -------------------------------------------------------------- profile --
def run_profile(args, preset, device, save):
    from benchmarking.profile_unet import profile_unet
    unet, scheduler_config, classifier = build_models(
        preset, device, args.diffusion_model_dir, args.classifier_checkpoint,
        args.unet_config)
    flops = count_flops(unet, scheduler_config, classifier,
                        preset['classifier_input_size'], 2, device)
    peak = matmul_peak(device, torch.bfloat16)
    batch = args.num_images or preset['num_images']
    print(f'profile: UNet forward at batch {batch} on '
          f'{describe_device(device)}, bf16 matmul peak {peak:.1f} TFLOP/s',
          flush=True)
    return profile_unet(
        unet, batch, preset['optimized'].get('channels_last', False), device,
        flops['unet_forward'], peak, compile_too=device.type == 'cuda',
        save=lambda result: save(dict(result, bfloat16_matmul_peak=peak,
                                      unet_flops_per_image=flops[
                                          'unet_forward'])))


def print_report(report):
    if 'profile' in report:
        found = report['profile'].get('profile', {})
        shares = ', '.join(f'{kind} {100 * share:.0f}%' for kind, share in
                           found.get('share_by_kind', {}).items())
        print(f'device time by kind: {shares}')
        if 'device_busy_fraction' in found:
            print(f'device busy {100 * found["device_busy_fraction"]:.0f}% '
                  'of the forward')
        return
    if 'epoch_overhead' in report:
        overhead = report['epoch_overhead']
        print(f'CE epoch {overhead["ce_epoch_seconds"]:.1f}s, IOIS epoch '
              f'{overhead["iois_epoch_seconds"]:.1f}s (training + synthesis)'
              f': {overhead["ratio"]:.2f}x')
        return
    peaks = report['peak_tflops']
    print(f'measured peak: float32 {peaks["float32_matmul"]:.3f}, bfloat16 '
          f'{peaks["bfloat16_matmul"]:.3f} TFLOP/s (matmul)')
    if not report['native_bf16']:
        print('no fast bf16 on this device: the optimized settings ran in '
              'float32, so read fraction_of_float32_peak, not the bf16 '
              'columns')
    flops = report['flops_per_image']
    print(f'{"":<12}{"img/s":>10}{"GFLOP/img":>11}{"TFLOP/s":>10}'
          f'{"% bf16 peak":>13}')
    for name in ('reference', 'optimized'):
        r = report[name]
        print(f'{name:<12}{r["images_per_s"]:>10.2f}'
              f'{flops[name] / 1e9:>11.1f}{r["tflops"]:>10.3f}'
              f'{100 * r["fraction_of_bfloat16_peak"]:>12.1f}%')
    print(f'speed-up: {report["speedup"]:.2f}x '
          f'(optimized: {report["optimized_settings"]}; warm-up '
          f'{report["optimized"]["warmup_seconds"]:.1f}s, not timed)')
    unet = report['unet_forward']
    print(f'UNet forward alone: {unet["tflops"]:.3f} TFLOP/s at batch '
          f'{unet["batch"]}, {100 * unet["fraction_of_bfloat16_peak"]:.1f}% '
          'of the bf16 peak')
    agreement = report['agreement']
    print('samples: optimized in float32 vs reference, relative L2 '
          f'{agreement["optimized_float32_vs_reference"]:.2e} ('
          + ('same function' if agreement['same_function'] else
             'DIFFERENT FUNCTION') + '); as run vs reference '
          f'{agreement["optimized_vs_reference"]:.2e} ('
          + ('within' if agreement['within_bfloat16_tolerance'] else
             'OUTSIDE') + ' the bf16 tolerance '
          f'{agreement["bfloat16_tolerance"]:g})')


def main(argv=None):
    args = parse_args(argv)
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    args.preset = args.preset or ('gpu-128' if device.type == 'cuda' else
                                  'cpu-small')
    preset = copy.deepcopy(PRESETS[args.preset])
    report = dict(
        command='python tools/benchmark_synthesis.py ' +
        ' '.join(sys.argv[1:] if argv is None else argv),
        date=datetime.datetime.now().isoformat(timespec='seconds'),
        device=describe_device(device), torch=torch.__version__,
        threads=torch.get_num_threads())
    if args.profile:
        def save(result):  # after each part: a cut run keeps what it has
            report['profile'] = result
            if args.json:
                write_json_atomic(args.json, report)
        run_profile(args, preset, device, save)
    elif args.epoch_overhead:
        report['epoch_overhead'] = run_epoch_overhead(args, preset, device)
    else:
        report.update(run_benchmark(args, preset, device))
    print_report(report)
    if args.json:
        write_json_atomic(args.json, report)
        print(f'wrote {args.json}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
