"""Distributed launch on machines without a GPU."""
import gc
import os
import traceback
from typing import Optional

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


def shutdown_distributed(error: Optional[BaseException] = None) -> None:
    """End the default process group and its threads before exiting.

    A gloo process group runs C++ threads (``pt_gloo_runloop``,
    ``gloo_tcp_loop``) for as long as its object lives, and
    ``destroy_process_group`` alone does not end it while anything still
    holds it: the DDP wrapper of the runner's model does. Left to
    interpreter shutdown, those threads can still be joinable when their
    ``std::thread`` is destroyed, which aborts the process (``terminate
    called without an active exception``, SIGABRT), and torchrun then kills
    the other ranks: at random, more often on a busy machine. Call this at
    the end of every launched run, once the runner is released: it clears
    the frames of ``error``'s tracebacks (which hold the runner), collects
    the garbage, which ends the group's last owners, then destroys it.

    Args:
        error: the exception the run ended with, if any. Without one, the
            ranks first wait for each other at a barrier, so that no rank
            tears down its connections while a peer still sends; with one,
            they do not (a peer may never reach the barrier).
    """
    if not dist.is_available() or not dist.is_initialized():
        return
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        traceback.clear_frames(error.__traceback__)
        error = error.__cause__ or error.__context__
    if not seen:
        dist.barrier()
    gc.collect()
    dist.destroy_process_group()
