"""Every architecture of the course in one table: what it costs, what it scored, and when.

Drawn by ``utils.viz.evolution_chart`` in ``notebooks/07_modern_cnns.ipynb`` and in the lecture deck.
Each row is one network of the zoo (``utils.nets``) with:

- **parameters** and **multiply-adds** for one image at the network's own input size, counted by our
  code (``utils.counting``) on the ``meta`` device, so nothing is allocated;
- the **paper's ImageNet error** (ILSVRC-2012 validation, one model), top-1 and top-5 where the paper
  prints them, with the table it comes from;
- **torchvision's reproduced top-1 error**, read from its weights' metadata (no download), for the
  networks torchvision has; its model is sometimes a later variant of the paper's (noted per row).
"""
from dataclasses import dataclass
from importlib import import_module

import pandas as pd
import torchvision

from utils import counting


@dataclass(frozen=True)
class Architecture:
    """One network of the course, how to build it from the zoo, and its published ImageNet results."""

    name: str
    year: int
    module: str  # in utils.nets
    builder: str
    kwargs: dict
    input_size: tuple[int, int, int]  # channels, height, width
    top1: float | None  # the paper's top-1 error (%), None where it prints none
    top5: float | None
    source: str
    torchvision: str | None = None  # torchvision's builder with ImageNet weights
    torchvision_note: str = ""
    meta: bool = True  # build on the meta device (LeNet-5's partial connection table needs real tensors)

    def build(self):
        return getattr(import_module(f"utils.nets.{self.module}"), self.builder)(**self.kwargs)


def _rgb(side: int) -> tuple[int, int, int]:
    return (3, side, side)


_EFFICIENTNET_TOP1 = {"b0": 77.1, "b1": 79.1, "b2": 80.1, "b3": 81.6, "b4": 82.9, "b5": 83.6, "b6": 84.0, "b7": 84.3}
_EFFICIENTNET_SIDE = {"b0": 224, "b1": 240, "b2": 260, "b3": 300, "b4": 380, "b5": 456, "b6": 528, "b7": 600}

ARCHITECTURES = [
    Architecture("LeNet-5", 1998, "lenet", "lenet5", {}, (1, 28, 28), None, None,
                 "LeCun et al. 1998 (MNIST only, no ImageNet result)", meta=False),
    Architecture("AlexNet", 2012, "alexnet", "alexnet", {"variant": "paper"}, _rgb(224), 40.7, 18.2,
                 "Krizhevsky et al. 2012, Table 2 (1 CNN, validation)", "alexnet", "one-tower variant"),
    Architecture("VGG-16", 2014, "vgg", "vgg", {"name": "D"}, _rgb(224), 25.6, 8.1,
                 "Simonyan & Zisserman 2014, Table 3 (D, S=[256;512], Q=384)", "vgg16"),
    Architecture("VGG-19", 2014, "vgg", "vgg", {"name": "E"}, _rgb(224), 25.5, 8.0,
                 "Simonyan & Zisserman 2014, Table 3 (E, S=[256;512], Q=384)", "vgg19"),
    Architecture("GoogLeNet", 2014, "googlenet", "googlenet", {"variant": "paper"}, _rgb(224), None, 10.07,
                 "Szegedy et al. 2014, Table 3 (1 model, 1 crop; no top-1 printed)", "googlenet",
                 "batch-norm variant"),
    Architecture("ResNet-50", 2015, "resnet", "resnet", {"depth": 50, "variant": "v1"}, _rgb(224), 22.85, 6.71,
                 "He et al. 2015, Table 3 (10-crop testing)", "resnet50", "v1.5: stride in the 3x3 convolution"),
    Architecture("ResNet-152", 2015, "resnet", "resnet", {"depth": 152, "variant": "v1"}, _rgb(224), 21.43, 5.71,
                 "He et al. 2015, Table 3 (10-crop testing)", "resnet152", "v1.5: stride in the 3x3 convolution"),
    Architecture("Xception", 2016, "xception", "xception", {}, _rgb(299), 21.0, 5.5,
                 "Chollet 2016, Table 1 (accuracy 0.790 / 0.945)"),
    Architecture("MobileNet v1", 2017, "mobilenet", "mobilenet_v1", {}, _rgb(224), 29.4, None,
                 "Howard et al. 2017, Table 8 (accuracy 70.6%)"),
    Architecture("SE-ResNet-50", 2017, "senet", "se_resnet", {"depth": 50}, _rgb(224), 23.29, 6.62,
                 "Hu et al. 2017, Table 2"),
    *[
        Architecture(f"EfficientNet-{name.upper()}", 2019, "efficientnet", "efficientnet", {"name": name},
                     _rgb(_EFFICIENTNET_SIDE[name]), round(100 - top1, 1), None,
                     f"Tan & Le 2019, Table 2 (accuracy {top1}%)", f"efficientnet_{name}",
                     "" if name in ("b0", "b1") else "evaluated at a larger crop than the paper's")
        for name, top1 in _EFFICIENTNET_TOP1.items()
    ],
    Architecture("EfficientNet-Lite0", 2020, "efficientnet_lite", "EfficientNetLite0", {}, _rgb(224), 24.9, None,
                 "EfficientNet-Lite README, tensorflow/tpu (accuracy 75.1%)"),
]


def torchvision_top1_error(builder: str) -> float:
    """torchvision's ImageNet top-1 error (%) for its first ImageNet weights of ``builder`` (metadata only)."""
    weights = torchvision.models.get_model_weights(builder).IMAGENET1K_V1
    return round(100 - weights.meta["_metrics"]["ImageNet-1K"]["acc@1"], 3)


def row(architecture: Architecture) -> dict:
    """The table row of one architecture: our counts, the paper's errors, torchvision's error."""
    model = counting.on_meta(architecture.build) if architecture.meta else architecture.build()
    tv = architecture.torchvision
    return {
        "network": architecture.name,
        "year": architecture.year,
        "parameters": counting.count_parameters(model),
        "multiply-adds": counting.count_macs(model, (1, *architecture.input_size)),
        "input": f"{architecture.input_size[1]}x{architecture.input_size[2]}",
        "top-1 error (%)": architecture.top1,
        "top-5 error (%)": architecture.top5,
        "source": architecture.source,
        "torchvision": tv,
        "torchvision top-1 error (%)": torchvision_top1_error(tv) if tv else None,
        "torchvision note": architecture.torchvision_note,
    }


def table(architectures: list[Architecture] = ARCHITECTURES) -> pd.DataFrame:
    """One row per architecture, indexed by name, in the order of the course."""
    return pd.DataFrame([row(a) for a in architectures]).set_index("network")
