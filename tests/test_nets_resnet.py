"""utils.nets.resnet: counts against torchvision and formulas, strict loading, identical outputs, clear errors."""
import pytest
import torch
import torchvision
from torch import nn

from utils import counting
from utils.errors import ParameterError
from utils.nets import resnet as rn

TORCHVISION_PARAMETERS = {18: 11_689_512, 34: 21_797_672, 50: 25_557_032, 101: 44_549_160, 152: 60_192_808}


def conv_bn(c_in: int, c_out: int, k: int) -> int:
    """A bias-free k x k convolution and its batch norm (scale and shift per channel)."""
    return k * k * c_in * c_out + 2 * c_out


def cifar_parameters(depth: int, width: int = 16, classes: int = 10, in_channels: int = 3) -> int:
    """Section 4.2's 6n+2 network with option A shortcuts (no shortcut parameters), counted by formula."""
    n = (depth - 2) // 6
    total = conv_bn(in_channels, width, 3)
    c_in = width
    for c in (width, 2 * width, 4 * width):
        total += conv_bn(c_in, c, 3) + conv_bn(c, c, 3) + (n - 1) * 2 * conv_bn(c, c, 3)
        c_in = c
    return total + 4 * width * classes + classes


@pytest.mark.parametrize("depth", sorted(TORCHVISION_PARAMETERS))
@pytest.mark.parametrize("variant", rn.VARIANTS)
def test_imagenet_counts_and_strict_loading(depth, variant):
    ours = counting.on_meta(rn.resnet, depth, variant)
    theirs = counting.on_meta(getattr(torchvision.models, f"resnet{depth}"))
    ours.load_state_dict(theirs.state_dict(), strict=True, assign=True)
    assert counting.count_parameters(ours) == counting.count_parameters(theirs) == TORCHVISION_PARAMETERS[depth]


@pytest.mark.parametrize("depth, variant", [(18, "v1"), (50, "torchvision")])
def test_identical_outputs_with_torchvision_weights(depth, variant):
    torch.manual_seed(0)
    theirs = getattr(torchvision.models, f"resnet{depth}")().eval()
    ours = rn.resnet(depth, variant).eval()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(ours(x), theirs(x))


def test_v1_moves_the_stride_to_the_first_1x1():
    v1, v15 = (counting.on_meta(rn.resnet, 50, v) for v in rn.VARIANTS)
    first = (v1.layer2[0], v15.layer2[0])
    assert [b.conv1.stride for b in first] == [(2, 2), (1, 1)]
    assert [b.conv2.stride for b in first] == [(1, 1), (2, 2)]
    # Both 3x3s output s/2 x s/2; only the first 1x1 of stages 3-5's first block differs: v1.5 runs it at
    # the full input size s, v1 at s/2. c_in x width multiply-adds per output pixel.
    extra = sum(c_in * width * (s * s - (s // 2) ** 2) for c_in, width, s in ((256, 128, 56), (512, 256, 28), (1024, 512, 14)))
    macs = [counting.count_macs(m, (1, 3, 224, 224)) for m in (v1, v15)]
    assert macs[1] - macs[0] == extra


@pytest.mark.parametrize("depth", [20, 32, 44, 56, 110, 1202])
def test_cifar_counts_by_formula(depth):
    assert counting.count_parameters(counting.on_meta(rn.cifar_resnet, depth)) == cifar_parameters(depth)
    assert counting.count_parameters(counting.on_meta(rn.cifar_plain, depth)) == cifar_parameters(depth)


def test_cifar_shapes_and_depth():
    model = rn.cifar_resnet(20, num_classes=10, in_channels=1, width=4)
    assert model(torch.randn(2, 1, 16, 16)).shape == (2, 10)
    weight_layers = sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in model.modules())
    assert weight_layers == 20
    assert all(isinstance(b.downsample, (type(None), rn.PadShortcut)) for b in model.modules() if isinstance(b, rn.BasicBlock))


def test_plain_network_has_no_shortcut():
    torch.manual_seed(0)
    plain, residual = rn.cifar_plain(8, width=4).eval(), rn.cifar_resnet(8, width=4).eval()
    residual.load_state_dict(plain.state_dict())  # same layers, same weights
    x = torch.randn(2, 4, 8, 8)
    with torch.no_grad():
        branch = plain.layer1[0].residual_function(x)
        assert torch.equal(plain.layer1[0](x), torch.relu(branch))
        assert torch.equal(residual.layer1[0](x), torch.relu(branch + x))
        image = torch.randn(2, 3, 16, 16)
        assert not torch.equal(plain(image), residual(image))


def test_option_a_pads_zero_channels():
    shortcut = rn.PadShortcut(2, 4, stride=2)
    x = torch.arange(32.0).reshape(1, 2, 4, 4)
    y = shortcut(x)
    assert y.shape == (1, 4, 2, 2)
    assert torch.equal(y[:, :2], x[:, :, ::2, ::2]) and not y[:, 2:].any()


def test_shortcut_options_cost():
    counts = {s: counting.count_parameters(counting.on_meta(rn.resnet, 34, shortcut=s)) for s in ("A", "B", "C")}
    # B adds a 1x1 projection (and its BN) where the shape changes: 64->128, 128->256, 256->512.
    projections = sum(conv_bn(c, 2 * c, 1) for c in (64, 128, 256))
    assert counts["B"] - counts["A"] == projections
    # C projects in every block: 3 at 64, 4 at 128, 6 at 256, 3 at 512 channels, the first of stages 2-4 widening.
    every = 3 * conv_bn(64, 64, 1) + projections + 3 * conv_bn(128, 128, 1) + 5 * conv_bn(256, 256, 1) \
        + 2 * conv_bn(512, 512, 1)
    assert counts["C"] - counts["A"] == every


class CountingBottleneck(rn.Bottleneck):
    """A subclass, as utils.nets.senet passes one: ResNet must build from it."""


def test_resnet_takes_a_block_subclass():
    model = counting.on_meta(rn.ResNet, CountingBottleneck, [3, 4, 6, 3])
    assert sum(isinstance(m, CountingBottleneck) for m in model.modules()) == 16
    assert counting.count_parameters(model) == TORCHVISION_PARAMETERS[50]


@pytest.mark.parametrize(
    "build, error, words",
    [
        (lambda: rn.resnet(19), ParameterError, ["depth", "19", "152"]),
        (lambda: rn.resnet(50, "v2"), ParameterError, ["variant", "'v2'", "'torchvision'"]),
        (lambda: rn.resnet(18, shortcut="D"), ParameterError, ["shortcut", "'D'", "'A'"]),
        (lambda: rn.cifar_resnet(21), ParameterError, ["depth", "21", "6n + 2"]),
        (lambda: rn.cifar_plain(2), ParameterError, ["depth", "2", "6n + 2"]),
        (lambda: rn.cifar_resnet(20, width=0), ParameterError, ["width", "0", "at least 1"]),
        (lambda: rn.ResNet(rn.BasicBlock, [2, 2, 2]), ValueError, ["four"]),
    ],
)
def test_unsupported_arguments_raise_one_sentence(build, error, words):
    with pytest.raises(error) as failure:
        build()
    for word in words:
        assert word in str(failure.value)
    assert "\n" not in str(failure.value)


def test_formula_helpers_are_sane():
    assert conv_bn(3, 64, 7) == counting.count_parameters(nn.Sequential(nn.Conv2d(3, 64, 7, bias=False), nn.BatchNorm2d(64)))
