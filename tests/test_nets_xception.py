"""utils.nets.xception against counts written out by formula from the paper's Figure 5 and Table 3."""
import pytest
import torch
from torch import nn

from utils import counting
from utils.errors import ParameterError
from utils.nets.xception import SeparableConv2d, xception


def conv(c_in: int, c_out: int, kernel: int) -> int:
    """A convolution without bias, and the batch norm after it (scale and shift per channel)."""
    return kernel * kernel * c_in * c_out + 2 * c_out


def sep(c_in: int, c_out: int) -> int:
    """A 3x3 depthwise convolution, a 1x1 pointwise one, and the batch norm after them."""
    return 9 * c_in + c_in * c_out + 2 * c_out


def sep_macs(side: int, c_in: int, c_out: int) -> int:
    return side * side * (9 * c_in + c_in * c_out)


ENTRY = (conv(3, 32, 3) + conv(32, 64, 3)
         + sep(64, 128) + sep(128, 128) + conv(64, 128, 1)
         + sep(128, 256) + sep(256, 256) + conv(128, 256, 1)
         + sep(256, 728) + sep(728, 728) + conv(256, 728, 1))
MIDDLE = 8 * 3 * sep(728, 728)
EXIT = sep(728, 728) + sep(728, 1024) + conv(728, 1024, 1) + sep(1024, 1536) + sep(1536, 2048)
CLASSIFIER = 2048 * 1000 + 1000


@pytest.fixture(scope="module")
def model():
    return counting.on_meta(xception).eval()


def test_parameters_per_flow_and_total_as_in_table_3(model):
    counts = {name: counting.count_parameters(getattr(model, name)) for name in ("entry", "middle", "exit", "fc")}
    assert counts == {"entry": ENTRY, "middle": MIDDLE, "exit": EXIT, "fc": CLASSIFIER}
    assert counting.count_parameters(model) == ENTRY + MIDDLE + EXIT + CLASSIFIER == 22_855_952


def test_multiply_adds_at_299(model):
    stem = 149 * 149 * 9 * 3 * 32 + 147 * 147 * 9 * 32 * 64
    entry = (sep_macs(147, 64, 128) + sep_macs(147, 128, 128) + 74 * 74 * 64 * 128
             + sep_macs(74, 128, 256) + sep_macs(74, 256, 256) + 37 * 37 * 128 * 256
             + sep_macs(37, 256, 728) + sep_macs(37, 728, 728) + 19 * 19 * 256 * 728)
    middle = 24 * sep_macs(19, 728, 728)
    exit_flow = (sep_macs(19, 728, 728) + sep_macs(19, 728, 1024) + 10 * 10 * 728 * 1024
                 + sep_macs(10, 1024, 1536) + sep_macs(10, 1536, 2048))
    assert counting.count_macs(model, (1, 3, 299, 299)) == stem + entry + middle + exit_flow + 2048 * 1000


def test_flow_output_shapes_at_299(model):
    x = torch.zeros(1, 3, 299, 299, device="meta")
    entry = model.entry(x)
    middle = model.middle(entry)
    exit_flow = model.exit(middle)
    assert [tuple(t.shape[1:]) for t in (entry, middle, exit_flow)] == [(728, 19, 19), (728, 19, 19), (2048, 10, 10)]
    assert model(x).shape == (1, 1000)


def test_separable_layers_are_depthwise_then_pointwise_without_bias(model):
    separable = [m for m in model.modules() if isinstance(m, SeparableConv2d)]
    assert len(separable) == 2 + 2 + 2 + 24 + 2 + 2  # Figure 5: 34 SeparableConv layers
    for m in separable:
        assert m.depthwise.groups == m.depthwise.in_channels == m.depthwise.out_channels  # depth multiplier 1
        assert m.pointwise.kernel_size == (1, 1)
    assert all(m.bias is None for m in model.modules() if isinstance(m, nn.Conv2d))


def test_middle_blocks_are_residual_with_identity_shortcuts():
    model = xception(num_classes=10, in_channels=1).eval()
    block = model.middle[0]
    x = torch.randn(1, 728, 5, 5)
    with torch.no_grad():
        assert torch.equal(block(x), block.residual(x) + x)
        assert model(torch.randn(2, 1, 32, 32)).shape == (2, 10)


@pytest.mark.parametrize("bad", [{"num_classes": 0}, {"in_channels": 1.5}])
def test_unsupported_arguments_are_refused(bad):
    with pytest.raises(ParameterError, match=next(iter(bad))):
        xception(**bad)
