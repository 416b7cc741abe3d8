"""utils.nets.efficientnet against torchvision's efficientnet_b0..b7."""
import pytest
import torch
import torchvision

from utils import counting
from utils.errors import ParameterError
from utils.nets.efficientnet import SCALING, efficientnet, resolution

NAMES = list(SCALING)


@pytest.mark.parametrize("name", NAMES)
def test_same_tensors_as_torchvision(name):
    ours = counting.on_meta(efficientnet, name).state_dict()
    theirs = counting.on_meta(getattr(torchvision.models, f"efficientnet_{name}")).state_dict()
    assert {k: v.shape for k, v in ours.items()} == {k: v.shape for k, v in theirs.items()}
    weights = torchvision.models.get_model_weights(f"efficientnet_{name}").IMAGENET1K_V1
    assert counting.count_parameters(counting.on_meta(efficientnet, name)) == weights.meta["num_params"]


def test_b0_loads_strictly_and_computes_the_same_function():
    torch.manual_seed(0)
    theirs = torchvision.models.efficientnet_b0().eval()
    ours = efficientnet("b0").eval()
    ours.load_state_dict(theirs.state_dict(), strict=True)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.equal(ours(x), theirs(x))
    assert counting.count_parameters(ours) == 5_288_548


def test_b0_multiply_adds_equal_torchvisions():
    ours = counting.count_macs(counting.on_meta(efficientnet, "b0"), (1, 3, 224, 224))
    assert ours == counting.count_macs(counting.on_meta(torchvision.models.efficientnet_b0), (1, 3, 224, 224))


def test_resolutions_grow():
    sides = [resolution(name) for name in NAMES]
    assert sides[0] == 224 and sides[-1] == 600 and sides == sorted(sides)


@pytest.mark.parametrize("bad", [{"name": "b8"}, {"name": "B0"}, {"num_classes": 0}])
def test_bad_arguments_are_one_sentence(bad):
    with pytest.raises(ParameterError, match=next(iter(bad))):
        efficientnet(**bad)
