"""Target tasks for transfer learning, as RGB images in [0, 1].

- ``textures``: patches cut from scikit-image's brick, grass and gravel
  photographs (512 x 512 each). Each photograph is split by region: training
  patches come from its left half, test patches from its right half, so no
  test pixel was ever seen in training. Training patches overlap each other
  (stride half a patch); test patches tile their half without overlap.
- ``digits`` and ``mnist5k``: the offline digit sets of ``utils.data``,
  grey levels copied to three channels: a task far from ImageNet's photos.
- ``folder:PATH``: your own images in torchvision's ImageFolder layout (one
  subfolder per class), centre-cropped to squares and resized; checked with
  one-sentence errors; split 80/20, stratified, with a fixed seed.
- ``cifar10``, ``flowers102``: torchvision's, when cached or downloadable.

Every loader returns a ``utils.data.Split``.
"""
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.model_selection import train_test_split

from utils import data
from utils.data import Split, as_dataset
from utils.errors import ParameterError
from utils.parameters import check_choice, check_int

TEXTURES = ("brick", "grass", "gravel")
OFFLINE = ("textures", "digits", "mnist5k")
DOWNLOADABLE = ("cifar10", "flowers102")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".ppm", ".pgm")


def region_patches(image: np.ndarray, patch: int, stride: int) -> np.ndarray:
    """All ``patch`` x ``patch`` windows of a 2-D image, ``stride`` pixels apart."""
    windows = np.lib.stride_tricks.sliding_window_view(image, (patch, patch))
    return windows[::stride, ::stride].reshape(-1, patch, patch)


def textures(patch: int = 64) -> Split:
    """Texture patches; train from the left half of each photograph, test from the right half."""
    import skimage.data

    check_int("PATCH", patch, minimum=8)
    if patch > 256:
        raise ParameterError(f"PATCH is {patch!r}, but it must be at most 256 (half of a 512-pixel texture).")
    parts = {"train": ([], []), "test": ([], [])}
    for label, name in enumerate(TEXTURES):
        image = getattr(skimage.data, name)() / 255.0
        half = image.shape[1] // 2
        for split, region, stride in (("train", image[:, :half], patch // 2), ("test", image[:, half:], patch)):
            cut = region_patches(region, patch, stride)
            parts[split][0].append(cut)
            parts[split][1].append(np.full(len(cut), label))
    train, test = (
        as_dataset(np.repeat(np.concatenate(x)[:, None], 3, axis=1), np.concatenate(y)) for x, y in parts.values()
    )
    return Split(train, test, list(TEXTURES))


def _rgb(split: Split) -> Split:
    """Grey images copied to three channels, so an RGB network can read them."""
    return Split(
        *(as_dataset(d.tensors[0].expand(-1, 3, -1, -1).numpy(), d.tensors[1].numpy()) for d in (split.train, split.test)),
        split.classes,
    )


def square(image: torch.Tensor, size: int) -> torch.Tensor:
    """Centre-crop a C x H x W image to a square and resize it to ``size`` pixels."""
    h, w = image.shape[-2:]
    s = min(h, w)
    crop = image[:, (h - s) // 2 : (h - s) // 2 + s, (w - s) // 2 : (w - s) // 2 + s]
    return F.interpolate(crop[None].float(), size=(size, size), mode="bilinear", antialias=True)[0]


def folder(path: str, size: int = 128) -> Split:
    """Images in ``path``/<class>/<image>, checked, resized to ``size`` pixels, split 80/20."""
    from PIL import Image, UnidentifiedImageError
    from torchvision.transforms.functional import pil_to_tensor

    root, given = Path(path).expanduser(), f"DATASET is 'folder:{path}'"
    if not root.is_dir():
        raise ParameterError(f"{given}, but {root} is not a folder; give a folder with one subfolder of images per class.")
    classes = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if len(classes) < 2:
        raise ParameterError(f"{given}, but it has {len(classes)} class subfolder(s); a classifier needs at least two.")
    images, labels = [], []
    for label, name in enumerate(classes):
        files = sorted(f for f in (root / name).iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
        if len(files) < 2:
            raise ParameterError(
                f"{given}, but class {name!r} has {len(files)} image(s); each class needs at least two "
                f"(one to train on, one to test), with a suffix among {', '.join(IMAGE_SUFFIXES)}."
            )
        for file in files:
            try:
                with Image.open(file) as image:
                    images.append(square(pil_to_tensor(image.convert("RGB")) / 255.0, size))
            except (UnidentifiedImageError, OSError):
                raise ParameterError(f"{given}, but {file} is not an image that PIL can read; remove or replace it.") from None
            labels.append(label)
    x_train, x_test, y_train, y_test = train_test_split(
        torch.stack(images).numpy(), np.array(labels), test_size=0.2, stratify=labels, random_state=data.SPLIT_SEED
    )
    return Split(as_dataset(x_train, y_train), as_dataset(x_test, y_test), classes)


def _downloaded(name: str, size: int) -> Split:
    import torchvision.datasets as tv

    kinds = {"cifar10": (tv.CIFAR10, [{"train": True}, {"train": False}]),
             "flowers102": (tv.Flowers102, [{"split": "train"}, {"split": "test"}])}
    builder, splits = kinds[name]

    def fetch(folder):
        for kwargs in splits:
            builder(folder, download=True, **kwargs)

    root = data.fetched(data.cache_dir() / name, fetch, "DATASET='textures' (near ImageNet) or 'digits' (far from it)")
    from torchvision.transforms.functional import pil_to_tensor

    parts, classes = [], None
    for kwargs in splits:
        dataset = builder(root, **kwargs)
        classes = classes or getattr(dataset, "classes", None)
        pairs = [(square(pil_to_tensor(image.convert("RGB")) / 255.0, size), label) for image, label in dataset]
        parts.append(as_dataset(torch.stack([p[0] for p in pairs]).numpy(), np.array([p[1] for p in pairs])))
    labels = np.unique(parts[0].tensors[1].numpy())
    return Split(*parts, list(classes or [str(label) for label in labels]))


def load(name: str, patch: int = 64, size: int = 128) -> Split:
    """The task called ``name``: one of OFFLINE, DOWNLOADABLE, or 'folder:PATH'."""
    if isinstance(name, str) and name.startswith("folder:"):
        return folder(name.removeprefix("folder:"), size)
    check_choice("DATASET", name, (*OFFLINE, *DOWNLOADABLE, "folder:PATH"))
    if name == "textures":
        return textures(patch)
    if name in DOWNLOADABLE:
        return _downloaded(name, size)
    return _rgb(data.load(name))
