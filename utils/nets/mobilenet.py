"""MobileNet v1: Howard et al. 2017, "MobileNets: Efficient Convolutional Neural Networks for Mobile Vision
Applications" (arXiv:1704.04861). Taught step by step in ``notebooks/07_modern_cnns.ipynb``.

The body of the paper's Table 1 is one full 3x3 convolution followed by 13 depthwise separable
convolutions: a 3x3 depthwise convolution (one filter per channel) and a 1x1 pointwise convolution
that mixes the channels, each followed by batch norm and ReLU. Then a global average pool and one
fully connected layer. The width multiplier (section 3.3) thins every layer's channels by ``width``.

Table 1 prints stride 2 for the last depthwise layer, but also prints its input and output as 7x7;
a stride of 2 would give 4x4, so the body here uses stride 1 there, as every implementation does.
"""
from torch import nn
from torchvision.ops import Conv2dNormActivation

from utils.parameters import check_float, check_int

# Table 1, one row per depthwise separable convolution: (stride of the 3x3 depthwise conv, 1x1 output channels).
STEM = 32  # "Conv / s2, 3 x 3 x 3 x 32"
TABLE_1 = [(1, 64), (2, 128), (1, 128), (2, 256), (1, 256), (2, 512), *[(1, 512)] * 5, (2, 1024), (1, 1024)]
WIDTHS = (1.0, 0.75, 0.5, 0.25)  # the width multipliers of Table 6


def conv_bn_relu(c_in: int, c_out: int, kernel: int, stride: int = 1, groups: int = 1) -> Conv2dNormActivation:
    """Convolution (no bias: batch norm follows), batch norm, ReLU: the paper's Figure 3 unit (torchvision's
    ``Conv2dNormActivation``, as in torchvision's own MobileNets)."""
    return Conv2dNormActivation(c_in, c_out, kernel, stride, groups=groups, activation_layer=nn.ReLU)


class DepthwiseSeparable(nn.Sequential):
    """A 3x3 depthwise convolution (``groups=c_in``: one filter per channel), then a 1x1 pointwise one."""

    def __init__(self, c_in: int, c_out: int, stride: int):
        super().__init__()
        self.depthwise = conv_bn_relu(c_in, c_in, 3, stride, groups=c_in)
        self.pointwise = conv_bn_relu(c_in, c_out, 1)


class MobileNetV1(nn.Module):
    """``features`` (stem and 13 separable convolutions), ``avgpool``, ``classifier`` (one linear layer)."""

    def __init__(self, width: float = 1.0, num_classes: int = 1000):
        super().__init__()
        channels = int(STEM * width)
        layers = [conv_bn_relu(3, channels, 3, stride=2)]
        for stride, c_out in TABLE_1:
            layers.append(DepthwiseSeparable(channels, int(c_out * width), stride))
            channels = int(c_out * width)
        self.features = nn.Sequential(*layers)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(channels, num_classes)

    def forward(self, x):
        return self.classifier(self.avgpool(self.features(x)).flatten(1))


def mobilenet_v1(width: float = 1.0, num_classes: int = 1000) -> MobileNetV1:
    """MobileNet v1 with width multiplier ``width`` (1/32 to 1, so the stem keeps a channel; Table 6 uses 1, 0.75, 0.5, 0.25)."""
    check_float("width", width, 1 / STEM, 1, include_low=True)
    check_int("num_classes", num_classes, minimum=1)
    return MobileNetV1(width, num_classes)
