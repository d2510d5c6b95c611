"""Finding what sits under wrappers: the model under DDP, the real dataset
config under dataset wrappers."""
from mmengine.model import is_model_wrapper


def unwrap_model(model):
    """The model itself, under a DDP (or other MMEngine) model wrapper."""
    return model.module if is_model_wrapper(model) else model


def innermost_dataset_cfg(dataset_cfg):
    """The real dataset's config under any dataset wrappers (configs that
    hold the wrapped one under ``dataset``, e.g. SyntheticMixDataset,
    ClassBalancedDataset, RepeatDataset)."""
    while 'dataset' in dataset_cfg:
        dataset_cfg = dataset_cfg['dataset']
    return dataset_cfg
