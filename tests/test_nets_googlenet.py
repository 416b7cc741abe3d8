"""utils.nets.googlenet against formulas written here and against torchvision's googlenet."""
import pytest
import torch
import torchvision
from torch import nn

from utils import counting
from utils.errors import ParameterError
from utils.nets.googlenet import TABLE_1, Inception, googlenet


def conv(c_in: int, c_out: int, kernel: int, bias: bool = True) -> int:
    return kernel * kernel * c_in * c_out + (c_out if bias else 0)


def inception_params(c_in, n1, n3r, n3, n5r, n5, pool_proj, big=5):
    """Figure 2(b): four branches, every convolution with a bias."""
    return (conv(c_in, n1, 1) + conv(c_in, n3r, 1) + conv(n3r, n3, 3) + conv(c_in, n5r, 1) + conv(n5r, n5, big)
            + conv(c_in, pool_proj, 1))


def torchvision_googlenet(aux_logits: bool) -> nn.Module:
    return counting.on_meta(torchvision.models.googlenet, weights=None, aux_logits=aux_logits, init_weights=False)


def paper_count_from_torchvision(aux_logits: bool) -> int:
    """The paper's count, from the layer shapes of torchvision's network: every convolution gets its bias
    instead of batch norm, and the third branch of each module 5x5 instead of 3x3."""
    total = 0
    for name, module in torchvision_googlenet(aux_logits).named_modules():
        if isinstance(module, nn.Conv2d):
            kernel = 5 if name.endswith("branch3.1.conv") else module.kernel_size[0]
            total += conv(module.in_channels, module.out_channels, kernel)
        elif isinstance(module, nn.Linear):
            total += module.weight.numel() + module.bias.numel()
    return total


def test_paper_counts():
    assert counting.count_parameters(counting.on_meta(googlenet)) == paper_count_from_torchvision(False) == 6_998_552
    with_aux = counting.count_parameters(counting.on_meta(googlenet, True))
    assert with_aux == paper_count_from_torchvision(True) == 13_378_280


def test_inception_module_by_formula():
    for c_in, key in ((192, "3a"), (480, "4a"), (832, "5b")):
        assert counting.count_parameters(Inception(c_in, *TABLE_1[key])) == inception_params(c_in, *TABLE_1[key])


def test_paper_multiply_adds_by_formula():
    # Spatial sizes from Table 1's output column; multiply-adds = output pixels x weights of each convolution.
    inputs = {"3a": 192, "3b": 256, "4a": 480, "4b": 512, "4c": 512, "4d": 512, "4e": 528, "5a": 832, "5b": 832}
    sides = {"3": 28, "4": 14, "5": 7}
    weights = {k: inception_params(c, *TABLE_1[k]) - sum(TABLE_1[k]) for k, c in inputs.items()}  # one bias per filter
    modules = sum(sides[k[0]] ** 2 * w for k, w in weights.items())
    stem = 112**2 * 7 * 7 * 3 * 64 + 56**2 * (64 * 64 + 9 * 64 * 192)
    assert counting.count_macs(counting.on_meta(googlenet), (1, 3, 224, 224)) == stem + modules + 1024 * 1000


def test_torchvision_variant_counts_and_operations():
    ours = counting.on_meta(googlenet, False, "torchvision")
    weights = torchvision.models.GoogLeNet_Weights.IMAGENET1K_V1
    assert counting.count_parameters(ours) == weights.meta["num_params"] == 6_624_904
    assert round(counting.count_macs(ours, (1, 3, 224, 224)) / 1e9, 3) == weights.meta["_ops"]


@pytest.mark.parametrize("aux_logits", [False, True])
def test_torchvision_state_dict_loads_strictly_with_identical_outputs(aux_logits):
    torch.manual_seed(0)
    theirs = torchvision.models.googlenet(weights=None, aux_logits=aux_logits, init_weights=True)
    ours = googlenet(aux_logits, "torchvision")
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(ours.eval()(x), theirs.eval()(x))


def test_auxiliary_heads_only_in_training():
    model = googlenet(aux_logits=True)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        outputs = model.train()(x)
        assert [tuple(o.shape) for o in outputs] == [(2, 1000)] * 3
        assert tuple(model.eval()(x).shape) == (2, 1000)
        assert tuple(googlenet().train()(x).shape) == (2, 1000)


def test_output_sizes_follow_table_1():
    table = counting.layer_table(counting.on_meta(googlenet), (1, 3, 224, 224))
    shapes = {name: shape[1:] for name, shape in table["output shape"].items()}
    assert shapes["conv1"] == (64, 112, 112) and shapes["maxpool2"] == (192, 28, 28)
    assert shapes["inception3b"] == (480, 28, 28) and shapes["inception4e"] == (832, 14, 14)
    assert shapes["maxpool4"] == (832, 7, 7) and shapes["inception5b"] == (1024, 7, 7)


@pytest.mark.parametrize("arguments, words", [
    ({"variant": "caffe"}, ["variant", "'caffe'", "'paper'"]),
    ({"aux_logits": "yes"}, ["aux_logits", "'yes'"]),
    ({"num_classes": 0}, ["num_classes", "0"]),
])
def test_unsupported_arguments_are_refused(arguments, words):
    with pytest.raises(ParameterError) as error:
        googlenet(**arguments)
    for word in words:
        assert word in str(error.value)
