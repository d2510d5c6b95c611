"""Distributed launch on machines without a GPU."""
import os

import torch
import torch.distributed as dist


def setup_cpu_distributed(cfg) -> bool:
    """Prepare ``torchrun ... --launcher pytorch`` on a machine without CUDA.

    MMEngine's ``pytorch`` launcher calls ``torch.cuda.set_device`` and wraps
    the model with ``device_ids=[local_rank]``, both of which fail without a
    GPU. Here the process group is initialised with gloo before the Runner
    is built (the Runner then skips its own initialisation) and the model
    wrapper gets ``device_ids=None``. Does nothing when CUDA is available or
    the launcher is ``none``.

    Returns:
        True when it initialised a CPU process group.
    """
    launcher = cfg.get('launcher', 'none')
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise ValueError(
            f'launcher {launcher!r} needs a GPU here; on CPU use torchrun '
            'with --launcher pytorch')
    if 'RANK' not in os.environ or 'WORLD_SIZE' not in os.environ:
        raise RuntimeError(
            '--launcher pytorch expects to be started by torchrun (RANK and '
            'WORLD_SIZE are not set)')
    if not dist.is_initialized():
        timeout = cfg.get('env_cfg', {}).get('dist_cfg', {}).get('timeout')
        kwargs = {}
        if timeout is not None:
            import datetime
            kwargs['timeout'] = datetime.timedelta(seconds=timeout)
        dist.init_process_group(backend='gloo', **kwargs)
    wrapper = dict(type='MMDistributedDataParallel', broadcast_buffers=False,
                   find_unused_parameters=cfg.get('find_unused_parameters',
                                                  False))
    wrapper.update(cfg.get('model_wrapper_cfg') or {})
    wrapper['device_ids'] = None  # CPU modules refuse device ids
    cfg.model_wrapper_cfg = wrapper
    return True
