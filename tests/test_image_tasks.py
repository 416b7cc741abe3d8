"""Transfer-learning tasks: region-split textures, checked folders, the offline fallbacks."""
import numpy as np
import pytest
import torch
from PIL import Image

from utils import image_tasks
from utils.data import DatasetUnavailable
from utils.parameters import ParameterError


def test_region_patches_count_by_formula():
    image = np.arange(20 * 12).reshape(20, 12)
    cut = image_tasks.region_patches(image, patch=4, stride=2)
    # ((20 - 4) / 2 + 1) rows x ((12 - 4) / 2 + 1) columns of windows
    assert cut.shape == (9 * 5, 4, 4)
    assert (cut[1] == image[0:4, 2:6]).all()


def test_texture_counts_by_formula():
    split = image_tasks.textures(patch=64)
    # train: left half 512 x 256, stride 32 -> 15 x 7 windows; test: right half, stride 64 -> 8 x 4
    assert len(split.train) == 3 * 15 * 7 and len(split.test) == 3 * 8 * 4
    x, y = split.train.tensors
    assert x.shape[1:] == (3, 64, 64) and 0 <= x.min() and x.max() <= 1
    assert torch.bincount(y).tolist() == [105, 105, 105]


def _positions(image, patches):
    """Top-left corners where each patch occurs in the image (found by its first row, then checked whole)."""
    size = patches.shape[-1]
    rows = {}
    for r in range(image.shape[0] - size + 1):
        for c in range(image.shape[1] - size + 1):
            rows.setdefault(image[r, c : c + size].tobytes(), []).append((r, c))
    return [
        next((r, c) for r, c in rows[p[0].tobytes()] if (image[r : r + size, c : c + size] == p).all())
        for p in patches
    ]


def test_no_test_patch_overlaps_a_training_patch():
    import skimage.data

    patch = 64
    split = image_tasks.textures(patch=patch)
    for label, name in enumerate(image_tasks.TEXTURES):
        image = getattr(skimage.data, name)()
        found = {}
        for part in ("train", "test"):
            x, y = getattr(split, part).tensors
            found[part] = _positions(image, (x[y == label, 0] * 255).round().to(torch.uint8).numpy())
        train_columns = max(c for _, c in found["train"]) + patch  # one past the last training column
        assert train_columns <= min(c for _, c in found["test"])
        assert train_columns == image.shape[1] // 2


def test_bad_patch_size():
    with pytest.raises(ParameterError, match="PATCH"):
        image_tasks.textures(patch=300)


def test_digits_become_rgb():
    split = image_tasks.load("digits")
    assert split.train.tensors[0].shape[1:] == (3, 8, 8)
    assert len(split.train) + len(split.test) == 1797


def _folder(tmp_path, counts):
    for name, count in counts.items():
        (tmp_path / name).mkdir()
        for i in range(count):
            Image.new("RGB", (20, 10), color=(40 * i % 255, 100, 0)).save(tmp_path / name / f"{i}.png")
    return tmp_path


def test_folder_loads_and_splits(tmp_path):
    split = image_tasks.load(f"folder:{_folder(tmp_path, {'a': 5, 'b': 5})}", size=16)
    assert split.classes == ["a", "b"]
    assert len(split.train) == 8 and len(split.test) == 2
    assert split.train.tensors[0].shape[1:] == (3, 16, 16)


def test_folder_missing(tmp_path):
    with pytest.raises(ParameterError, match="not a folder"):
        image_tasks.load(f"folder:{tmp_path / 'nowhere'}")


def test_folder_one_class(tmp_path):
    with pytest.raises(ParameterError, match="1 class subfolder"):
        image_tasks.load(f"folder:{_folder(tmp_path, {'a': 3})}")


def test_folder_empty_class(tmp_path):
    with pytest.raises(ParameterError, match="class 'b' has 0 image"):
        image_tasks.load(f"folder:{_folder(tmp_path, {'a': 3, 'b': 0})}")


def test_folder_unreadable_image(tmp_path):
    root = _folder(tmp_path, {"a": 3, "b": 3})
    (root / "b" / "broken.jpg").write_bytes(b"not an image")
    with pytest.raises(ParameterError, match="broken.jpg is not an image"):
        image_tasks.load(f"folder:{root}")


def test_unknown_name():
    with pytest.raises(ParameterError, match="DATASET is 'imagenet'"):
        image_tasks.load("imagenet")


def test_download_offline_gives_one_sentence(monkeypatch, tmp_path):
    import torchvision.datasets

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setenv("COURSE_DATA", str(tmp_path))
    monkeypatch.setattr(torchvision.datasets, "CIFAR10", offline)
    with pytest.raises(DatasetUnavailable, match="cifar10 is not in .* use DATASET='textures'"):
        image_tasks.load("cifar10")
    assert list(tmp_path.iterdir()) == []  # nothing half-written left behind
