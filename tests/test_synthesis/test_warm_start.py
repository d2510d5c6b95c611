"""Warm-started synthesis (a cheap pool refresh): strength 1 is synthesis
from noise, a smaller strength runs only its share of the steps from the
given images, and stays the closer to them the smaller it is."""
import pytest
import torch

from iois_mm.synthesis import GuidedDiffusionSynthesizer

from .test_guided_diffusion_synthesizer import tiny_classifier


def make(model_dir, steps=10, scheduler='ddim'):
    return GuidedDiffusionSynthesizer(
        diffusion_model_dir=model_dir, num_inference_steps=steps,
        scheduler=scheduler, classifier_input_size=32, batch_size=4,
        progress=False)


@pytest.fixture(scope='module')
def pool_images(tiny_diffusion_model):
    """A 'previous pool': 6 images made from noise."""
    images, labels = make(tiny_diffusion_model).generate(
        tiny_classifier().eval(), [0, 1, 0, 1, 1, 0], seed=7)
    return images, labels


def test_strength_one_is_synthesis_from_noise(tiny_diffusion_model,
                                              pool_images):
    images, labels = pool_images
    synthesizer = make(tiny_diffusion_model)
    classifier = tiny_classifier().eval()
    cold, _ = synthesizer.generate(classifier, labels, seed=3)
    warm, _ = synthesizer.generate(classifier, labels, seed=3,
                                   init_images=images, strength=1.0)
    assert torch.equal(cold, warm)


def count_unet_calls(synthesizer):
    calls = []
    synthesizer.unet.register_forward_hook(
        lambda module, args, output: calls.append(args[0].shape[0]))
    return calls


@pytest.mark.parametrize('scheduler', ['ddim', 'dpmsolver++'])
def test_warm_start_runs_its_share_of_the_steps(tiny_diffusion_model,
                                                pool_images, scheduler):
    images, labels = pool_images
    synthesizer = make(tiny_diffusion_model, steps=10, scheduler=scheduler)
    calls = count_unet_calls(synthesizer)
    out, out_labels = synthesizer.generate(
        tiny_classifier().eval(), labels, seed=3, init_images=images,
        strength=0.3)
    # 6 images in batches of 4 and 2, 3 of the 10 steps each
    assert sorted(calls) == [2] * 3 + [4] * 3
    assert synthesizer.last_stats['steps'] == 3
    assert out.shape == images.shape and out.dtype == torch.uint8
    assert torch.equal(out_labels, labels)


def test_smaller_strength_stays_closer_to_the_start(tiny_diffusion_model,
                                                    pool_images):
    images, labels = pool_images
    synthesizer = make(tiny_diffusion_model, steps=20)
    classifier = tiny_classifier().eval()

    def distance(strength):
        out, _ = synthesizer.generate(classifier, labels, seed=3,
                                      init_images=images, strength=strength)
        return (out.float() - images.float()).abs().mean().item()

    near, middle, far = distance(0.1), distance(0.5), distance(0.9)
    assert near < middle < far
    again, _ = synthesizer.generate(classifier, labels, seed=3,
                                    init_images=images, strength=0.5)
    assert (again.float() - images.float()).abs().mean().item() == middle


def test_warm_start_needs_matching_images(tiny_diffusion_model,
                                          pool_images):
    images, labels = pool_images
    synthesizer = make(tiny_diffusion_model)
    classifier = tiny_classifier().eval()
    with pytest.raises(ValueError, match=r'strength must be in \(0, 1\]'):
        synthesizer.generate(classifier, labels, init_images=images,
                             strength=0)
    with pytest.raises(ValueError, match='one init image per label'):
        synthesizer.generate(classifier, labels, strength=0.5)
    with pytest.raises(ValueError, match='init images must be'):
        synthesizer.generate(classifier, labels, strength=0.5,
                             init_images=torch.zeros(6, 8, 8, 3,
                                                     dtype=torch.uint8))
