"""A separate guide for Eq. 4, trained beside the classifier: its own copy
of the classifier's architecture that also learns noised images, so that
its gradient on ``x_t`` carries the class without the classifier paying
for it."""
import copy
from typing import Optional

from mmengine.hooks import Hook
from mmengine.optim import OptimWrapperDict, build_optim_wrapper
from mmengine.runner.checkpoint import weights_to_cpu
from mmpretrain.registry import HOOKS

from ...utils.unwrap import unwrap_model


@HOOKS.register_module()
class GuideTrainingHook(Hook):
    """Trains a guide beside the classifier, for
    :class:`AccuracyAdaptiveSamplingHook` to guide the synthesis with
    instead of the classifier being trained (Eq. 4).

    Measured on HAM-32 (``benchmarks/ham32/README.md``): a classifier
    trained on clean images gives no class direction on a noisy ``x_t``;
    trained on noised images too it does, but the noise costs it 7-10
    Macro-F1 points, more than the pool gives back. A frozen noise-aware
    guide from a separate run (``guide_checkpoint``) removed that cost but
    needs that run first and no longer follows the classifier's training.
    This hook keeps one run: after every training iteration the guide (the
    runner's model config with ``data_preprocessor`` overridden, by default
    :class:`NoiseAwareClsDataPreprocessor` appending noised copies of half
    the batch) takes one optimiser step on the batch's real images, at the
    classifier's current learning rate, as the loader gave them (before the
    classifier's preprocessing: no batch augmentation, no noised copies of
    the classifier's own). It does not see the synthetic images, so it does
    not learn from its own guidance (in a batch without a single real
    image, which only a pool larger than the batch's real share makes
    likely, it trains on the batch as is: every rank must step). Not the
    paper's method
    (Eq. 4 guides with the classifier itself): classifier guidance with a
    separate noise-aware classifier, as in Dhariwal & Nichol (2021).

    Costs about one more training step per iteration (1.5 with the default
    appended copies). Under distributed training the guide is wrapped like
    the model, so its gradients are averaged over ranks. Its weights and
    optimiser state go into checkpoints (``--resume`` continues it). Logs
    its loss as ``guide_loss``.

    Args:
        data_preprocessor (dict): Merged into the model's data preprocessor
            config (less its ``batch_augments``) for the guide.
            ``diffusion_model_dir`` defaults to the synthesizer's, so the
            noise follows its schedule.
    """

    priority = 'ABOVE_NORMAL'  # built before the AAS hook's first pool

    def __init__(self, data_preprocessor: Optional[dict] = None) -> None:
        self.data_preprocessor = dict(
            type='NoiseAwareClsDataPreprocessor', noise_fraction=0.5,
            append=True) if data_preprocessor is None else data_preprocessor
        self.guide = None
        self._resume_state = None
        self._batch = None

    def before_train(self, runner) -> None:
        if isinstance(runner.optim_wrapper, OptimWrapperDict):
            raise TypeError(f'{type(self).__name__} follows a classifier '
                            'with one optimizer, not an OptimWrapperDict')
        cfg = copy.deepcopy(runner.cfg.model)
        preprocessor = copy.deepcopy(
            cfg.get('data_preprocessor') or runner.cfg.get(
                'data_preprocessor') or {})
        # the classifier's normalisation, not its batch augments (a guide
        # on x_t learns hard labels, as guided diffusion's does)
        preprocessor.pop('batch_augments', None)
        preprocessor.update(self.data_preprocessor)
        synthesizer = runner.cfg.get('synthesizer') or {}
        if preprocessor.get('type') == 'NoiseAwareClsDataPreprocessor' \
                and synthesizer.get('diffusion_model_dir'):
            preprocessor.setdefault('diffusion_model_dir',
                                    synthesizer['diffusion_model_dir'])
        cfg.data_preprocessor = preprocessor
        guide = runner.build_model(cfg)
        guide.init_weights()
        self.guide = runner.wrap_model(runner.cfg.get('model_wrapper_cfg'),
                                       guide)
        self.optim_wrapper = build_optim_wrapper(
            self.guide, copy.deepcopy(runner.cfg.optim_wrapper))
        if len(self.optim_wrapper.optimizer.param_groups) != len(
                runner.optim_wrapper.optimizer.param_groups):
            raise ValueError(f'{type(self).__name__}: the guide and the '
                             'classifier have different parameter groups')
        if self._resume_state is not None:
            unwrap_model(self.guide).load_state_dict(
                self._resume_state['state_dict'])
            self.optim_wrapper.load_state_dict(
                self._resume_state['optimizer'])
            self._resume_state = None
            runner.logger.info('Guide: restored from the checkpoint')
        self.optim_wrapper.initialize_count_status(
            self.guide, runner.iter, runner.max_iters)
        self.guide.train()
        runner.logger.info(
            f'Guide: a separate {type(guide).__name__} with '
            f'{preprocessor.get("type")}, trained on the real images')

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        # the batch as loaded: the classifier's preprocessing replaces
        # labels (batch augments) and appends noised copies in place
        self._batch = (list(data_batch['inputs']) if isinstance(
            data_batch['inputs'], list) else data_batch['inputs'],
                       [s.clone() for s in data_batch['data_samples']])

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        (inputs, samples), self._batch = self._batch, None
        real = [i for i, s in enumerate(samples)
                if s.metainfo.get('pool_slot') is None]
        # a batch of synthetic images only: the step must still run on
        # every rank (the gradients are averaged)
        real = real or list(range(len(samples)))
        batch = dict(inputs=[inputs[i] for i in real] if isinstance(
            inputs, list) else inputs[real],
                     data_samples=[samples[i] for i in real])
        for guide_group, group in zip(
                self.optim_wrapper.optimizer.param_groups,
                runner.optim_wrapper.optimizer.param_groups):
            guide_group['lr'] = group['lr']  # the classifier's schedule
        loss = self.guide.train_step(batch, self.optim_wrapper)['loss']
        runner.message_hub.update_scalar(
            'train/guide_loss', loss.item() if hasattr(loss, 'item') else loss)

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint['guide'] = dict(
            state_dict=weights_to_cpu(unwrap_model(self.guide).state_dict()),
            optimizer=self.optim_wrapper.state_dict())

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        # applied in before_train, once the guide is built; resume only (a
        # load_from checkpoint starts a new run, and a new guide)
        if getattr(runner, '_resume', False):
            self._resume_state = checkpoint.get('guide')

    def guide_for_synthesis(self):
        return unwrap_model(self.guide)


def trained_guide_of(runner):
    """The guide a :class:`GuideTrainingHook` of ``runner`` trains, or
    None."""
    for hook in runner.hooks:
        if isinstance(hook, GuideTrainingHook) and hook.guide is not None:
            return hook.guide_for_synthesis()
    return None
