import os.path as osp
import time

from mmengine.dist import get_dist_info
from mmengine.hooks import Hook
from mmengine.runner import EpochBasedTrainLoop
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class TimeBudgetHook(Hook):
    """End training cleanly once ``max_seconds`` of wall time are spent,
    so that what runs at the end still runs: the diffusion model is
    exported (``ExportDiffusionModelHook``), a checkpoint is saved and
    ``--resume`` continues from it.

    For a machine lent for a fixed time (a 10-minute GPU call): a run cut by
    an outside time limit loses its export and, between checkpoints, its
    last iterations. Iteration-based loops stop after the iteration that
    spends the budget, epoch-based ones after the epoch. The iterations
    reached are logged (the export then reflects them, not ``max_iters``).
    Every rank stops at the same iteration: rank 0's clock decides.

    Args:
        max_seconds (float): Wall time from the start of training (of this
            process: a resumed run gets the budget again, and its skip over
            the data already trained counts against it).

    Example config::

        train_cfg = dict(type='IterBasedTrainLoop', max_iters=100000)
        custom_hooks = [dict(type='TimeBudgetHook', max_seconds=360), ...]
    """

    priority = 'VERY_LOW'  # after the optimizer step and EMA of the iter

    def __init__(self, max_seconds: float) -> None:
        if max_seconds <= 0:
            raise ValueError(f'max_seconds must be > 0, got {max_seconds}')
        self.max_seconds = max_seconds
        self.stopped_at = None

    def before_train(self, runner) -> None:
        self._start = time.perf_counter()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if not isinstance(runner.train_loop, EpochBasedTrainLoop):
            self._check(runner, by_epoch=False)

    def after_train_epoch(self, runner) -> None:
        if isinstance(runner.train_loop, EpochBasedTrainLoop):
            self._check(runner, by_epoch=True)

    def _check(self, runner, by_epoch: bool) -> None:
        spent = time.perf_counter() - self._start
        if not self._broadcast_over(spent >= self.max_seconds):
            return
        loop = runner.train_loop
        if by_epoch:
            done, total, unit = runner.epoch + 1, loop.max_epochs, 'epoch'
        else:
            done, total, unit = runner.iter + 1, loop.max_iters, 'iter'
        if done >= total:
            return  # finished anyway: the usual end
        loop.stop_training = True
        self.stopped_at = done
        name = f'{unit}_{done}.pth'
        runner.save_checkpoint(runner.work_dir, name, by_epoch=by_epoch)
        if runner.rank == 0:  # where --resume (auto) looks first
            with open(osp.join(runner.work_dir, 'last_checkpoint'), 'w') as f:
                f.write(osp.join(runner.work_dir, name))
        runner.logger.info(
            f'time budget of {self.max_seconds:.0f}s spent ({spent:.0f}s): '
            f'training stops at {unit} {done} of {total}; checkpoint '
            f'{name} (--resume continues from it)')

    @staticmethod
    def _broadcast_over(over: bool) -> bool:
        """Rank 0's verdict on every rank (the clocks differ slightly)."""
        if get_dist_info()[1] == 1:
            return over
        import torch
        from mmengine.dist import broadcast
        flag = torch.tensor([int(over)])
        if torch.cuda.is_available() and torch.distributed.get_backend() \
                == 'nccl':
            flag = flag.cuda()
        broadcast(flag, src=0)
        return bool(flag.item())
