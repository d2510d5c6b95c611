"""batch_size='auto': the largest batch of guided steps that fits a GPU."""
import torch
from mmengine.logging import print_log


def probe_batch_size(synthesizer, guidance, device) -> int:
    """Peak memory of one guided step at batch 8, scaled to 80% of the
    available memory (free on the device plus what PyTorch's caching
    allocator holds unused, e.g. after a training epoch), rounded down
    to a power of two (at most 1024)."""
    probe = 8
    height, width = synthesizer.image_size
    sample = torch.randn(probe, synthesizer.unet.config.in_channels, height,
                         width, device=device)
    labels = torch.zeros(probe, dtype=torch.long, device=device)
    synthesizer.scheduler.set_timesteps(synthesizer.num_inference_steps,
                                        device=device)
    torch.cuda.synchronize(device)
    torch.cuda.reset_peak_memory_stats(device)
    before = torch.cuda.memory_allocated(device)
    synthesizer.denoise_step(guidance, sample, labels,
                             synthesizer.scheduler.timesteps[0],
                             dict(dropped_guidance=0), guided=True)
    per_image = max(1, (torch.cuda.max_memory_allocated(device) - before)
                    / probe)
    free, _ = torch.cuda.mem_get_info(device)
    free += (torch.cuda.memory_reserved(device) -
             torch.cuda.memory_allocated(device))
    fitting = int(0.8 * free / per_image)
    chosen = max(1, min(1024, 2**max(0, fitting.bit_length() - 1)))
    print_log(f'GuidedDiffusionSynthesizer: batch_size auto = {chosen} '
              f'({per_image / 2**20:.1f} MiB per image, '
              f'{free / 2**30:.1f} GiB available)', logger='current')
    return chosen
