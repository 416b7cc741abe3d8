"""ImageNet weights: checksum, strict loading, real predictions, and the offline sentence."""
import hashlib

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from utils import photos, pretrained


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


def test_torchvision_offline_gives_one_sentence(monkeypatch):
    import torchvision

    def offline(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(torchvision.models, "get_model", offline)
    with pytest.raises(pretrained.WeightsUnavailable) as error:
        pretrained.torchvision_backbone("resnet18")
    message = str(error.value)
    assert "resnet18" in message and "efficientnet_lite0" in message and message.count(".") <= 3
    assert "\n" not in message
