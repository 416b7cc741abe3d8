"""AlexNet: Krizhevsky, Sutskever & Hinton (2012), "ImageNet Classification with
Deep Convolutional Neural Networks", NIPS 2012; taught in notebooks/02_alexnet.ipynb.

Two variants from one configuration table:

- ``"paper"``: the network of section 3.5, two towers written as grouped
  convolutions (``groups=2`` in conv2, conv4 and conv5, where a kernel sees
  only the maps on its own GPU), local response normalisation after conv1 and
  conv2, dropout on the outputs of fc6 and fc7: 60,965,224 parameters.
- ``"torchvision"``: torchvision's one-tower ``alexnet`` (64-192-384-256-256
  kernels, no LRN, no groups, dropout on the inputs of fc6 and fc7, adaptive
  average pooling); its state dict loads into ours with ``strict=True``.
"""
import torch
from torch import nn

from utils.parameters import check_choice, check_int

# Section 3.3: k = 2, n = 5, alpha = 1e-4, beta = 0.75. The paper's sum of squares is multiplied by
# alpha; nn.LocalResponseNorm multiplies it by alpha / n, so it must be given n * alpha.
LRN = {"size": 5, "alpha": 5 * 1e-4, "beta": 0.75, "k": 2.0}

# A convolution is (kernels, kernel size, stride, padding, groups), as the paper writes
# "96 kernels of size 11x11x3 with a stride of 4"; "LRN" and "pool" (overlapping 3x3, stride 2) are layers.
CONFIGS = {
    "paper": {  # section 3.5, on a 224x224 RGB image (the 2-pixel padding of conv1 gives the paper's 55x55)
        "in_channels": 3,
        "features": [(96, 11, 4, 2, 1), "LRN", "pool", (256, 5, 1, 2, 2), "LRN", "pool",
                     (384, 3, 1, 1, 1), (384, 3, 1, 1, 2), (256, 3, 1, 1, 2), "pool"],
        "pool_padding": 0, "pooled": 6, "hidden": 4096, "adaptive_pool": False, "dropout_first": False,
    },
    "torchvision": {  # torchvision/models/alexnet.py
        "in_channels": 3,
        "features": [(64, 11, 4, 2, 1), "pool", (192, 5, 1, 2, 1), "pool",
                     (384, 3, 1, 1, 1), (256, 3, 1, 1, 1), (256, 3, 1, 1, 1), "pool"],
        "pool_padding": 0, "pooled": 6, "hidden": 4096, "adaptive_pool": True, "dropout_first": True,
    },
}


def make_features(config: dict, activation=nn.ReLU) -> tuple[nn.Sequential, int]:
    """The convolutional part described by ``config["features"]``, and its number of output channels."""
    layers, channels = [], config["in_channels"]
    for spec in config["features"]:
        if spec == "LRN":
            layers.append(nn.LocalResponseNorm(**LRN))
        elif spec == "pool":
            layers.append(nn.MaxPool2d(kernel_size=3, stride=2, padding=config["pool_padding"]))
        else:
            out, kernel, stride, padding, groups = spec
            layers += [nn.Conv2d(channels, out, kernel, stride, padding, groups=groups), activation()]
            channels = out
    return nn.Sequential(*layers), channels


class AlexNet(nn.Module):
    """Convolutions from ``config``, then fc6 and fc7 (ReLU, dropout) and the output layer fc8."""

    def __init__(self, config: dict, num_classes: int = 1000, activation=nn.ReLU, dropout: float = 0.5):
        super().__init__()
        self.features, channels = make_features(config, activation)
        side, width = config["pooled"], config["hidden"]
        self.avgpool = nn.AdaptiveAvgPool2d(side) if config["adaptive_pool"] else nn.Identity()
        layers = []
        for fan_in in (channels * side * side, width):  # fc6 and fc7
            fc = [nn.Linear(fan_in, width), activation()]
            layers += [nn.Dropout(dropout), *fc] if config["dropout_first"] else [*fc, nn.Dropout(dropout)]
        self.classifier = nn.Sequential(*layers, nn.Linear(width, num_classes))  # softmax is in the loss

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def alexnet(variant: str = "paper", num_classes: int = 1000) -> AlexNet:
    """AlexNet as published (``"paper"``) or as torchvision builds it (``"torchvision"``)."""
    check_choice("variant", variant, CONFIGS)
    check_int("num_classes", num_classes)
    return AlexNet(CONFIGS[variant], num_classes=num_classes)
