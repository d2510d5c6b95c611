"""Base for datasets read from the annotation files our converters write."""
import os.path as osp
from typing import List

import mmengine
from mmpretrain.datasets import BaseDataset


class AnnotatedImageDataset(BaseDataset):
    """An image classification dataset with a fixed class list.

    Reads ``{"metainfo": {"classes": [...]}, "data_list": [{"img_path",
    "gt_label", ...}]}`` (the OpenMMLab 2.0 format written by
    ``tools/dataset_converters/prepare_*.py``) and refuses, with a message
    naming the file, annotations whose class list differs from the dataset's,
    labels outside it, or images that are not on disk: training on a wrong
    or partial dataset should fail at start-up, not silently mid-run.

    Subclasses set ``METAINFO = dict(classes=(...))`` (or leave it empty:
    the classes of the annotation file) and ``PREPARE_TOOL`` (shown in the
    error when the annotation file is missing).
    """

    METAINFO: dict = {}
    PREPARE_TOOL = 'tools/dataset_converters/'

    def load_data_list(self) -> List[dict]:
        if not osp.isfile(self.ann_file):
            raise FileNotFoundError(
                f'{type(self).__name__}: annotation file {self.ann_file} '
                f'does not exist. Create it with {self.PREPARE_TOOL} or set '
                'data_root / ann_file in the config.')
        annotations = mmengine.load(self.ann_file)
        if not isinstance(annotations, dict) or 'data_list' not in annotations:
            raise ValueError(
                f'{self.ann_file} is not an OpenMMLab 2.0 annotation file '
                '(a dict with "metainfo" and "data_list")')
        file_classes = annotations.get('metainfo', {}).get('classes')
        if 'classes' not in self._metainfo:  # a data set of its own
            if not file_classes:
                raise ValueError(f'{self.ann_file} names no classes (its '
                                 'metainfo has no "classes" list)')
            self._metainfo['classes'] = tuple(file_classes)
        classes = tuple(self._metainfo['classes'])
        file_classes = tuple(file_classes or classes)
        if file_classes != classes:
            raise ValueError(
                f'{type(self).__name__} expects the classes {list(classes)} '
                f'but {self.ann_file} lists {list(file_classes)}. Use the '
                'dataset type that matches the file, or pass '
                'metainfo=dict(classes=...) to override.')

        image_prefix = self.data_prefix.get('img_path', '')
        data_list, bad_labels, missing = [], [], []
        for info in annotations['data_list']:
            info = dict(info)
            label = int(info['gt_label'])
            if not 0 <= label < len(classes):
                bad_labels.append(label)
            info['img_path'] = osp.join(image_prefix, info['img_path'])
            if not osp.isfile(info['img_path']):
                missing.append(info['img_path'])
            data_list.append(info)
        if bad_labels:
            raise ValueError(
                f'{self.ann_file}: labels {sorted(set(bad_labels))} are '
                f'outside the {len(classes)} classes {list(classes)}')
        if missing:
            raise FileNotFoundError(
                f'{type(self).__name__}: {len(missing)} of {len(data_list)} '
                f'images listed in {self.ann_file} are missing, e.g. '
                f'{missing[:3]}. Check data_root/data_prefix, or re-run '
                f'{self.PREPARE_TOOL} on the images you have.')
        return data_list

    def get_class_counts(self) -> List[int]:
        """Number of images of each class, in class order."""
        counts = [0] * len(self._metainfo['classes'])
        for label in self.get_gt_labels():
            counts[int(label)] += 1
        return counts
