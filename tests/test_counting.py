"""counting: known answers from the formulas k*k*c_in*c_out + c_out and H_out*W_out*k*k*c_in*c_out."""
import numpy as np
import pytest
from torch import nn

from utils import counting
from utils.errors import ParameterError


def test_conv_parameters_and_macs_by_formula():
    k, c_in, c_out, size = 3, 4, 8, 10
    conv = nn.Conv2d(c_in, c_out, k)
    out = size - k + 1
    assert counting.count_parameters(conv) == k * k * c_in * c_out + c_out
    assert counting.count_macs(conv, (1, c_in, size, size)) == out * out * k * k * c_in * c_out


def test_linear_macs_scale_with_batch():
    layer = nn.Linear(20, 5)
    assert counting.count_macs(layer, (3, 20)) == 3 * 20 * 5


def test_frozen_parameters_and_buffers_are_not_counted():
    model = nn.Sequential(nn.Linear(4, 3), nn.BatchNorm1d(3))
    model[0].weight.requires_grad_(False)
    assert counting.count_parameters(model) == 3 + 3 + 3  # linear bias, batch-norm weight and bias


def test_layer_table_rows_shapes_and_totals():
    model = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 5 * 5, 3))
    table = counting.layer_table(model, (2, 1, 5, 5))
    assert list(table.index) == ["0", "1", "2", "3"]
    assert table.loc["0", "output shape"] == (2, 2, 5, 5)
    assert table.loc["3", "output shape"] == (2, 3)
    assert table.loc["0", "multiply-adds"] == 2 * 5 * 5 * 9 * 1 * 2
    assert table.loc["3", "multiply-adds"] == 2 * 50 * 3
    assert table["parameters"].sum() == counting.count_parameters(model)


def test_layer_table_depth_two_lists_nested_layers():
    model = nn.Sequential(nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), nn.Flatten())
    table = counting.layer_table(model, (1, 1, 4, 4), depth=2)
    assert list(table.index) == ["0.0", "0.1", "1"]


def test_meta_model_allocates_nothing_and_counts_the_same():
    def build():
        return nn.Sequential(nn.Conv2d(3, 64, 3), nn.Flatten(), nn.Linear(64 * 6 * 6, 10))

    real, meta = build(), counting.on_meta(build)
    assert all(p.device.type == "meta" for p in meta.parameters())
    assert counting.allocated_bytes(meta) == 0
    assert counting.allocated_bytes(real) == 4 * counting.count_parameters(real)
    assert counting.count_parameters(meta) == counting.count_parameters(real)
    assert counting.count_macs(meta, (1, 3, 8, 8)) == counting.count_macs(real, (1, 3, 8, 8))


def test_group_table_sums_weights_and_work_of_each_group_and_shows_its_output():
    model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 4, 1), nn.AdaptiveAvgPool2d(1))
    table = counting.group_table(model, {"first": ["0", "1"], "second": ["2", "3"]}, (1, 3, 10, 10))
    assert table.loc["first", "output shape"] == (8, 10, 10) and table.loc["second", "output shape"] == (4, 1, 1)
    assert table["weights"].tolist() == [3 * 8 * 9, 8 * 4]  # no biases
    assert table["multiply-adds"].tolist() == [3 * 8 * 9 * 100, 8 * 4 * 100]
    with pytest.raises(KeyError, match="no module named '9'"):
        counting.group_table(model, {"x": ["9"]}, (1, 3, 10, 10))


def test_input_size_that_is_not_a_shape_gives_one_sentence():
    for wrong in (28, (1, 0, 28, 28), (1, 1, 28.0, 28)):
        with pytest.raises(ParameterError, match=r"^input_size is .*, but it must be a tuple of positive integers, batch first, such as \(1, 3, 224, 224\)\.$"):
            counting.count_macs(nn.Conv2d(1, 1, 3), wrong)
    assert counting.count_macs(nn.Conv2d(1, 1, 3), (1, 1, np.int64(5), 5)) == 9 * 9  # NumPy's integers are integers
