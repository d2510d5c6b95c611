import time
from typing import List

from mmengine.hooks import Hook
from mmpretrain.registry import HOOKS


@HOOKS.register_module()
class EpochTimerHook(Hook):
    """Records the wall time of every training epoch, including what other
    hooks do at its end (for IOIS: the synthesis of the next pool). Give it
    priority 'LOWEST' so that it closes each epoch last. Used by
    ``tools/benchmark_synthesis.py --epoch-overhead``; the durations are also
    logged.
    """

    priority = 'LOWEST'

    def __init__(self) -> None:
        self.durations: List[float] = []
        self._start = None

    def before_train_epoch(self, runner) -> None:
        self._start = time.perf_counter()

    def after_train_epoch(self, runner) -> None:
        self.durations.append(time.perf_counter() - self._start)
        runner.logger.info(f'epoch {runner.epoch + 1} took '
                           f'{self.durations[-1]:.1f}s')
