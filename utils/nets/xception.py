"""Xception: François Chollet 2016, "Xception: Deep Learning with Depthwise Separable Convolutions" (CVPR 2017).

Taught in ``notebooks/06_xception.ipynb``, which builds this network step by
step from the same table and checks that its network and this module's are
the same. ``FIGURE_5`` is the paper's Figure 5 in its own notation, read top
to bottom, one list per flow:

- ``"conv 32 3x3 /2"``: a regular convolution, 32 filters of 3x3, stride 2, no padding;
- ``"sep 128 3x3"``: a depthwise-separable convolution (3x3 depthwise, then 1x1 pointwise to 128 channels);
- ``"relu"``, and ``"pool"``: a 3x3 max-pool of stride 2;
- a nested list is a residual block: its layers, plus a shortcut that is the identity, or a 1x1
  convolution of stride 2 when the block pools.

As the figure's caption says, every convolution (regular or separable) is
followed by batch normalisation and no convolution has a bias; the
separable convolutions have a depth multiplier of 1. After the exit flow
come global average pooling and the logistic regression (a linear layer).
"""
import torch
from torch import nn

from utils.parameters import check_int

FIGURE_5 = {
    "entry": [
        "conv 32 3x3 /2", "relu", "conv 64 3x3", "relu",
        ["sep 128 3x3", "relu", "sep 128 3x3", "pool"],
        ["relu", "sep 256 3x3", "relu", "sep 256 3x3", "pool"],
        ["relu", "sep 728 3x3", "relu", "sep 728 3x3", "pool"],
    ],
    "middle": [["relu", "sep 728 3x3", "relu", "sep 728 3x3", "relu", "sep 728 3x3"]] * 8,
    "exit": [
        ["relu", "sep 728 3x3", "relu", "sep 1024 3x3", "pool"],
        "sep 1536 3x3", "relu", "sep 2048 3x3", "relu",
    ],
}


class SeparableConv2d(nn.Sequential):
    """A depthwise k x k convolution (one filter per channel, ``groups=c_in``), then a 1x1 pointwise one."""

    def __init__(self, c_in: int, c_out: int, kernel_size: int = 3):
        super().__init__()
        self.depthwise = nn.Conv2d(c_in, c_in, kernel_size, padding=kernel_size // 2, groups=c_in, bias=False)
        self.pointwise = nn.Conv2d(c_in, c_out, 1, bias=False)


def layer(entry: str, channels: int) -> tuple[list[nn.Module], int]:
    """The modules of one entry of ``FIGURE_5`` and the channels they output."""
    kind, *spec = entry.split()
    if kind == "relu":
        return [nn.ReLU()], channels
    if kind == "pool":
        return [nn.MaxPool2d(3, stride=2, padding=1)], channels
    width, kernel = int(spec[0]), int(spec[1].split("x")[0])
    if kind == "sep":
        return [SeparableConv2d(channels, width, kernel), nn.BatchNorm2d(width)], width
    stride = int(spec[2].removeprefix("/")) if len(spec) > 2 else 1
    return [nn.Conv2d(channels, width, kernel, stride, bias=False), nn.BatchNorm2d(width)], width


class Block(nn.Module):
    """A residual block: ``residual(x) + shortcut(x)``; the shortcut is a 1x1 convolution of stride 2
    (and batch norm) when the block pools, else the identity."""

    def __init__(self, entries: list[str], channels: int):
        super().__init__()
        layers, width = [], channels
        for entry in entries:
            modules, width = layer(entry, width)
            layers += modules
        self.residual = nn.Sequential(*layers)
        if "pool" in entries:
            self.shortcut = nn.Sequential(nn.Conv2d(channels, width, 1, stride=2, bias=False), nn.BatchNorm2d(width))
        else:
            self.shortcut = nn.Identity()
        self.out_channels = width

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.residual(x) + self.shortcut(x)


def flow(entries: list, channels: int) -> tuple[nn.Sequential, int]:
    """One flow of ``FIGURE_5`` as a Sequential, and the channels it outputs."""
    modules = []
    for entry in entries:
        if isinstance(entry, list):
            modules.append(Block(entry, channels))
            channels = modules[-1].out_channels
        else:
            parts, channels = layer(entry, channels)
            modules += parts
    return nn.Sequential(*modules), channels


class Xception(nn.Module):
    """The entry, middle and exit flows of ``figure``, global average pooling, and a linear classifier."""

    def __init__(self, figure: dict = FIGURE_5, num_classes: int = 1000, in_channels: int = 3):
        super().__init__()
        self.entry, channels = flow(figure["entry"], in_channels)
        self.middle, channels = flow(figure["middle"], channels)
        self.exit, channels = flow(figure["exit"], channels)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = self.exit(self.middle(self.entry(x)))
        return self.fc(torch.flatten(self.avgpool(features), 1))


def xception(num_classes: int = 1000, *, in_channels: int = 3) -> Xception:
    """Xception as in the paper's Figure 5: 22,855,952 parameters with 1,000 classes (Table 3). It was
    designed for 299x299 images (the exit flow then ends at 10x10); any side of at least 7 runs."""
    check_int("num_classes", num_classes)
    check_int("in_channels", in_channels)
    return Xception(FIGURE_5, num_classes, in_channels)
