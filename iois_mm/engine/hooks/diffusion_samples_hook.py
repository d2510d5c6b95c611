import numpy as np
from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS

from ...synthesis.guided_diffusion_synthesizer import \
    GuidedDiffusionSynthesizer
from ...utils.image_grid import tile
from .averaged_model import averaged_or_current_model


@HOOKS.register_module()
class DiffusionSamplesHook(Hook):
    """Saves a grid of unguided samples during diffusion pre-training.

    Every ``interval`` iterations (and after the last) the model (its EMA
    weights when ``EMAHook`` is used) samples ``num_images`` images with
    DDIM from fixed noise, and the grid goes through the runner's visualizer
    (``diffusion_samples_<iter>.png`` under ``vis_data/vis_image``), so the
    same noise shows the model improving. Class-conditional models cycle
    through the classes.

    Args:
        interval (int): Iterations between grids. Defaults to 1000.
        num_images (int): Images per grid. Defaults to 16.
        num_inference_steps (int): DDIM steps. Defaults to 50.
        seed (int): Seed of the fixed noise. Defaults to 0.
    """

    priority = 'LOW'  # after EMAHook has updated the averaged weights

    def __init__(self, interval: int = 1000, num_images: int = 16,
                 num_inference_steps: int = 50, seed: int = 0) -> None:
        self.interval = interval
        self.num_images = num_images
        self.num_inference_steps = num_inference_steps
        self.seed = seed

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval) or \
                self.is_last_train_iter(runner):
            self.save_grid(runner)

    def save_grid(self, runner) -> None:
        if runner.rank != 0:
            return
        model = averaged_or_current_model(runner)
        sampler = GuidedDiffusionSynthesizer(
            unet=model.unet, scheduler_config=model.noise_scheduler.config,
            num_inference_steps=self.num_inference_steps, batch_size=64,
            progress=False)
        classes = model.unet.config.num_class_embeds or 1
        images, _ = sampler.generate(
            None, np.arange(self.num_images) % classes, seed=self.seed)
        runner.visualizer.add_image('diffusion_samples', tile(images.numpy()),
                                    step=runner.iter + 1)

