"""EfficientNet-B0 to B7: Tan & Le 2019, "EfficientNet: Rethinking Model Scaling for Convolutional Neural
Networks" (ICML 2019, arXiv:1905.11946). Taught step by step in ``notebooks/07_modern_cnns.ipynb``.

B0 is the paper's Table 1: a 3x3 stem, seven stages of MBConv blocks (inverted residuals with
squeeze-and-excitation and the swish/SiLU activation), a 1x1 head convolution, pooling and one linear
layer. B1 to B7 scale B0's width (channels), depth (blocks per stage) and input resolution together
(compound scaling, section 3.3). The coefficients below are those of the authors' code
(tensorflow/tpu, ``efficientnet_builder.py``), which torchvision also uses; the module and attribute
names follow torchvision's ``models/efficientnet.py``, so its state dicts load here with ``strict=True``.

Why a second MBConv beside ``utils.nets.efficientnet_lite``'s: this one has squeeze-and-excitation, swish and
stochastic depth under torchvision's names; Lite's has none of the three, pads as TensorFlow does and names its
layers for the TensorFlow checkpoint it loads. One class with switches for all that would teach neither.
"""
import math
from functools import partial

from torch import nn
from torchvision.ops import Conv2dNormActivation, StochasticDepth

from utils.nets.senet import SqueezeExcitation
from utils.parameters import check_choice, check_int

# Table 1 of the paper, one row per stage: (operator, kernel, input resolution, output channels, layers).
# A stage's stride is its input resolution over the next stage's: 112 -> 112 is 1, 112 -> 56 is 2.
TABLE_1 = [
    ("Conv3x3", 3, 224, 32, 1),
    ("MBConv1", 3, 112, 16, 1),
    ("MBConv6", 3, 112, 24, 2),
    ("MBConv6", 5, 56, 40, 2),
    ("MBConv6", 3, 28, 80, 3),
    ("MBConv6", 5, 14, 112, 3),
    ("MBConv6", 5, 14, 192, 4),
    ("MBConv6", 3, 7, 320, 1),
    ("Conv1x1 & Pooling & FC", 1, 7, 1280, 1),
]
# name: (width coefficient, depth coefficient, input resolution, dropout before the classifier).
SCALING = {
    "b0": (1.0, 1.0, 224, 0.2),
    "b1": (1.0, 1.1, 240, 0.2),
    "b2": (1.1, 1.2, 260, 0.3),
    "b3": (1.2, 1.4, 300, 0.3),
    "b4": (1.4, 1.8, 380, 0.4),
    "b5": (1.6, 2.2, 456, 0.4),
    "b6": (1.8, 2.6, 528, 0.5),
    "b7": (2.0, 3.1, 600, 0.5),
}
ALPHA, BETA, GAMMA = 1.2, 1.1, 1.15  # section 4: depth, width and resolution grow as alpha^phi, beta^phi, gamma^phi
STOCHASTIC_DEPTH = 0.2  # drop probability of the last block's residual branch in training (torchvision's default)


def round_channels(channels: float) -> int:
    """Channels scaled by the width coefficient, rounded to a multiple of 8 (never more than 10% down)."""
    rounded = max(8, int(channels + 4) // 8 * 8)
    return rounded + 8 if rounded < 0.9 * channels else rounded


def round_repeats(layers: int, depth: float) -> int:
    return math.ceil(layers * depth)


def conv_bn(c_in: int, c_out: int, kernel: int, stride: int = 1, groups: int = 1, act: bool = True, eps=1e-5):
    """Convolution (no bias), batch norm and, unless ``act`` is False, SiLU (the paper's swish): torchvision's
    ``Conv2dNormActivation``, as in torchvision's EfficientNet."""
    return Conv2dNormActivation(c_in, c_out, kernel, stride, groups=groups, norm_layer=partial(nn.BatchNorm2d, eps=eps),
                                activation_layer=nn.SiLU if act else None)


class MBConv(nn.Module):
    """Expand (1x1, unless the ratio is 1), depthwise kxk, squeeze-and-excitation, project (1x1, linear), add."""

    def __init__(self, c_in, c_out, kernel, stride, expand, drop=0.0, eps=1e-5):
        super().__init__()
        hidden = round_channels(c_in * expand)
        layers = [conv_bn(c_in, hidden, 1, eps=eps)] if hidden != c_in else []
        layers += [
            conv_bn(hidden, hidden, kernel, stride, groups=hidden, eps=eps),
            SqueezeExcitation(hidden, max(1, c_in // 4), activation=nn.SiLU),
            conv_bn(hidden, c_out, 1, act=False, eps=eps),
        ]
        self.block = nn.Sequential(*layers)
        self.stochastic_depth = StochasticDepth(drop, "row")
        self.use_res_connect = stride == 1 and c_in == c_out

    def forward(self, x):
        out = self.block(x)
        return x + self.stochastic_depth(out) if self.use_res_connect else out


class EfficientNet(nn.Module):
    """``features`` (stem, seven stages, head convolution), ``avgpool``, ``classifier`` (dropout, linear)."""

    def __init__(self, width=1.0, depth=1.0, dropout=0.2, num_classes=1000, eps=1e-5):
        super().__init__()
        stem, *stages, head = TABLE_1
        total = sum(round_repeats(row[4], depth) for row in stages)
        c_in, index = round_channels(stem[3] * width), 0
        layers = [conv_bn(3, c_in, 3, stride=2, eps=eps)]
        for (operator, kernel, size, c_out, repeats), following in zip(stages, [*stages[1:], head]):
            stride, expand = size // following[2], int(operator.removeprefix("MBConv"))
            c_out, stage = round_channels(c_out * width), []
            for i in range(round_repeats(repeats, depth)):
                drop = STOCHASTIC_DEPTH * index / total  # grows linearly with the block's position
                stage.append(MBConv(c_in, c_out, kernel, stride if i == 0 else 1, expand, drop, eps))
                c_in, index = c_out, index + 1
            layers.append(nn.Sequential(*stage))
        layers.append(conv_bn(c_in, round_channels(head[3] * width), 1, eps=eps))
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Dropout(dropout, inplace=True), nn.Linear(round_channels(head[3] * width), num_classes))

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


def resolution(name: str) -> int:
    """The input side EfficientNet-``name`` was designed for (224 for B0 ... 600 for B7)."""
    return SCALING[check_choice("name", name, SCALING)][2]


def efficientnet(name: str = "b0", num_classes: int = 1000) -> EfficientNet:
    """EfficientNet-``name``, "b0" to "b7" (torchvision's batch-norm epsilon: 1e-5, and 1e-3 from B5 on)."""
    width, depth, _, dropout = SCALING[check_choice("name", name, SCALING)]
    check_int("num_classes", num_classes, minimum=1)
    return EfficientNet(width, depth, dropout, num_classes, eps=1e-3 if name in ("b5", "b6", "b7") else 1e-5)
