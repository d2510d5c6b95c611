from mmpretrain.registry import DATASETS

from .annotated_image_dataset import AnnotatedImageDataset


@DATASETS.register_module()
class APTOS(AnnotatedImageDataset):
    """APTOS 2019 blindness detection: retinal fundus photographs graded for
    diabetic retinopathy in 5 classes (grade 0 to 4).

    Reads the annotation files of
    ``tools/dataset_converters/prepare_aptos.py``; the label is the
    ``diagnosis`` column of the competition's ``train.csv``.
    """

    METAINFO = dict(classes=('no_dr', 'mild', 'moderate', 'severe',
                             'proliferative_dr'))
    PREPARE_TOOL = 'tools/dataset_converters/prepare_aptos.py'
