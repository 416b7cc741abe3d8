"""EfficientNet-Lite0, short enough to read in one sitting.

Source: Google's EfficientNet-Lite README (tensorflow/tpu,
``models/official/efficientnet/lite``, March 2020), built on EfficientNet-B0
(Tan and Le, "EfficientNet: Rethinking Model Scaling for Convolutional
Neural Networks", ICML 2019, Table 1). Taught in ``08_transfer_learning``;
used in ``07_modern_cnns``.

EfficientNet-Lite is EfficientNet-B0 made friendly to phones and integer
arithmetic: no squeeze-and-excitation, ReLU6 instead of swish, and a stem
(32 channels) and head (1280 channels) that stay fixed whatever the width
multiplier. Every block is an MBConv (inverted residual):

    1x1 "expand" conv -> BN -> ReLU6            (skipped when expand ratio = 1)
    kxk depthwise conv (stride s) -> BN -> ReLU6
    1x1 "project" conv -> BN                    (no activation: a linear bottleneck)
    + the input, when the block keeps its shape (stride 1, same channels)

The network, input to output: ``stem`` (3x3 conv, stride 2), ``stages``
(the seven rows of ``LITE0``), ``head_conv`` (1x1 conv to 1280 channels),
global average pooling (together: ``features(x)``, the 1280 pooled
features), then ``head`` (dropout and the linear classifier, ``head.fc``).
``named_groups()`` lists these groups by name; ``blocks`` the 16 MBConvs.

TensorFlow pads "same": output = ceil(input / stride), and when the padding
needed is odd the extra pixel goes at the bottom and right, not at the top
and left as PyTorch's symmetric padding would put it. ``tf_padding=False``
gives PyTorch's symmetric padding, to show what the mismatch costs.
``utils.pretrained`` loads the ImageNet weights (whose file names the layers
``_conv_stem``, ``_blocks.N._depthwise_conv``, ...) into these names.

Why its own ``ConvBN`` and ``MBConv`` rather than ``utils.nets.efficientnet``'s
(torchvision's ``Conv2dNormActivation``): TensorFlow's "same" padding, named
sublayers (``conv``, ``bn``, ``act``) that the checkpoint maps onto, and an
MBConv without squeeze-and-excitation or stochastic depth.
"""
from collections import OrderedDict

import torch.nn.functional as F
from torch import nn

from utils.parameters import check_choice, check_float, check_int

# One row per stage: (repeats, kernel, stride of the first block, expand ratio, output channels).
LITE0 = [
    (1, 3, 1, 1, 16),
    (2, 3, 2, 6, 24),
    (2, 5, 2, 6, 40),
    (3, 3, 2, 6, 80),
    (3, 5, 1, 6, 112),
    (4, 5, 2, 6, 192),
    (1, 3, 1, 6, 320),
]
STEM, HEAD = 32, 1280
BN_EPS = 1e-3  # TensorFlow's batch-norm epsilon, used when the weights were trained


def same_padding(size: int, kernel: int, stride: int) -> tuple[int, int]:
    """TensorFlow's "same" padding of one dimension: (before, after), so that output = ceil(size / stride)."""
    total = max((-(-size // stride) - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class SameConv(nn.Conv2d):
    """A bias-free convolution that pads like TensorFlow's "same" (or symmetrically).

    At stride 1 both conventions pad k // 2 on every side. At stride 2,
    TensorFlow pads height and width each just enough for
    output = ceil(input / 2), the odd pixel at the bottom and right.
    """

    def __init__(self, c_in, c_out, kernel, stride=1, groups=1, tf_padding=True):
        self.tf_same = tf_padding and stride > 1
        padding = 0 if self.tf_same else kernel // 2
        super().__init__(c_in, c_out, kernel, stride, padding=padding, groups=groups, bias=False)

    def forward(self, x):
        if self.tf_same:
            (k_h, k_w), (s_h, s_w) = self.kernel_size, self.stride
            x = F.pad(x, (*same_padding(x.shape[-1], k_w, s_w), *same_padding(x.shape[-2], k_h, s_h)))
        return super().forward(x)


class ConvBN(nn.Sequential):
    """conv -> batch norm (-> ReLU6): the unit every layer of the network is made of."""

    def __init__(self, c_in, c_out, kernel, stride=1, groups=1, activation=True, tf_padding=True):
        layers = OrderedDict(conv=SameConv(c_in, c_out, kernel, stride, groups, tf_padding),
                             bn=nn.BatchNorm2d(c_out, eps=BN_EPS))
        if activation:
            layers["act"] = nn.ReLU6()
        super().__init__(layers)


class MBConv(nn.Module):
    """Inverted residual block: expand (1x1), filter (depthwise kxk), project (1x1), add."""

    def __init__(self, c_in, c_out, kernel, stride, expand, tf_padding=True):
        super().__init__()
        hidden = c_in * expand
        self.expand = ConvBN(c_in, hidden, 1) if expand != 1 else nn.Identity()
        self.depthwise = ConvBN(hidden, hidden, kernel, stride, groups=hidden, tf_padding=tf_padding)
        self.project = ConvBN(hidden, c_out, 1, activation=False)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x):
        out = self.project(self.depthwise(self.expand(x)))
        return out + x if self.residual else out


class EfficientNetLite0(nn.Module):
    """Stem conv, seven stages of MBConv blocks (16 in all), 1x1 head conv, average pool, dropout, linear."""

    def __init__(self, num_classes=1000, tf_padding=True, dropout=0.2):
        super().__init__()
        check_int("num_classes", num_classes, minimum=1)
        check_choice("tf_padding", tf_padding, (True, False))
        check_float("dropout", dropout, 0, 1, include_low=True, include_high=False)
        self.stem = ConvBN(3, STEM, 3, stride=2, tf_padding=tf_padding)
        stages, c_in = [], STEM
        for repeats, kernel, stride, expand, c_out in LITE0:
            blocks = []
            for i in range(repeats):
                blocks.append(MBConv(c_in, c_out, kernel, stride if i == 0 else 1, expand, tf_padding))
                c_in = c_out
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.head_conv = ConvBN(c_in, HEAD, 1)
        self.head = nn.Sequential(OrderedDict(dropout=nn.Dropout(dropout), fc=nn.Linear(HEAD, num_classes)))

    @property
    def blocks(self) -> nn.Sequential:
        """The 16 MBConv blocks in order (``blocks[12:]`` runs the last four), shared with ``stages``."""
        return nn.Sequential(*(block for stage in self.stages for block in stage))

    def named_groups(self) -> dict[str, nn.Module]:
        """The network's groups, input to output: stem, stage 1 .. stage 7, head conv, head."""
        stages = {f"stage {i}": stage for i, stage in enumerate(self.stages, start=1)}
        return {"stem": self.stem, **stages, "head conv": self.head_conv, "head": self.head}

    def features(self, x):
        """The 1280 pooled features the classifier reads (the network without its ``head``)."""
        return self.head_conv(self.stages(self.stem(x))).mean(dim=(2, 3))

    def forward(self, x):
        return self.head(self.features(x))
