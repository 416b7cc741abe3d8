"""ResNet: He, Zhang, Ren, Sun 2015, "Deep Residual Learning for Image Recognition" (arXiv:1512.03385).

Taught step by step in notebooks/05_resnet.ipynb. Modelled on torchvision's
``models/resnet.py``, with its attribute names (``conv1, bn1, relu, maxpool,
layer1..layer4, avgpool, fc``; blocks ``conv1, bn1, conv2, bn2, [conv3, bn3],
downsample``), so torchvision's state dicts load with ``strict=True``.

- ``IMAGENET``: Table 1 as data, depth -> (block, blocks per stage).
- ``resnet(depth, variant)``: "v1" is the paper (a bottleneck's stride on its
  first 1x1 convolution); "torchvision" is torchvision's "v1.5" (stride on the
  3x3), whose weights load into it.
- ``ResNet(block, layers, num_classes, shortcut, in_channels)`` takes the block class, so a subclass (an SE
  bottleneck, say) builds a whole network; ``shortcut`` picks the paper's
  option "A" (zero-padding identity), "B" (projection where the shape
  changes: torchvision's), "C" (projection everywhere) or "none" (the plain
  network of the paper's Figure 3, without shortcuts).
- ``cifar_resnet(depth)``: section 4.2's 6n+2-layer CIFAR-10 networks with
  option A shortcuts; ``cifar_plain(depth)`` their plain counterparts.
"""
import torch
from torch import nn

from utils.errors import ParameterError
from utils.parameters import check_choice, check_int

# Table 1: depth -> (block, blocks in conv2_x, conv3_x, conv4_x, conv5_x).
IMAGENET = {
    18: ("basic", [2, 2, 2, 2]),
    34: ("basic", [3, 4, 6, 3]),
    50: ("bottleneck", [3, 4, 6, 3]),
    101: ("bottleneck", [3, 4, 23, 3]),
    152: ("bottleneck", [3, 8, 36, 3]),
}
SHORTCUTS = ("A", "B", "C", "none")
VARIANTS = ("v1", "torchvision")


def conv3x3(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_planes, out_planes, 3, stride=stride, padding=1, bias=False)


def conv1x1(in_planes: int, out_planes: int, stride: int = 1) -> nn.Conv2d:
    return nn.Conv2d(in_planes, out_planes, 1, stride=stride, bias=False)


class PadShortcut(nn.Module):
    """Option A: the identity, subsampled by ``stride`` and padded with zero channels up to ``out_planes``."""

    def __init__(self, in_planes: int, out_planes: int, stride: int):
        super().__init__()
        self.extra, self.stride = out_planes - in_planes, stride

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x[:, :, :: self.stride, :: self.stride]
        return nn.functional.pad(x, (0, 0, 0, 0, 0, self.extra))


class BasicBlock(nn.Module):
    """Two 3x3 convolutions (Figure 5, left): out = relu(F(x) + shortcut(x)); without the sum if not residual."""

    expansion = 1

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: nn.Module | None = None, *,
                 residual: bool = True):
        super().__init__()
        self.conv1 = conv3x3(inplanes, planes, stride)
        self.bn1 = nn.BatchNorm2d(planes)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = conv3x3(planes, planes)
        self.bn2 = nn.BatchNorm2d(planes)
        self.downsample = downsample
        self.stride = stride
        self.residual = residual

    def residual_function(self, x: torch.Tensor) -> torch.Tensor:
        return self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.residual_function(x)
        if self.residual:
            out = out + (x if self.downsample is None else self.downsample(x))
        return self.relu(out)


class Bottleneck(nn.Module):
    """1x1 reduce, 3x3, 1x1 expand (Figure 5, right). The stride sits on the 3x3 (torchvision's "v1.5");
    a subclass with ``stride_in_1x1 = True`` (``BottleneckV1``) puts it on the first 1x1, as the paper does."""

    expansion = 4
    stride_in_1x1 = False

    def __init__(self, inplanes: int, planes: int, stride: int = 1, downsample: nn.Module | None = None, *,
                 residual: bool = True):
        super().__init__()
        first, middle = (stride, 1) if self.stride_in_1x1 else (1, stride)
        self.conv1 = conv1x1(inplanes, planes, first)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = conv3x3(planes, planes, middle)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = conv1x1(planes, planes * self.expansion)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride
        self.residual = residual

    def residual_function(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.bn3(self.conv3(out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.residual_function(x)
        if self.residual:
            out = out + (x if self.downsample is None else self.downsample(x))
        return self.relu(out)


class BottleneckV1(Bottleneck):
    """The paper's bottleneck: the stride on the first 1x1 convolution."""

    stride_in_1x1 = True


def make_stage(block, inplanes: int, planes: int, blocks: int, stride: int = 1, shortcut: str = "B") -> nn.Sequential:
    """``blocks`` blocks of ``planes`` channels (times the block's expansion); the first one has ``stride``."""
    check_choice("shortcut", shortcut, SHORTCUTS)
    outplanes = planes * block.expansion
    extra = {"residual": False} if shortcut == "none" else {}
    layers = []
    for index in range(blocks):
        block_stride = stride if index == 0 else 1
        reshapes = block_stride != 1 or inplanes != outplanes
        downsample = None
        if shortcut == "C" or (shortcut == "B" and reshapes):
            downsample = nn.Sequential(conv1x1(inplanes, outplanes, block_stride), nn.BatchNorm2d(outplanes))
        elif shortcut == "A" and reshapes:
            downsample = PadShortcut(inplanes, outplanes, block_stride)
        layers.append(block(inplanes, planes, block_stride, downsample, **extra))
        inplanes = outplanes
    return nn.Sequential(*layers)


def _init_weights(model: nn.Module) -> None:
    """torchvision's initialisation: He (fan-out) for convolutions, batch norm to (1, 0)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)


class ResNet(nn.Module):
    """The ImageNet ResNet of Table 1: 7x7/2 stem, 3x3/2 max-pool, four stages (64..512 x expansion), pool, FC."""

    def __init__(self, block, layers: list[int], num_classes: int = 1000, shortcut: str = "B", in_channels: int = 3):
        super().__init__()
        if len(layers) != 4:
            raise ValueError(f"ResNet needs four stage lengths, got {list(layers)}.")
        self.conv1 = nn.Conv2d(in_channels, 64, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        inplanes = 64
        for index, (planes, blocks) in enumerate(zip((64, 128, 256, 512), layers)):
            stage = make_stage(block, inplanes, planes, blocks, 1 if index == 0 else 2, shortcut)
            setattr(self, f"layer{index + 1}", stage)
            inplanes = planes * block.expansion
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)
        _init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
        x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def resnet(depth: int, variant: str = "v1", num_classes: int = 1000, **kwargs) -> ResNet:
    """ResNet-``depth`` of Table 1 (18, 34, 50, 101, 152). ``variant="v1"`` is the paper's network,
    ``"torchvision"`` the v1.5 whose weights load into it (the two differ only for 50 layers and more)."""
    check_choice("depth", depth, IMAGENET)
    check_choice("variant", variant, VARIANTS)
    kind, layers = IMAGENET[depth]
    block = BasicBlock if kind == "basic" else (BottleneckV1 if variant == "v1" else Bottleneck)
    return ResNet(block, layers, num_classes=num_classes, **kwargs)


class CifarResNet(nn.Module):
    """Section 4.2: a 3x3 convolution, three stages of n basic blocks at 16, 32, 64 maps (32, 16, 8 pixels),
    global average pooling and a 10-way FC: 6n + 2 weight layers. ``width`` scales 16, 32, 64."""

    def __init__(self, n: int, num_classes: int = 10, in_channels: int = 3, width: int = 16, shortcut: str = "A"):
        super().__init__()
        check_int("n", n, minimum=1)
        check_int("width", width, minimum=1)
        self.conv1 = conv3x3(in_channels, width)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.layer1 = make_stage(BasicBlock, width, width, n, 1, shortcut)
        self.layer2 = make_stage(BasicBlock, width, 2 * width, n, 2, shortcut)
        self.layer3 = make_stage(BasicBlock, 2 * width, 4 * width, n, 2, shortcut)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(4 * width, num_classes)
        _init_weights(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.avgpool(x), 1))


def _cifar_n(depth: int) -> int:
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 8 or (depth - 2) % 6:
        raise ParameterError(f"depth is {depth!r}, but a CIFAR ResNet has 6n + 2 layers (8, 14, 20, 32, ..., 110, 1202).")
    return (depth - 2) // 6


def cifar_resnet(depth: int, num_classes: int = 10, in_channels: int = 3, width: int = 16,
                 shortcut: str = "A") -> CifarResNet:
    """The CIFAR-10 ResNet with ``depth`` = 6n + 2 layers (20, 32, 44, 56, 110, 1202 in Table 6); option A
    (parameter-free) shortcuts by default, as in the paper."""
    return CifarResNet(_cifar_n(depth), num_classes, in_channels, width, shortcut)


def cifar_plain(depth: int, num_classes: int = 10, in_channels: int = 3, width: int = 16) -> CifarResNet:
    """The plain counterpart of ``cifar_resnet(depth)``: the same layers, no shortcuts (Figure 6, left)."""
    return CifarResNet(_cifar_n(depth), num_classes, in_channels, width, shortcut="none")
