from mmpretrain.registry import DATASETS

from .annotated_image_dataset import AnnotatedImageDataset


@DATASETS.register_module()
class HAM10000(AnnotatedImageDataset):
    """HAM10000 dermatoscopic images, 7 skin lesion classes (Tschandl et al.,
    Scientific Data 2018).

    Reads the annotation files of
    ``tools/dataset_converters/prepare_ham10000.py``. Class order is the
    alphabetical order of the ``dx`` codes in ``HAM10000_metadata.csv``.

    Example config::

        train_dataloader = dict(dataset=dict(
            type='HAM10000', data_root='data/ham10000',
            ann_file='meta/train.json', data_prefix='images',
            pipeline=train_pipeline))
    """

    METAINFO = dict(classes=('akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc'))
    PREPARE_TOOL = 'tools/dataset_converters/prepare_ham10000.py'
