"""utils.nets.alexnet against counts by formula and against torchvision's AlexNet."""
import pytest
import torch
import torchvision
from torch import nn

from utils import counting
from utils.errors import ParameterError
from utils.nets.alexnet import LRN, alexnet


def conv(k, c_in, c_out, groups=1):
    return k * k * (c_in // groups) * c_out + c_out


def fc(n_in, n_out):
    return n_in * n_out + n_out


def test_paper_variant_count_by_formula():
    # Section 3.5: conv2, conv4, conv5 see half of the previous layer's maps (two GPUs).
    expected = (conv(11, 3, 96) + conv(5, 96, 256, 2) + conv(3, 256, 384) + conv(3, 384, 384, 2)
                + conv(3, 384, 256, 2) + fc(6 * 6 * 256, 4096) + fc(4096, 4096) + fc(4096, 1000))
    assert expected == 60_965_224
    assert counting.count_parameters(counting.on_meta(alexnet, "paper")) == expected


def test_paper_variant_shapes_on_224():
    net = counting.on_meta(alexnet, "paper")
    table = counting.layer_table(net, (1, 3, 224, 224), depth=2)
    shapes = table[table["type"] == "Conv2d"]["output shape"].tolist()
    assert [tuple(s[1:]) for s in shapes] == [(96, 55, 55), (256, 27, 27), (384, 13, 13), (384, 13, 13),
                                              (256, 13, 13)]
    groups = [m.groups for m in net.modules() if isinstance(m, nn.Conv2d)]
    assert groups == [1, 2, 1, 2, 2]
    assert sum(isinstance(m, nn.LocalResponseNorm) for m in net.modules()) == 2


def test_torchvision_variant_is_torchvisions_alexnet():
    torch.manual_seed(0)
    reference = torchvision.models.alexnet().eval()
    ours = alexnet("torchvision").eval()
    ours.load_state_dict(reference.state_dict(), strict=True)
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        assert torch.equal(ours(x), reference(x))
    assert counting.count_parameters(ours) == counting.count_parameters(reference) == 61_100_840


def test_num_classes():
    net = counting.on_meta(alexnet, "paper", num_classes=10)
    assert net.classifier[-1].out_features == 10
    expected = 60_965_224 - fc(4096, 1000) + fc(4096, 10)
    assert counting.count_parameters(net) == expected


def test_lrn_matches_the_papers_formula():
    # b_i = a_i / (k + alpha * sum over n neighbours of a_j^2)^beta, with the paper's k=2, n=5, alpha=1e-4, beta=0.75.
    a = torch.relu(torch.randn(1, 12, 3, 3)) * 30
    squares = a**2
    expected = torch.empty_like(a)
    for i in range(12):
        near = squares[:, max(0, i - 2): min(11, i + 2) + 1].sum(1)
        expected[:, i] = a[:, i] / (2 + 1e-4 * near) ** 0.75
    assert torch.allclose(nn.LocalResponseNorm(**LRN)(a), expected, atol=1e-6)


@pytest.mark.parametrize("kwargs, words", [
    ({"variant": "2014"}, ["variant", "'2014'", "'paper'", "'torchvision'"]),
    ({"num_classes": 0}, ["num_classes", "0"]),
    ({"num_classes": 10.0}, ["num_classes", "10.0"]),
])
def test_unsupported_arguments_are_refused(kwargs, words):
    with pytest.raises(ParameterError) as error:
        alexnet(**kwargs)
    assert all(word in str(error.value) for word in words), str(error.value)
