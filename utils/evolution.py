"""Every architecture of the course in one table: what it costs, what it scored, and when.

Drawn by ``utils.viz.evolution_chart`` in ``notebooks/07_modern_cnns.ipynb`` and in the lecture deck.
Each row is one network of the zoo (``utils.nets``) with:

- **parameters** and **multiply-adds** for one image at the network's own input size, counted by our
  code (``utils.counting``) on the ``meta`` device, so nothing is allocated. They are counted on the
  model whose error the row shows: ours where the error is the paper's, torchvision's where it is
  torchvision's (its AlexNet has one tower, its GoogLeNet batch norm, its ResNet-152 the v1.5 stride);
- one **top-1 error under one protocol** (``PROTOCOL``: ILSVRC-2012 validation, one model, one centre
  crop at the network's own resolution), from the paper where it reports one, otherwise from a named
  re-implementation, with the source per row. Several crops, or a larger test scale, lower the error
  without changing the network, so errors from different protocols cannot be compared;
- the paper's own figure where it used **another protocol** (ten crops, dense evaluation at a larger
  scale), with that protocol named, for a separate marker;
- **torchvision's reproduced top-1 error** and its evaluation crop, read from its weights' metadata (no
  download), with a note where that crop differs from the network's own resolution.
"""
from dataclasses import dataclass, field
from importlib import import_module

import pandas as pd
import torchvision

from utils import counting, papers

PROTOCOL = "one centre crop at the network's own resolution"


@dataclass(frozen=True)
class Architecture:
    """One network of the course, how to build it from the zoo, and its published ImageNet results."""

    name: str
    year: int
    module: str  # in utils.nets
    builder: str
    kwargs: dict
    input_size: tuple[int, int, int]  # channels, height, width
    top1: float | None  # top-1 error (%) under PROTOCOL; None: read from torchvision (``evaluated``) or none at all
    source: str  # where ``top1`` comes from
    evaluated: str | None = None  # torchvision's builder when the error under PROTOCOL is torchvision's
    other_top1: float | None = None  # the paper's top-1 error under another protocol
    other_protocol: str = ""
    torchvision: str | None = None  # torchvision's builder with ImageNet weights, for the cross-check columns
    variant: str = ""  # how torchvision's network differs from the paper's
    evaluated_kwargs: dict = field(default_factory=dict)  # for torchvision's builder: the weights' configuration
    meta: bool = True  # build on the meta device (LeNet-5's partial connection table needs real tensors)

    def build(self):
        if self.evaluated:
            return getattr(torchvision.models, self.evaluated)(**self.evaluated_kwargs)
        return getattr(import_module(f"utils.nets.{self.module}"), self.builder)(**self.kwargs)


def _rgb(side: int) -> tuple[int, int, int]:
    return (3, side, side)


def _error(accuracy: papers.Claim) -> float:
    return round(100 - accuracy.value, 2)


_TV = "torchvision's {} weights (IMAGENET1K_V1), one 224 centre crop"
_EFFICIENTNET_SIDE = {"b0": 224, "b1": 240, "b2": 260, "b3": 300, "b4": 380, "b5": 456, "b6": 528, "b7": 600}

ARCHITECTURES = [
    Architecture("LeNet-5", 1998, "lenet", "lenet5", {}, (1, 28, 28), None,
                 "LeCun et al. 1998 (MNIST only, no ImageNet result)", meta=False),
    Architecture("AlexNet", 2012, "alexnet", "alexnet", {"variant": "paper"}, _rgb(224), None,
                 _TV.format("alexnet") + "; its AlexNet has one tower", evaluated="alexnet",
                 other_top1=papers.ALEXNET["top-1 validation error, ILSVRC-2012, 1 CNN, ten patches (%)"].value,
                 other_protocol="the paper: ten patches averaged (Table 2)", torchvision="alexnet",
                 variant="one tower"),
    *[
        Architecture(f"VGG-{layers}", 2014, "vgg", "vgg", {"name": config}, _rgb(224), None,
                     _TV.format(f"vgg{layers}") + " (the paper's configuration " + config + ")",
                     evaluated=f"vgg{layers}", other_top1=papers.VGG_TABLE_3[(config, "[256;512]", "384")][0],
                     other_protocol="the paper: dense evaluation at test scale 384 (Table 3)",
                     torchvision=f"vgg{layers}")
        for layers, config in ((16, "D"), (19, "E"))
    ],
    Architecture("GoogLeNet", 2014, "googlenet", "googlenet", {"variant": "paper"}, _rgb(224), None,
                 _TV.format("googlenet") + "; its GoogLeNet adds batch norm (the paper prints no top-1)",
                 evaluated="googlenet", evaluated_kwargs={"aux_logits": False, "init_weights": False},
                 torchvision="googlenet", variant="batch norm added"),
    Architecture("ResNet-50", 2015, "resnet", "resnet", {"depth": 50, "variant": "v1"}, _rgb(224),
                 papers.SENET["ResNet-50 top-1 error (%)"].value,
                 papers.SENET["ResNet-50 top-1 error (%)"].source + ", one 224 crop",
                 other_top1=papers.RESNET_TABLE_3_TOP1["ResNet-50"], other_protocol="the paper: ten crops (Table 3)",
                 torchvision="resnet50", variant="v1.5: stride in the 3x3 convolution"),
    Architecture("ResNet-152", 2015, "resnet", "resnet", {"depth": 152, "variant": "v1"}, _rgb(224), None,
                 _TV.format("resnet152") + "; its ResNet-152 is v1.5", evaluated="resnet152",
                 other_top1=papers.RESNET_TABLE_3_TOP1["ResNet-152"], other_protocol="the paper: ten crops (Table 3)",
                 torchvision="resnet152", variant="v1.5: stride in the 3x3 convolution"),
    Architecture("Xception", 2016, "xception", "xception", {}, _rgb(299),
                 round(100 * (1 - papers.XCEPTION_TABLE_1["Xception"][0]), 2),
                 papers.XCEPTION_TABLE_1_SOURCE + " (single crop, single model; accuracy 0.790)"),
    Architecture("MobileNet v1", 2017, "mobilenet", "mobilenet_v1", {}, _rgb(224),
                 _error(papers.MOBILENET["top-1 accuracy (%)"]),
                 papers.MOBILENET["top-1 accuracy (%)"].source + " (accuracy 70.6% at 224x224)"),
    Architecture("SE-ResNet-50", 2017, "senet", "se_resnet", {"depth": 50}, _rgb(224),
                 papers.SENET["SE-ResNet-50 top-1 error (%)"].value,
                 papers.SENET["SE-ResNet-50 top-1 error (%)"].source + ", one 224 crop"),
    *[
        Architecture(f"EfficientNet-{name.upper()}", 2019, "efficientnet", "efficientnet", {"name": name},
                     _rgb(side), _error(papers.EFFICIENTNET[f"{name.upper()} top-1 accuracy (%)"]),
                     f"{papers.EFFICIENTNET[f'{name.upper()} top-1 accuracy (%)'].source} "
                     f"(accuracy {papers.EFFICIENTNET[f'{name.upper()} top-1 accuracy (%)'].printed} at {side}x{side})",
                     torchvision=f"efficientnet_{name}")
        for name, side in _EFFICIENTNET_SIDE.items()
    ],
    Architecture("EfficientNet-Lite0", 2020, "efficientnet_lite", "EfficientNetLite0", {}, _rgb(224),
                 _error(papers.EFFICIENTNET_LITE0["top-1 accuracy (%)"]),
                 papers.EFFICIENTNET_LITE0["top-1 accuracy (%)"].source + " (accuracy 75.1% at 224x224)"),
]


# Architectures of the course that the chart cannot place, and why.
NOT_CHARTED = {
    "Highway networks (2015)": "its paper trains on MNIST and CIFAR only, so there is no ImageNet error to plot",
    "Inception-ResNet (2016)": "the course builds only its A block (notebook 07, section 2), so there is no whole "
                               "network for our code to count",
}


def torchvision_weights(builder: str):
    """torchvision's first ImageNet weights of ``builder`` (an enum member: metadata only, no download)."""
    return torchvision.models.get_model_weights(builder).IMAGENET1K_V1


def torchvision_top1_error(builder: str) -> float:
    """torchvision's ImageNet top-1 error (%) for its first ImageNet weights of ``builder`` (metadata only)."""
    return round(100 - torchvision_weights(builder).meta["_metrics"]["ImageNet-1K"]["acc@1"], 3)


def torchvision_crop(builder: str) -> int:
    """The side of the centre crop torchvision evaluates ``builder``'s weights on."""
    return torchvision_weights(builder).transforms().crop_size[0]


def crop_note(architecture: Architecture) -> str:
    """Where torchvision evaluates at another crop than the network's own resolution, say so; else ''."""
    side, crop = architecture.input_size[1], torchvision_crop(architecture.torchvision)
    if crop == side:
        return ""
    return f"evaluated at {crop}x{crop}, {'larger' if crop > side else 'smaller'} than the paper's {side}x{side}"


def row(architecture: Architecture) -> dict:
    """The table row of one architecture: counts, its error under PROTOCOL, other protocols, torchvision's."""
    model = counting.on_meta(architecture.build) if architecture.meta else architecture.build()
    tv = architecture.torchvision
    top1 = torchvision_top1_error(architecture.evaluated) if architecture.evaluated else architecture.top1
    notes = [architecture.variant, crop_note(architecture)] if tv else []
    return {
        "network": architecture.name,
        "year": architecture.year,
        "parameters": counting.count_parameters(model),
        "multiply-adds": counting.count_macs(model, (1, *architecture.input_size)),
        "counted on": f"torchvision's {architecture.evaluated}" if architecture.evaluated else "ours (the paper's)",
        "input": f"{architecture.input_size[1]}x{architecture.input_size[2]}",
        "top-1 error (%)": top1,
        "protocol": PROTOCOL if top1 is not None else "",
        "source": architecture.source,
        "other top-1 error (%)": architecture.other_top1,
        "other protocol": architecture.other_protocol,
        "torchvision": tv,
        "torchvision top-1 error (%)": torchvision_top1_error(tv) if tv else None,
        "torchvision crop": torchvision_crop(tv) if tv else None,
        "torchvision note": "; ".join(note for note in notes if note),
    }


def table(architectures: list[Architecture] = ARCHITECTURES) -> pd.DataFrame:
    """One row per architecture, indexed by name, in the order of the course."""
    return pd.DataFrame([row(a) for a in architectures]).set_index("network")
