"""VGG: Simonyan & Zisserman 2014, "Very Deep Convolutional Networks for Large-Scale Image Recognition".

Taught in ``notebooks/03_vgg.ipynb``, which builds these networks step by step
from the same table and checks that its networks and this module's are the
same. ``TABLE_1`` is the paper's Table 1 in its own notation: per
configuration, five blocks of ``conv<kernel>-<channels>`` entries (and
``LRN`` in A-LRN), each block closed by a 2x2 max-pool; then FC-4096,
FC-4096, FC-1000. The module layout is torchvision's (``features``,
``avgpool``, ``classifier``), so torchvision's vgg11/13/16/19 weights load
into A, B, D, E with ``strict=True``.
"""
import torch
from torch import nn

from utils.nets.alexnet import LRN
from utils.parameters import check_choice, check_float, check_int

TABLE_1 = {
    "A":     [["conv3-64"], ["conv3-128"], ["conv3-256"] * 2, ["conv3-512"] * 2, ["conv3-512"] * 2],
    "A-LRN": [["conv3-64", "LRN"], ["conv3-128"], ["conv3-256"] * 2, ["conv3-512"] * 2, ["conv3-512"] * 2],
    "B":     [["conv3-64"] * 2, ["conv3-128"] * 2, ["conv3-256"] * 2, ["conv3-512"] * 2, ["conv3-512"] * 2],
    "C":     [["conv3-64"] * 2, ["conv3-128"] * 2, ["conv3-256"] * 2 + ["conv1-256"],
              ["conv3-512"] * 2 + ["conv1-512"], ["conv3-512"] * 2 + ["conv1-512"]],
    "D":     [["conv3-64"] * 2, ["conv3-128"] * 2, ["conv3-256"] * 3, ["conv3-512"] * 3, ["conv3-512"] * 3],
    "E":     [["conv3-64"] * 2, ["conv3-128"] * 2, ["conv3-256"] * 4, ["conv3-512"] * 4, ["conv3-512"] * 4],
}
TORCHVISION_NAMES = {"A": "vgg11", "B": "vgg13", "D": "vgg16", "E": "vgg19"}  # the configurations torchvision has
DIVISORS = (1, 2, 4, 8, 16, 32, 64)  # narrowing factors that divide every width of Table 1


class VGG(nn.Module):
    """Convolutional ``features``, an adaptive average pool to ``pooled`` x ``pooled``, FC6-FC8."""

    def __init__(self, features: nn.Sequential, channels: int, num_classes: int = 1000, fc: int = 4096,
                 pooled: int = 7, dropout: float = 0.5):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d(pooled)
        self.classifier = nn.Sequential(
            nn.Linear(channels * pooled * pooled, fc), nn.ReLU(inplace=True), nn.Dropout(dropout),  # FC6
            nn.Linear(fc, fc), nn.ReLU(inplace=True), nn.Dropout(dropout),                          # FC7
            nn.Linear(fc, num_classes),                                                             # FC8
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(torch.flatten(self.avgpool(self.features(x)), 1))


def features(name: str, in_channels: int = 3, divisor: int = 1) -> nn.Sequential:
    """Table 1's column ``name`` as layers: conv<k>-<c> is a k x k convolution and a ReLU, LRN is AlexNet's
    normalisation, each block ends in a 2x2 max-pool; ``divisor`` narrows every convolution."""
    layers, channels = [], in_channels
    for block in TABLE_1[name]:
        for entry in block:
            if entry == "LRN":
                layers.append(nn.LocalResponseNorm(**LRN))
            else:
                kernel, width = map(int, entry.removeprefix("conv").split("-"))
                layers += [nn.Conv2d(channels, width // divisor, kernel, padding=kernel // 2), nn.ReLU(inplace=True)]
                channels = width // divisor
        layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
    return nn.Sequential(*layers)


def vgg(name: str, num_classes: int = 1000, *, in_channels: int = 3, divisor: int = 1, fc: int = 4096,
        pooled: int = 7, dropout: float = 0.5) -> VGG:
    """The network of Table 1's column ``name`` ("A", "A-LRN", "B", "C", "D" or "E").

    The defaults are the paper's network. ``divisor``, ``fc`` and ``pooled`` shrink it (every convolution
    ``divisor`` times narrower, hidden FC layers ``fc`` wide, features pooled to ``pooled`` x ``pooled``),
    as the notebook's small experiment does.
    """
    check_choice("name", name, TABLE_1)
    check_choice("divisor", divisor, DIVISORS)
    for argument, value in (("num_classes", num_classes), ("in_channels", in_channels), ("fc", fc),
                            ("pooled", pooled)):
        check_int(argument, value)
    check_float("dropout", dropout, 0, 1, include_low=True, include_high=False)
    layers = features(name, in_channels, divisor)
    channels = [m for m in layers if isinstance(m, nn.Conv2d)][-1].out_channels
    return VGG(layers, channels, num_classes, fc, pooled, dropout)
