"""GoogLeNet: Szegedy et al. 2014, "Going Deeper with Convolutions" (arXiv:1409.4842).

Taught in ``notebooks/04_googlenet.ipynb``, which builds the network step by
step from the same table and checks that its network and this module's are
the same. ``TABLE_1`` holds the widths of the nine Inception modules in the
paper's own columns (``COLUMNS``); ``VARIANTS`` holds what differs between
the paper's network and torchvision's ``googlenet``:

- ``"paper"``: Table 1 and Figure 3: plain convolutions with biases and
  ReLU, local response normalisation in the stem, 5x5 convolutions in the
  third branch, 3x3/2 max-pools, auxiliary heads that average-pool 5x5 with
  stride 3, 40% dropout before the classifier: 6,998,552 parameters without
  the auxiliary heads, 13,378,280 with them.
- ``"torchvision"``: every convolution followed by batch norm (and no
  bias), no LRN, 3x3 where the paper has 5x5, a 2x2/2 pool before 5a,
  adaptive 4x4 pooling in the auxiliary heads, 20% dropout: 6,624,904
  parameters without the auxiliary heads. The attribute names are
  torchvision's, so its state dict loads into ours with ``strict=True``.

In training mode a network with auxiliary heads returns ``(main, aux1, aux2)``
(aux1 reads inception 4a, aux2 reads 4d); in eval mode only the main output,
as the paper discards the auxiliary classifiers at inference.
"""
import math
from functools import partial

import torch
import torch.nn.functional as F
from torch import nn

from utils.parameters import check_choice, check_int

COLUMNS = ("#1x1", "#3x3 reduce", "#3x3", "#5x5 reduce", "#5x5", "pool proj")
TABLE_1 = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}
STAGES = (("3a", "3b"), ("4a", "4b", "4c", "4d", "4e"), ("5a", "5b"))  # a 3x3/2 max-pool before stages 4 and 5
AUX_AFTER = {"aux1": "4a", "aux2": "4d"}

# A stem entry is (name, output channels, kernel, stride) for a convolution with ReLU, or the name of a
# 3x3/2 max-pool ("maxpool...") or of a local response normalisation ("lrn...").
VARIANTS = {
    "paper": {
        "stem": [("conv1", 64, 7, 2), "maxpool1", "lrn1", ("conv2", 64, 1, 1), ("conv3", 192, 3, 1), "lrn2",
                 "maxpool2"],
        "batch_norm": False, "big_kernel": 5, "last_pool": 3, "aux_pool": "5x5/3", "aux_grid": 4, "dropout": 0.4,
    },
    "torchvision": {
        "stem": [("conv1", 64, 7, 2), "maxpool1", ("conv2", 64, 1, 1), ("conv3", 192, 3, 1), "maxpool2"],
        "batch_norm": True, "big_kernel": 3, "last_pool": 2, "aux_pool": "adaptive", "aux_grid": 4, "dropout": 0.2,
    },
}
# Figure 3 shows LocalRespNorm without constants; these are the Caffe reference GoogLeNet's (bvlc_googlenet).
LRN = {"size": 5, "alpha": 1e-4, "beta": 0.75, "k": 1.0}


class ConvReLU(nn.Module):
    """A convolution that keeps the image size (stride 1), then ReLU; with ``batch_norm`` it is
    torchvision's BasicConv2d: no bias, batch norm (eps 0.001) before the ReLU."""

    def __init__(self, c_in: int, c_out: int, kernel: int, stride: int = 1, batch_norm: bool = False):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, kernel, stride, padding=kernel // 2, bias=not batch_norm)
        self.bn = nn.BatchNorm2d(c_out, eps=0.001) if batch_norm else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.bn(self.conv(x)))


class Inception(nn.Module):
    """Four branches side by side, concatenated: 1x1; 1x1 then 3x3; 1x1 then ``big_kernel``; 3x3 max-pool
    then 1x1 (Figure 2b). Every branch keeps the image size, so the outputs stack along the channels."""

    def __init__(self, c_in: int, n1: int, n3_reduce: int, n3: int, n5_reduce: int, n5: int, pool_proj: int,
                 big_kernel: int = 5, batch_norm: bool = False):
        super().__init__()
        conv = partial(ConvReLU, batch_norm=batch_norm)
        self.branch1 = conv(c_in, n1, 1)
        self.branch2 = nn.Sequential(conv(c_in, n3_reduce, 1), conv(n3_reduce, n3, 3))
        self.branch3 = nn.Sequential(conv(c_in, n5_reduce, 1), conv(n5_reduce, n5, big_kernel))
        self.branch4 = nn.Sequential(nn.MaxPool2d(3, stride=1, padding=1, ceil_mode=True), conv(c_in, pool_proj, 1))
        self.out_channels = n1 + n3 + n5 + pool_proj

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.cat([self.branch1(x), self.branch2(x), self.branch3(x), self.branch4(x)], 1)


class AuxHead(nn.Module):
    """An auxiliary classifier: average pool to ``grid`` x ``grid``, 1x1 convolution (128), FC 1024 with
    ReLU, 70% dropout, linear classifier (section 5); ``divisor`` narrows the 128 and the 1024."""

    def __init__(self, c_in: int, num_classes: int, pool: str, grid: int = 4, batch_norm: bool = False,
                 divisor: int = 1):
        super().__init__()
        reduce, hidden = 128 // divisor, 1024 // divisor
        self.pool = nn.AvgPool2d(5, stride=3) if pool == "5x5/3" else nn.AdaptiveAvgPool2d(grid)
        self.conv = ConvReLU(c_in, reduce, 1, batch_norm=batch_norm)
        self.fc1 = nn.Linear(reduce * grid * grid, hidden)
        self.dropout = nn.Dropout(0.7)
        self.fc2 = nn.Linear(hidden, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.flatten(self.conv(self.pool(x)), 1)
        return self.fc2(self.dropout(F.relu(self.fc1(x))))


class GoogLeNet(nn.Module):
    """The stem of ``config``, the nine Inception modules of ``table`` in three stages, global average
    pooling, dropout and one linear classifier; auxiliary heads on 4a and 4d when ``aux_logits``.

    ``divisor`` divides every width of the table (rounding up) and of the auxiliary heads, for small
    experiments; ``in_channels`` is 3 for photographs.
    """

    def __init__(self, config: dict, table: dict = TABLE_1, num_classes: int = 1000, aux_logits: bool = False,
                 in_channels: int = 3, divisor: int = 1):
        super().__init__()
        self.aux_logits = aux_logits
        self.stem = []
        channels = in_channels
        for entry in config["stem"]:
            if isinstance(entry, tuple):
                name, width, kernel, stride = entry
                layer = ConvReLU(channels, math.ceil(width / divisor), kernel, stride, config["batch_norm"])
                channels = layer.conv.out_channels
            elif entry.startswith("maxpool"):
                name, layer = entry, nn.MaxPool2d(3, stride=2, ceil_mode=True)
            else:
                name, layer = entry, nn.LocalResponseNorm(**LRN)
            setattr(self, name, layer)
            self.stem.append(name)
        self.stages = []
        for number, stage in enumerate(STAGES, start=3):
            if number > 3:  # torchvision's names: maxpool3 before stage 4, maxpool4 before stage 5
                kernel = 3 if number == 4 else config["last_pool"]
                setattr(self, f"maxpool{number - 1}", nn.MaxPool2d(kernel, stride=2, ceil_mode=True))
            for key in stage:
                widths = [math.ceil(w / divisor) for w in table[key]]
                module = Inception(channels, *widths, big_kernel=config["big_kernel"], batch_norm=config["batch_norm"])
                setattr(self, f"inception{key}", module)
                channels = module.out_channels
            self.stages.append([f"inception{key}" for key in stage])
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(config["dropout"])
        self.fc = nn.Linear(channels, num_classes)
        if aux_logits:  # built last, so that the rest starts from the same random weights with or without them
            for name, key in AUX_AFTER.items():
                c_in = getattr(self, f"inception{key}").out_channels
                setattr(self, name, AuxHead(c_in, num_classes, config["aux_pool"], config["aux_grid"],
                                            config["batch_norm"], divisor))

    def forward(self, x: torch.Tensor):
        for name in self.stem:
            x = getattr(self, name)(x)
        aux = []
        for number, stage in enumerate(self.stages, start=3):
            if number > 3:
                x = getattr(self, f"maxpool{number - 1}")(x)
            for name in stage:
                x = getattr(self, name)(x)
                for head, key in AUX_AFTER.items():
                    if self.aux_logits and self.training and name == f"inception{key}":
                        aux.append(getattr(self, head)(x))
        x = self.fc(self.dropout(torch.flatten(self.avgpool(x), 1)))
        return (x, *aux) if aux else x


def googlenet(aux_logits: bool = False, variant: str = "paper", *, num_classes: int = 1000) -> GoogLeNet:
    """GoogLeNet as Table 1 describes it (``"paper"``) or as torchvision builds it (``"torchvision"``),
    with the two auxiliary classifiers when ``aux_logits`` is True."""
    check_choice("aux_logits", aux_logits, (False, True))
    check_choice("variant", variant, VARIANTS)
    check_int("num_classes", num_classes)
    return GoogLeNet(VARIANTS[variant], num_classes=num_classes, aux_logits=aux_logits)
