"""utils.receptive against receptive fields worked out by hand."""
import pytest
import torch
from torch import nn

from utils import receptive


def stack(n: int, kernel: int = 3, relu: bool = True) -> nn.Sequential:
    layers = []
    for _ in range(n):
        layers.append(nn.Conv2d(1, 1, kernel, padding=kernel // 2))
        if relu:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


@pytest.mark.parametrize("n", [1, 2, 3, 4])
@pytest.mark.parametrize("kernel", [3, 5])
def test_stride_one_stack(n, kernel):
    # n layers of k x k, stride 1: each adds k - 1 pixels, so the field is 1 + n (k - 1).
    table = receptive.receptive_fields(stack(n, kernel))
    assert table["receptive field"].iloc[-1] == 1 + n * (kernel - 1)
    assert table["jump"].iloc[-1] == 1


def test_pooling_spreads_later_layers():
    # conv3 sees 3; pool 2/2 widens to 4 and doubles the jump; the next conv3 adds 2 steps of 2 pixels: 8;
    # a second pool adds 1 step of 2 (10) and makes the jump 4; a conv3 then adds 2 steps of 4: 18.
    layers = nn.Sequential(
        nn.Conv2d(1, 1, 3, padding=1), nn.MaxPool2d(2), nn.Conv2d(1, 1, 3, padding=1), nn.MaxPool2d(2),
        nn.Conv2d(1, 1, 3, padding=1),
    )
    table = receptive.receptive_fields(layers)
    assert table["receptive field"].tolist() == [3, 4, 8, 10, 18]
    assert table["jump"].tolist() == [1, 2, 2, 4, 4]


def test_stride_and_dilation():
    # AlexNet's conv1, 11x11 stride 4, then a 3x3/2 pool: 11 + 2 * 4 = 19, jump 8.
    table = receptive.receptive_fields(nn.Sequential(nn.Conv2d(3, 8, 11, stride=4), nn.MaxPool2d(3, 2)))
    assert table["receptive field"].tolist() == [11, 19]
    assert table["jump"].tolist() == [4, 8]
    # A 3x3 kernel with dilation 2 spans 5 pixels.
    assert receptive.receptive_fields(nn.Sequential(nn.Conv2d(1, 1, 3, dilation=2)))["receptive field"].iloc[0] == 5


def test_accepts_named_pairs():
    pairs = [("a", nn.Conv2d(1, 1, 3)), ("b", nn.ReLU()), ("c", nn.Conv2d(1, 1, 3))]
    table = receptive.receptive_fields(pairs)
    assert table.index.tolist() == ["a", "b", "c"]
    assert table["receptive field"].tolist() == [3, 3, 5]


@pytest.mark.parametrize("n", [1, 2, 3])
def test_gradient_footprint_matches_recurrence(n):
    model = stack(n)
    with torch.no_grad():
        for layer in model:
            if isinstance(layer, nn.Conv2d):
                layer.weight.fill_(1.0)
                layer.bias.zero_()
    footprint = receptive.gradient_footprint(model, torch.ones(1, 1, 15, 15))
    assert receptive.footprint_side(footprint) == 2 * n + 1
    # All-ones weights: the footprint counts paths, 1 2 3 2 1 along each axis for two 3x3 layers,
    # so its centre row is 3 x (1 2 3 2 1).
    if n == 2:
        assert footprint[7, 5:10].tolist() == [3.0, 6.0, 9.0, 6.0, 3.0]


def test_footprint_side_of_empty_map():
    assert receptive.footprint_side(torch.zeros(5, 5)) == 0


@pytest.mark.parametrize(
    "layer",
    [nn.Sequential(nn.Conv2d(1, 1, 3)), nn.AdaptiveAvgPool2d(7), nn.Upsample(scale_factor=2), nn.Linear(4, 4)],
    ids=lambda layer: type(layer).__name__,
)
def test_a_layer_it_cannot_read_raises_instead_of_reporting_a_field_of_one(layer):
    with pytest.raises(TypeError, match="cannot read layer '1'"):
        receptive.receptive_fields(nn.Sequential(nn.Conv2d(1, 1, 3), layer))


def test_pointwise_layers_keep_the_field():
    chain = nn.Sequential(nn.Conv2d(1, 1, 3), nn.BatchNorm2d(1), nn.ReLU(), nn.Dropout(), nn.Conv2d(1, 1, 3))
    assert receptive.receptive_fields(chain)["receptive field"].tolist() == [3, 3, 3, 3, 5]
