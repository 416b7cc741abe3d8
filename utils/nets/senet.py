"""Squeeze-and-Excitation: Hu, Shen, Sun 2017, "Squeeze-and-Excitation Networks" (CVPR 2018,
arXiv:1709.01507). Taught step by step in ``notebooks/07_modern_cnns.ipynb``.

An SE block re-weights the channels of a feature map: it *squeezes* each channel to one number
(global average pooling), passes the C numbers through a bottleneck of two fully connected layers
(C -> C/r, ReLU, C/r -> C, sigmoid) and *excites*: multiplies each channel by its weight in (0, 1).
SE-ResNet-50 puts one on the residual branch of every bottleneck block, before the addition
(the paper's Figure 3), with reduction ratio r = 16. The block is torchvision's
``ops.SqueezeExcitation`` (its fully connected layers written as 1x1 convolutions), which
EfficientNet (``utils.nets.efficientnet``) uses too; the notebook builds it by hand first.
"""
from torchvision.ops import SqueezeExcitation

from utils.nets.resnet import IMAGENET, BottleneckV1, ResNet
from utils.parameters import check_choice, check_int

DEPTHS = (50, 101, 152)  # the bottleneck ResNets of ResNet's Table 1


class SEBottleneck(BottleneckV1):
    """ResNet's bottleneck (the paper's, stride in the first 1x1) with an SE block (``se``) on the residual
    branch, before the addition."""

    reduction = 16

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        channels = self.conv3.out_channels
        self.se = SqueezeExcitation(channels, channels // self.reduction)

    def residual_function(self, x):
        return self.se(super().residual_function(x))


def se_resnet(depth: int = 50, reduction: int = 16, num_classes: int = 1000) -> ResNet:
    """SE-ResNet-``depth`` (50, 101 or 152) with reduction ratio ``reduction`` (a divisor of 256)."""
    check_choice("depth", depth, DEPTHS)
    check_choice("reduction", reduction, (1, 2, 4, 8, 16, 32, 64, 128, 256))
    check_int("num_classes", num_classes, minimum=1)
    block = type(f"SEBottleneck{reduction}", (SEBottleneck,), {"reduction": reduction})
    return ResNet(block, IMAGENET[depth][1], num_classes=num_classes)
