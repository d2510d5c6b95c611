"""tools/analysis/class_conditioning.py: does the class embedding act?"""
import json

import torch
from diffusers import UNet2DModel

from ..conftest import call_tool, save_tiny_diffusion_model


def test_zero_embedding_is_ignored_and_a_large_one_is_not(tmp_path):
    ignored = save_tiny_diffusion_model(tmp_path / 'zero', num_class_embeds=3)
    unet = UNet2DModel.from_pretrained(ignored, subfolder='unet')
    torch.nn.init.zeros_(unet.class_embedding.weight)
    unet.save_pretrained(tmp_path / 'zero' / 'unet')
    acting = save_tiny_diffusion_model(tmp_path / 'large', num_class_embeds=3)
    unet = UNet2DModel.from_pretrained(acting, subfolder='unet')
    with torch.no_grad():
        unet.class_embedding.weight.mul_(50)
    unet.save_pretrained(tmp_path / 'large' / 'unet')

    out = tmp_path / 'cond.json'
    result = call_tool('tools/analysis/class_conditioning.py', ignored, acting,
                       '--noises', '2', '--steps', '3', '--json', str(out))
    zero, large = json.loads(out.read_text())['results']
    assert zero['class_embedding_norm'] == [0.0, 0.0, 0.0]
    assert zero['same_noise_spread'] < 1e-3  # the class changes nothing
    assert min(large['class_embedding_norm']) > 10
    assert large['same_noise_spread'] > 1.0
    assert len(large['same_noise_spread_per_class']) == 3
    assert result.returncode == 0


def test_a_label_free_model_is_refused(tmp_path, tiny_diffusion_model):
    result = call_tool('tools/analysis/class_conditioning.py',
                       tiny_diffusion_model, check=False)
    assert result.returncode != 0
