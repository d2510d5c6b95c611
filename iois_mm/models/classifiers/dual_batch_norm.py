"""BatchNorm with a second, auxiliary set of statistics and affine
parameters for another distribution of inputs (AdvProp, Xie et al., CVPR
2020), here the diffusion forward process's noised images."""
import contextlib
from typing import Iterator, Union

import torch
from torch import nn

Route = Union[str, torch.Tensor]


class DualBatchNorm2d(nn.BatchNorm2d):
    """:class:`nn.BatchNorm2d` (the main branch, its own parameters and
    buffers under the usual names, so checkpoints of the plain layer load
    into it) plus ``aux``, a BatchNorm of the same shape.

    ``route`` picks the branch: ``'main'`` (default), ``'aux'``, or a bool
    tensor of the batch's length that sends the marked samples through
    ``aux`` and the others through the main branch, each normalised with the
    statistics of its own part of the batch in training.

    A state dict without ``aux`` entries (a plain BatchNorm's, e.g. ImageNet
    weights) loads into both branches.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.aux = nn.BatchNorm2d(*args, **kwargs)
        self.route: Route = 'main'

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        route = self.route
        if isinstance(route, str):
            return self.aux(inputs) if route == 'aux' else \
                super().forward(inputs)
        mask = route.to(inputs.device)
        if len(mask) != len(inputs):
            raise ValueError(f'the route mask has {len(mask)} entries for a '
                             f'batch of {len(inputs)}')
        if mask.all():
            return self.aux(inputs)
        if not mask.any():
            return super().forward(inputs)
        outputs = torch.empty_like(inputs)
        outputs[~mask] = super().forward(inputs[~mask])
        outputs[mask] = self.aux(inputs[mask])
        return outputs

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        for name in ('weight', 'bias', 'running_mean', 'running_var',
                     'num_batches_tracked'):
            if prefix + name in state_dict and \
                    prefix + 'aux.' + name not in state_dict:
                state_dict[prefix + 'aux.' + name] = \
                    state_dict[prefix + name].clone()
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    @classmethod
    def from_batch_norm(cls, layer: nn.BatchNorm2d) -> 'DualBatchNorm2d':
        """A dual layer whose two branches both start as ``layer``."""
        dual = cls(layer.num_features, layer.eps, layer.momentum,
                   layer.affine, layer.track_running_stats)
        dual.load_state_dict(layer.state_dict())
        tensors = list(layer.parameters()) + list(layer.buffers())
        return dual.to(tensors[0].device) if tensors else dual


def convert_to_dual_batch_norm(module: nn.Module) -> nn.Module:
    """Replace every plain ``nn.BatchNorm2d`` in ``module`` (in place) by a
    :class:`DualBatchNorm2d` whose branches both start as it; returns
    ``module``, or the new layer where ``module`` itself is one."""
    if type(module) is nn.BatchNorm2d:
        return DualBatchNorm2d.from_batch_norm(module)
    for name, child in module.named_children():
        converted = convert_to_dual_batch_norm(child)
        if converted is not child:
            setattr(module, name, converted)
    return module


def dual_batch_norms(module: nn.Module) -> Iterator[DualBatchNorm2d]:
    return (m for m in module.modules() if isinstance(m, DualBatchNorm2d))


@contextlib.contextmanager
def batch_norm_route(module: nn.Module, route: Route):
    """Route ``module``'s dual BatchNorms (``'main'``, ``'aux'`` or a
    per-sample mask) inside the block, restoring their routes afterwards;
    nothing happens to a module without any."""
    layers = list(dual_batch_norms(module))
    previous = [layer.route for layer in layers]
    for layer in layers:
        layer.route = route
    try:
        yield
    finally:
        for layer, old in zip(layers, previous):
            layer.route = old
