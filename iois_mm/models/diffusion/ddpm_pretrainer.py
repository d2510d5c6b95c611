from typing import Dict, List, Optional

import torch
import torch.nn.functional as F
from mmengine.model import BaseModel
from mmpretrain.registry import MODELS

# Images in [-1, 1] RGB (or one grayscale channel), as diffusers UNets
# expect: (x - 127.5) / 127.5, with the BGR images the loader gives flipped
# to RGB.
DIFFUSION_DATA_PREPROCESSOR = dict(
    type='mmpretrain.ClsDataPreprocessor', mean=[127.5] * 3, std=[127.5] * 3,
    to_rgb=True)


def load_unet_weights(unet, model_dir: str) -> None:
    """Load an exported model's UNet weights into ``unet``. A class
    embedding that ``unet`` has and the export lacks is zeroed: the sum of
    time and class embeddings is then the export's time embedding."""
    from iois_mm.synthesis import DiffusionModelError, load_unet
    source, _ = load_unet(model_dir)  # names what is wrong with the dir
    state = source.state_dict()
    own = unet.state_dict()
    mismatched = [k for k in state if k in own and
                  state[k].shape != own[k].shape]
    unexpected = [k for k in state if k not in own]
    missing = [k for k in own if k not in state]
    if mismatched or unexpected or set(missing) - {'class_embedding.weight'}:
        raise DiffusionModelError(
            f'init_unet_from={model_dir!r}: its UNet does not match this '
            f'one (shapes differ: {mismatched[:3]}, only there: '
            f'{unexpected[:3]}, only here: {missing[:3]}); use the '
            'unet settings it was trained with (its unet/config.json)')
    if missing:
        state['class_embedding.weight'] = torch.zeros_like(
            own['class_embedding.weight'])
    unet.load_state_dict(state)


@MODELS.register_module()
class DDPMPretrainer(BaseModel):
    """Denoising diffusion pre-training (Ho et al. 2020) of a diffusers
    ``UNet2DModel``, as an MMEngine model trained by the ordinary runner.

    Each step draws ``t ~ U{0, ..., T-1}`` and ``eps ~ N(0, I)``, noises the
    image with the closed form of the forward process (paper Eq. 1,
    ``x_t = sqrt(alpha_bar_t) x_0 + sqrt(1 - alpha_bar_t) eps``) and trains
    the UNet to predict the noise (Eq. 2, ``||eps - eps_theta(x_t, t)||^2``).

    Label-free by default, as in the paper (unlabelled images can be used);
    ``class_conditional=True`` adds a class embedding (``num_class_embeds``),
    as the authors' code did. ``init_unet_from`` starts from an exported
    model (e.g. a label-free one): its weights load into the UNet, and a
    class embedding it lacks starts at zero, so that training begins from
    exactly the exported model's predictions and only learns the classes.

    Args:
        unet (dict): ``UNet2DModel`` arguments (``sample_size``,
            ``block_out_channels``, ...).
        scheduler (dict, optional): ``DDPMScheduler`` arguments (noise
            schedule). Defaults to 1000 linear steps.
        class_conditional (bool): Condition on the image's class.
        num_classes (int, optional): Needed when class-conditional.
        init_unet_from (str, optional): An exported diffusion model
            directory (``ExportDiffusionModelHook``) whose UNet weights to
            start from; its architecture must match ``unet``.
        data_preprocessor (dict, optional): Defaults to scaling to [-1, 1].

    Example config::

        model = dict(type='DDPMPretrainer',
                     unet=dict(sample_size=64, block_out_channels=(64, 128)),
                     scheduler=dict(num_train_timesteps=1000))
    """

    def __init__(self,
                 unet: dict,
                 scheduler: Optional[dict] = None,
                 class_conditional: bool = False,
                 num_classes: Optional[int] = None,
                 init_unet_from: Optional[str] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        channels = unet.get('in_channels', 3)  # 1: grayscale images
        super().__init__(
            data_preprocessor=data_preprocessor or dict(
                DIFFUSION_DATA_PREPROCESSOR, mean=[127.5] * channels,
                std=[127.5] * channels),
            init_cfg=init_cfg)
        from diffusers import DDPMScheduler, UNet2DModel
        unet = dict(unet)
        if class_conditional:
            if not num_classes:
                raise ValueError(
                    'a class-conditional DDPMPretrainer needs num_classes')
            unet['num_class_embeds'] = num_classes
        self.class_conditional = class_conditional
        self.unet = UNet2DModel(**unet)
        self.noise_scheduler = DDPMScheduler(**(scheduler or {}))
        self.init_unet_from = init_unet_from

    def init_weights(self) -> None:
        super().init_weights()
        if self.init_unet_from:
            load_unet_weights(self.unet, self.init_unet_from)

    @property
    def num_train_timesteps(self) -> int:
        return self.noise_scheduler.config.num_train_timesteps

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[List] = None,
                mode: str = 'loss'):
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.predict_noise(inputs, data_samples)
        raise ValueError(
            f'DDPMPretrainer supports mode "loss" and "tensor", not {mode!r};'
            ' it has no validation metric (see DiffusionSamplesHook for '
            'sample grids)')

    def _class_labels(self, data_samples) -> Optional[torch.Tensor]:
        if not self.class_conditional:
            return None
        if not data_samples or 'gt_label' not in data_samples[0]:
            raise ValueError('class-conditional training needs gt_label')
        return torch.cat([s.gt_label for s in data_samples]).to(
            self.unet.device)

    def noised(self, images: torch.Tensor):
        """Eq. 1 in closed form: ``(x_t, eps, t)`` for random ``t``."""
        noise = torch.randn_like(images)
        timesteps = torch.randint(0, self.num_train_timesteps,
                                  (images.shape[0], ), device=images.device)
        return (self.noise_scheduler.add_noise(images, noise, timesteps),
                noise, timesteps)

    def predict_noise(self, inputs, data_samples=None,
                      timesteps: Optional[torch.Tensor] = None):
        """``eps_theta(x_t, t)`` for given noisy inputs."""
        if timesteps is None:
            timesteps = torch.zeros(inputs.shape[0], dtype=torch.long,
                                    device=inputs.device)
        return self.unet(inputs, timesteps,
                         class_labels=self._class_labels(data_samples)).sample

    def loss(self, inputs: torch.Tensor,
             data_samples: Optional[List] = None) -> Dict[str, torch.Tensor]:
        noisy, noise, timesteps = self.noised(inputs)
        predicted = self.predict_noise(noisy, data_samples, timesteps)
        return dict(loss=F.mse_loss(predicted.float(), noise.float()))  # Eq. 2
