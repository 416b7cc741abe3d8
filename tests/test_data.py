"""data: the offline splits are real, stratified and fixed; offline MNIST fails cleanly."""
import numpy as np
import pytest
import torch

from utils import data


@pytest.fixture(scope="module")
def mnist5k():
    return data.load("mnist5k")


def labels(dataset):
    return dataset.tensors[1].numpy()


def test_mnist5k_sizes_shapes_and_range(mnist5k):
    x, y = mnist5k.train.tensors
    assert x.shape == (4000, 1, 28, 28) and len(mnist5k.test) == 1000
    assert x.dtype == torch.float32 and float(x.min()) == 0.0 and float(x.max()) == 1.0
    assert mnist5k.classes == [str(d) for d in range(10)]


def test_mnist5k_split_is_stratified(mnist5k):
    assert np.bincount(labels(mnist5k.train)).tolist() == [400] * 10
    assert np.bincount(labels(mnist5k.test)).tolist() == [100] * 10


def test_mnist5k_split_is_fixed_and_disjoint(mnist5k):
    again = data.load("mnist5k")
    assert torch.equal(again.test.tensors[0], mnist5k.test.tensors[0])
    train = {bytes(img.numpy()) for img in mnist5k.train.tensors[0]}
    assert not any(bytes(img.numpy()) in train for img in mnist5k.test.tensors[0][:200])


def test_digits_split():
    digits = data.load("digits")
    assert digits.train.tensors[0].shape[1:] == (1, 8, 8)
    assert len(digits.train) + len(digits.test) == 1797
    from sklearn.datasets import load_digits

    expected = 0.2 * np.bincount(load_digits().target)  # each class keeps its share in the test split
    assert np.abs(np.bincount(labels(digits.test)) - expected).max() <= 1


def test_offline_mnist_raises_one_sentence_and_leaves_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    import torchvision.datasets

    def refuse(self, *args, **kwargs):
        raise RuntimeError("no network")

    monkeypatch.setattr(torchvision.datasets.MNIST, "download", refuse)
    with pytest.raises(data.DatasetUnavailable, match=r"^mnist is not in .*use DATASET='mnist5k'.*it ships offline, nothing to download\.$"):
        data.load("mnist")
    assert list(tmp_path.iterdir()) == []


def test_take_keeps_the_first_examples_and_checks_the_size(mnist5k):
    small = data.take(mnist5k.train, 30)
    assert torch.equal(small.tensors[0], mnist5k.train.tensors[0][:30])
    assert torch.equal(small.tensors[1], mnist5k.train.tensors[1][:30])
    with pytest.raises(data.ParameterError, match=r"^TRAIN_SIZE is 4001, but the training split has only 4,000 examples\.$"):
        data.take(mnist5k.train, 4001)
    with pytest.raises(data.ParameterError, match=r"^TRAIN_SIZE is 5, but it must be an integer of at least 10\.$"):
        data.take(mnist5k.train, 5)
