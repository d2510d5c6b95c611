"""Build a config's classifier with a trained checkpoint's weights, for the
tools that guide or judge with it (synthesis, pool and diffusion-model
quality, the synthetic-image grid)."""
import os.path as osp

from mmengine.runner import load_checkpoint
from mmpretrain.registry import MODELS


def load_classifier(cfg, checkpoint_path, device='cpu'):
    """Return ``(model, meta)``: ``cfg.model`` with the weights of
    ``checkpoint_path`` (strictly: every key must match), in eval mode on
    ``device``, and the checkpoint's ``meta`` (classes, config, epoch)."""
    if not osp.isfile(checkpoint_path):
        raise FileNotFoundError(
            f'classifier checkpoint {checkpoint_path} not found')
    model_cfg = cfg.model.copy()
    if cfg.get('data_preprocessor'):
        model_cfg.setdefault('data_preprocessor', cfg.data_preprocessor)
    if model_cfg.get('backbone', {}).get('init_cfg'):
        model_cfg.backbone.init_cfg = None  # the checkpoint has the weights
    model = MODELS.build(model_cfg)
    checkpoint = load_checkpoint(model, checkpoint_path, map_location='cpu',
                                 strict=True)
    return model.to(device).eval(), checkpoint.get('meta', {})
