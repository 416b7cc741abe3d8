"""utils.nets.vgg against torchvision's vgg11/13/16/19 and the paper's Table 1, counted on the meta device."""
import pytest
import torch
import torchvision
from torch import nn

from utils import counting
from utils.errors import ParameterError
from utils.nets.alexnet import LRN
from utils.nets.vgg import vgg

TORCHVISION = {"A": "vgg11", "B": "vgg13", "D": "vgg16", "E": "vgg19"}


def theirs(name: str) -> nn.Module:
    return counting.on_meta(getattr(torchvision.models, TORCHVISION[name]))


def weights(c_in: int, c_out: int, kernel: int) -> int:
    return kernel * kernel * c_in * c_out + c_out


@pytest.mark.parametrize("name", TORCHVISION)
def test_counts_equal_torchvision(name):
    assert counting.count_parameters(counting.on_meta(vgg, name)) == counting.count_parameters(theirs(name))


@pytest.mark.parametrize("name", TORCHVISION)
def test_torchvision_state_dict_loads_strictly(name):
    ours, reference = counting.on_meta(vgg, name), theirs(name).state_dict()
    assert {k: v.shape for k, v in ours.state_dict().items()} == {k: v.shape for k, v in reference.items()}
    ours.load_state_dict(reference, strict=True, assign=True)


def test_c_is_b_plus_three_1x1_layers_and_lrn_has_no_weights():
    count = {name: counting.count_parameters(counting.on_meta(vgg, name)) for name in ("A", "A-LRN", "B", "C")}
    assert count["C"] == count["B"] + weights(256, 256, 1) + 2 * weights(512, 512, 1)
    assert count["A-LRN"] == count["A"]


def test_weight_layers_as_in_table_1():
    layers = {name: sum(isinstance(m, (nn.Conv2d, nn.Linear)) for m in counting.on_meta(vgg, name).modules())
              for name in ("A", "A-LRN", "B", "C", "D", "E")}
    assert layers == {"A": 11, "A-LRN": 11, "B": 13, "C": 16, "D": 16, "E": 19}


def test_a_lrn_normalises_after_the_first_layer_with_alexnets_constants():
    features = vgg("A-LRN").features
    assert isinstance(features[2], nn.LocalResponseNorm)
    assert (features[2].size, features[2].alpha, features[2].beta, features[2].k) == (
        LRN["size"], LRN["alpha"], LRN["beta"], LRN["k"]
    )
    assert isinstance(features[3], nn.MaxPool2d)


def test_small_variant_runs_on_digits():
    model = vgg("E", 10, in_channels=1, divisor=16, fc=32, pooled=1)
    assert model(torch.zeros(2, 1, 32, 32)).shape == (2, 10)
    assert [m.out_channels for m in model.features if isinstance(m, nn.Conv2d)][:3] == [4, 4, 8]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"name": "F"}, ["name", "'F'", "'A-LRN'"]),
        ({"name": "vgg16"}, ["name", "'vgg16'", "'E'"]),
        ({"name": "A", "divisor": 3}, ["divisor", "3", "16"]),
        ({"name": "A", "num_classes": 0}, ["num_classes", "0", "at least 1"]),
        ({"name": "A", "dropout": 1.0}, ["dropout", "1.0", "below 1"]),
    ],
)
def test_unsupported_arguments_are_refused(kwargs, words):
    with pytest.raises(ParameterError) as error:
        counting.on_meta(vgg, **kwargs)
    for word in words:
        assert word in str(error.value), (word, str(error.value))
