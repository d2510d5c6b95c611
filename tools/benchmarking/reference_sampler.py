"""The straightforward guided sampler, kept as a baseline and an oracle.

This is classifier-guided DDIM written the way a research codebase usually
writes it (and as the IOIS authors ran it): float32, batches of 32, one
Python loop over the steps, and the guidance gradient taken with a full
``loss.backward()``, which also computes every classifier weight's gradient.
It computes the same function as :class:`GuidedDiffusionSynthesizer` (DDIM,
``x0_hat`` clipped before guidance, Eq. 4 with ``sqrt(1 - alpha_bar_t)``),
so ``tools/benchmark_synthesis.py`` can time both on the same noise and
check that their samples agree.
"""
import torch
import torch.nn.functional as F

from iois_mm.synthesis.classifier_guidance import ClassifierGuidance
from iois_mm.synthesis.schedulers import build_scheduler, clipped_eps


def reference_guided_sampling(unet, classifier, scheduler_config, labels,
                              noise, num_inference_steps=50,
                              guidance_scale=1.0, classifier_input_size=None,
                              batch_size=32):
    """Return float samples in [-1, 1] ``(N, C, H, W)`` on CPU."""
    device = next(classifier.parameters()).device
    unet = unet.to(device).eval()
    mapping = ClassifierGuidance(classifier, classifier_input_size)
    model = mapping.classifier
    scheduler = build_scheduler('ddim', scheduler_config)
    labels = torch.as_tensor(labels, dtype=torch.long)
    outputs = []
    with mapping.eval_mode():
        for start in range(0, len(labels), batch_size):
            sample = noise[start:start + batch_size].to(device)
            targets = labels[start:start + batch_size].to(device)
            scheduler.set_timesteps(num_inference_steps, device=device)
            for t in scheduler.timesteps:
                with torch.no_grad():
                    eps = unet(sample, t).sample
                alpha_bar = scheduler.alphas_cumprod[int(t)].to(device)
                eps = clipped_eps(sample, eps, alpha_bar)
                image = sample.detach().clone().requires_grad_(True)
                logits = model(mapping.to_classifier_input(image),
                               mode='tensor')
                log_prob = F.log_softmax(logits, dim=1)[
                    torch.arange(len(targets), device=device), targets].sum()
                model.zero_grad()
                log_prob.backward()  # weight gradients are computed too
                eps = eps - guidance_scale * (1 - alpha_bar).sqrt() * \
                    image.grad
                sample = scheduler.step(eps, t, sample).prev_sample.detach()
            outputs.append(sample.cpu())
    model.zero_grad(set_to_none=True)
    return torch.cat(outputs)
