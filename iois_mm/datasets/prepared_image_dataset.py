from mmpretrain.registry import DATASETS

from .annotated_image_dataset import AnnotatedImageDataset


@DATASETS.register_module()
class PreparedImageDataset(AnnotatedImageDataset):
    """A data set of one's own, prepared from class folders by
    ``tools/dataset_converters/prepare_folders.py``: its classes are those
    of the annotation file (folder names, sorted).

    Example config (``configs/_base_/own_data/`` builds on it)::

        train_dataloader = dict(dataset=dict(
            type='PreparedImageDataset', data_root='data/xray',
            ann_file='meta/train.json', data_prefix='images',
            pipeline=train_pipeline))
    """

    METAINFO: dict = {}
    PREPARE_TOOL = 'tools/dataset_converters/prepare_folders.py'
