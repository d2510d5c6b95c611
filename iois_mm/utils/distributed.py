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


def shutdown_distributed(wait_for_peers: bool = True) -> None:
    """Destroy the default process group before the interpreter exits.

    A process that exits with its process group alive leaves gloo's C++
    worker threads joinable while the interpreter is torn down; the
    destructor of a joinable ``std::thread`` aborts the process
    (``terminate called without an active exception``, SIGABRT), and
    torchrun then kills the other ranks. It happened at random, more often
    on a busy machine. Call this at the end of every launched run.

    Args:
        wait_for_peers: wait at a barrier first, so that no rank tears down
            its connections while a peer still sends. Pass False on the
            error path, where a peer may never reach the barrier.
    """
    if not dist.is_available() or not dist.is_initialized():
        return
    if wait_for_peers:
        dist.barrier()
    dist.destroy_process_group()
