"""Time training epochs of a config (CE, or IOIS with its synthesis) in
this process, for the epoch-cost benchmarks."""
import os.path as osp
import statistics

from mmengine.config import Config
from mmengine.runner import Runner

from iois_mm.evaluation.generative_quality import (compare_feature_sets,
                                                   load_resized_images,
                                                   thumbnail_features)
from iois_mm.utils.unwrap import innermost_dataset_cfg

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def time_epochs(config, work_dir, epochs=3, data_root=None,
                diffusion_model_dir=None, overrides=None):
    """Train ``config`` for ``epochs`` epochs without validation; return
    every epoch's wall time (an IOIS epoch includes the synthesis of the
    pool it triggers at its end) and, for IOIS, the final pool's quality
    against the real training images (thumbnail features, as the quality
    gate measures it)."""
    cfg = Config.fromfile(osp.join(REPO, config))
    cfg.work_dir = work_dir
    cfg.experiment_name = osp.basename(work_dir)
    cfg.train_cfg.max_epochs = epochs
    cfg.val_cfg = cfg.val_dataloader = cfg.val_evaluator = None
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=1000)
    if data_root:
        innermost_dataset_cfg(cfg.train_dataloader.dataset).data_root = \
            data_root
    if cfg.get('synthesizer'):
        if diffusion_model_dir:
            cfg.synthesizer.diffusion_model_dir = diffusion_model_dir
        cfg.synthesizer.progress = False
    cfg.merge_from_dict(overrides or {})
    cfg.custom_hooks = list(cfg.get('custom_hooks', [])) + [
        dict(type='EpochTimerHook', priority='LOWEST')]
    runner = Runner.from_cfg(cfg)
    runner.train()
    timer = next(h for h in runner.hooks
                 if type(h).__name__ == 'EpochTimerHook')
    result = dict(epoch_seconds=list(timer.durations))
    dataset = runner.train_dataloader.dataset
    pool = getattr(dataset, 'pool', None)
    if pool is not None and pool.filled:
        real = load_resized_images(dataset.dataset, range(dataset.num_real),
                                   pool.image_size)
        result['pool_quality'] = compare_feature_sets(
            thumbnail_features(real), thumbnail_features(pool.images))
    return result


def steady_epoch_seconds(epoch_seconds):
    """The median epoch past the first (worker start-up, IOIS's first
    synthesis from scratch) and before the last (after which IOIS makes no
    pool: nothing trains on it)."""
    steady = epoch_seconds[1:-1] or epoch_seconds
    return statistics.median(steady)
