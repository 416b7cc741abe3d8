"""utils.nets.mobilenet against MobileNet v1's Table 1, counted by formula."""
import pytest
import torch

from utils import counting
from utils.errors import ParameterError
from utils.nets.mobilenet import mobilenet_v1

# Table 1 written out independently: (input side, channels in, channels out, depthwise stride).
SEPARABLE = [(112, 32, 64, 1), (112, 64, 128, 2), (56, 128, 128, 1), (56, 128, 256, 2), (28, 256, 256, 1),
             (28, 256, 512, 2), *[(14, 512, 512, 1)] * 5, (14, 512, 1024, 2), (7, 1024, 1024, 1)]


def formula(width: float = 1.0) -> tuple[int, int]:
    """Parameters (weights, batch-norm scales and shifts, FC bias) and multiply-adds for a 224x224 image."""
    c = lambda n: int(n * width)  # noqa: E731
    params, macs = 27 * c(32) + 2 * c(32), 112 * 112 * 27 * c(32)
    for side, c_in, c_out, stride in SEPARABLE:
        out = side // stride
        params += 9 * c(c_in) + 2 * c(c_in) + c(c_in) * c(c_out) + 2 * c(c_out)
        macs += 9 * c(c_in) * out * out + c(c_in) * c(c_out) * out * out
    return params + c(1024) * 1000 + 1000, macs + c(1024) * 1000


@pytest.mark.parametrize("width", [1.0, 0.75, 0.5, 0.25])
def test_counts_match_the_formula(width):
    model = counting.on_meta(mobilenet_v1, width)
    assert (counting.count_parameters(model), counting.count_macs(model, (1, 3, 224, 224))) == formula(width)


def test_the_issue_counts():
    assert formula() == (4_231_976, 568_740_352)


def test_last_depthwise_keeps_7x7_and_outputs_classes():
    model = mobilenet_v1(num_classes=10).eval()
    with torch.no_grad():
        assert model.features(torch.zeros(1, 3, 224, 224)).shape == (1, 1024, 7, 7)
        assert model(torch.zeros(2, 3, 224, 224)).shape == (2, 10)


@pytest.mark.parametrize("width", [0, 1.5, "1", 0.01])
def test_bad_width_is_one_sentence(width):
    with pytest.raises(ParameterError, match="width"):
        mobilenet_v1(width)
