import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from iois_mm.datasets import SqrtResamplingSampler, SyntheticMixDataset
from iois_mm.datasets.synthetic_pool import SyntheticPool

PIPELINE = [dict(type='LoadImageFromFile'),
            dict(type='Resize', scale=(24, 24)),
            dict(type='PackInputs')]


def real_dataset(data_root):
    return dict(type='HAM10000', data_root=data_root,
                ann_file='meta/train.json', data_prefix='images',
                pipeline=PIPELINE)


def pool(capacity, value, size=16, num_classes=7):
    """A pool of solid-colour RGB images whose red channel is ``value``."""
    images = torch.zeros(capacity, size, size, 3, dtype=torch.uint8)
    images[..., 0] = value
    labels = torch.arange(capacity) % num_classes
    return images, labels


def test_length_is_fixed_and_pool_goes_through_the_pipeline(small_ham):
    dataset = SyntheticMixDataset(real_dataset(small_ham), capacity=10,
                                  image_size=16)
    real = len(dataset.dataset)
    assert len(dataset) == real + 10
    dataset.pool.refresh(*pool(10, 200))
    assert len(dataset) == real + 10
    item = dataset[real + 3]
    # resized by the wrapped pipeline, loading skipped; red (RGB) arrives in
    # the BGR channel order loaded images have
    assert item['inputs'].shape == (3, 24, 24)
    assert item['inputs'][2].float().mean() == 200
    assert item['inputs'][0].float().mean() == 0
    assert int(item['data_samples'].gt_label) == 3
    # synthetic samples name their pool slot, real ones have none
    assert item['data_samples'].pool_slot == 3
    assert dataset.pool.version == 1
    dataset.pool.check_served([3])  # served from the current pool
    assert dataset[0]['inputs'].shape == (3, 24, 24)  # a real image
    assert 'pool_slot' not in dataset[0]['data_samples']
    with pytest.raises(IndexError):
        dataset[len(dataset)]


def test_labels_cover_the_pool_counts_cover_real_images(small_ham):
    dataset = SyntheticMixDataset(real_dataset(small_ham), capacity=14,
                                  image_size=16)
    images, _ = pool(14, 1)
    dataset.pool.refresh(images, torch.full((14, ), 3))
    labels = dataset.get_gt_labels()
    assert len(labels) == len(dataset)
    assert (labels[-14:] == 3).all()
    assert dataset.get_class_counts() == dataset.dataset.get_class_counts()
    assert dataset.get_cat_ids(len(dataset) - 1) == [3]


def test_sampler_reads_new_pool_labels_each_epoch(small_ham):
    dataset = SyntheticMixDataset(real_dataset(small_ham), capacity=60,
                                  image_size=8)
    images, _ = pool(60, 1, size=8)
    dataset.pool.refresh(images, torch.zeros(60, dtype=torch.long))
    sampler = SqrtResamplingSampler(dataset, seed=0)
    first = sampler.sample_weights()
    dataset.pool.refresh(images, torch.full((60, ), 6))
    second = sampler.sample_weights()
    assert not torch.equal(first, second)


def test_empty_pool_says_how_to_fill_it(small_ham):
    dataset = SyntheticMixDataset(real_dataset(small_ham), capacity=4,
                                  image_size=16)
    with pytest.raises(RuntimeError, match='AccuracyAdaptiveSamplingHook'):
        dataset[len(dataset.dataset)]
    with pytest.raises(ValueError, match='capacity'):
        SyntheticMixDataset(real_dataset(small_ham))
    with pytest.raises(ValueError, match='generates 4 of the 4 slots; got 5'):
        dataset.pool.refresh(*pool(5, 1))


def keep_as_list(batch):
    return batch


@pytest.mark.parametrize('start_method', ['fork', 'spawn'])
def test_persistent_workers_see_pool_refreshes(small_ham, start_method):
    dataset = SyntheticMixDataset(real_dataset(small_ham), capacity=6,
                                  image_size=16)
    dataset.pool.refresh(*pool(6, 10))
    synthetic = list(range(len(dataset.dataset), len(dataset)))
    loader = DataLoader(dataset, batch_size=3, sampler=synthetic,
                        num_workers=2, persistent_workers=True,
                        multiprocessing_context=start_method,
                        collate_fn=keep_as_list)

    def served():
        items = [item for batch in loader for item in batch]
        dataset.pool.check_served(
            [item['data_samples'].pool_slot for item in items])
        return [int(item['inputs'][2].float().mean()) for item in items]

    assert served() == [10] * 6
    dataset.pool.refresh(*pool(6, 77))  # the workers are still alive
    assert served() == [77] * 6

    # a pool the workers do not share (here: replaced after they started)
    # is caught when its images are trained on, not silently stale
    dataset.pool = SyntheticPool(6)
    dataset.pool.refresh(*pool(6, 99))
    with pytest.raises(RuntimeError, match='last served from version 0 '
                       'while it is at version 1'):
        served()


def test_fixed_pool_file(small_ham, tmp_path):
    images, labels = pool(9, 50, size=12)
    path = str(tmp_path / 'pool.npz')
    classes = ['akiec', 'bcc', 'bkl', 'df', 'mel', 'nv', 'vasc']
    np.savez(path, images=images.numpy(), labels=labels.numpy(),
             classes=np.array(classes))
    dataset = SyntheticMixDataset(real_dataset(small_ham), pool_file=path)
    assert dataset.capacity == 9 and dataset.pool.filled
    assert int(dataset[len(dataset) - 1]['inputs'][2].float().mean()) == 50

    with pytest.raises(ValueError, match='holds 9 images'):
        SyntheticMixDataset(real_dataset(small_ham), pool_file=path,
                            capacity=5)
    with pytest.raises(FileNotFoundError, match='tools/synthesize.py'):
        SyntheticMixDataset(real_dataset(small_ham),
                            pool_file=str(tmp_path / 'none.npz'))


@pytest.mark.parametrize('arrays,message', [
    (dict(images=np.zeros((2, 8, 8, 3), np.uint8)), 'lacks'),
    (dict(images=np.zeros((2, 8, 8, 3), np.float32),
          labels=np.zeros(2, np.int64)), 'uint8'),
    (dict(images=np.zeros((2, 8, 8, 3), np.uint8),
          labels=np.array([0, 7])), 'labels must be in 0..6'),
    (dict(images=np.zeros((2, 8, 8, 3), np.uint8),
          labels=np.zeros(2, np.int64), classes=np.array(['a', 'b'])),
     'made for the classes'),
])
def test_bad_pool_files_are_refused(small_ham, tmp_path, arrays, message):
    path = str(tmp_path / 'bad.npz')
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=message):
        SyntheticMixDataset(real_dataset(small_ham), pool_file=path)
