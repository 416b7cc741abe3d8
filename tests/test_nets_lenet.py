"""utils.nets.lenet against the paper's counts, computed here by formula from section II.B."""
import pytest
import torch
from torch import nn

from utils import counting
from utils.errors import ParameterError
from utils.nets.lenet import lenet5, modern_lenet

# Section II.B / Table I: C3 maps 0-5 read 3 S2 maps, 6-14 read 4, map 15 reads all 6.
C3_INPUTS = [3] * 6 + [4] * 9 + [6]


def output_shapes(model, x):
    shapes = {}
    for name, layer in model.named_children():
        x = layer(x)
        shapes[name] = tuple(x.shape[1:])
    return shapes


def test_lenet5_parameters_per_layer():
    model = lenet5()
    expected = {"C1": 6 * (25 + 1), "S2": 6 * 2, "C3": sum(n * 25 + 1 for n in C3_INPUTS), "S4": 16 * 2,
                "C5": 120 * (16 * 25 + 1), "F6": 84 * (120 + 1), "output": 0}
    assert {name: counting.count_parameters(getattr(model, name)) for name in expected} == expected
    assert counting.count_parameters(model) == sum(expected.values()) == 60_000


def test_lenet5_connections_from_shapes_and_table_i():
    model = lenet5()
    shapes = output_shapes(model, torch.zeros(1, 1, 28, 28))
    assert shapes == {"input": (1, 32, 32), "C1": (6, 28, 28), "S2": (6, 14, 14), "C3": (16, 10, 10),
                      "S4": (16, 5, 5), "C5": (120,), "F6": (84,), "output": (10,)}
    per_map = model.C3[0].mask.flatten(1).sum(1).tolist()
    assert per_map == [n * 25 for n in C3_INPUTS]
    connections = {
        "C1": 28 * 28 * 6 * (25 + 1), "S2": 14 * 14 * 6 * (4 + 1), "C3": 10 * 10 * sum(p + 1 for p in per_map),
        "S4": 5 * 5 * 16 * (4 + 1), "C5": 120 * (400 + 1), "F6": 84 * (120 + 1), "output": 10 * 84,
    }
    assert sum(connections.values()) == 340_908


def test_c3_map_ignores_unconnected_s2_maps():
    c3 = lenet5().C3[0]
    x = torch.randn(1, 6, 14, 14, requires_grad=True)
    c3(x)[0, 0].sum().backward()  # map 0 reads S2 maps 0, 1, 2
    touched = x.grad.abs().flatten(2).sum(2)[0] > 0
    assert touched.tolist() == [True, True, True, False, False, False]


def test_lenet5_rbf_outputs_are_fixed_negative_distances():
    model = lenet5()
    prototypes = model.output.prototypes
    assert prototypes.shape == (10, 84) and set(prototypes.unique().tolist()) == {-1.0, 1.0}
    assert "output.prototypes" not in dict(model.named_parameters())
    f6 = torch.randn(3, 84)
    assert torch.allclose(model.output(f6), -torch.cdist(f6, prototypes) ** 2, atol=1e-4)


def test_lenet5_initialisation_within_paper_bounds():
    model = lenet5()
    assert model.C1[0].weight.abs().max() <= 2.4 / 25
    assert model.F6[0].weight.abs().max() <= 2.4 / 120
    c3 = model.C3[0]
    fan_in = c3.mask.flatten(1).sum(1)  # the bound of each stored weight is 2.4 / its own map's fan-in
    bounds = (2.4 / fan_in.float())[:, None].expand(-1, 150)[c3.mask.flatten(1)]
    assert (c3.weight.abs() <= bounds).all()
    assert c3.weight[:6 * 75].abs().max() > 2.4 / 150  # the six 3-input maps (stored first) use their wider bound


def test_modern_lenet_counts_and_shapes():
    model = modern_lenet()
    expected = 6 * 26 + 16 * (6 * 25 + 1) + 120 * (400 + 1) + 84 * (120 + 1) + 10 * (84 + 1)
    assert counting.count_parameters(model) == expected == 61_706
    assert model(torch.zeros(2, 1, 28, 28)).shape == (2, 10)
    assert sum(isinstance(m, nn.MaxPool2d) for m in model.modules()) == 2


def test_modern_lenet_num_classes():
    assert modern_lenet(num_classes=47)(torch.zeros(1, 1, 28, 28)).shape == (1, 47)


@pytest.mark.parametrize("value", [0, 2.5, "10"])
def test_modern_lenet_refuses_bad_num_classes(value):
    with pytest.raises(ParameterError, match="num_classes"):
        modern_lenet(num_classes=value)


def test_lenet5_takes_no_options():
    with pytest.raises(TypeError):
        lenet5(num_classes=26)  # the RBF output is tied to the ten digit bitmaps
