"""utils.nets.senet: the SE block and SE-ResNet-50, against torchvision's ResNet-50 and formulas."""
import pytest
import torch
import torchvision

from utils import counting
from utils.errors import ParameterError
from utils.nets.senet import SqueezeExcitation, se_resnet

STAGES = [(256, 3), (512, 4), (1024, 6), (2048, 3)]  # ResNet-50's bottleneck outputs: (channels, blocks)


def se_params(channels: int, reduction: int = 16) -> int:
    squeeze = channels // reduction
    return 2 * channels * squeeze + squeeze + channels


def test_parameters_are_resnet50_plus_the_se_blocks():
    resnet50 = counting.count_parameters(counting.on_meta(torchvision.models.resnet50))
    expected = resnet50 + sum(blocks * se_params(c) for c, blocks in STAGES)
    assert counting.count_parameters(counting.on_meta(se_resnet, 50)) == expected == 28_088_024


def test_resnet50_weights_are_a_subset_with_the_same_shapes():
    ours = counting.on_meta(se_resnet, 50).state_dict()
    theirs = counting.on_meta(torchvision.models.resnet50).state_dict()
    plain = {k: v.shape for k, v in ours.items() if ".se." not in k}
    assert plain == {k: v.shape for k, v in theirs.items()}


def test_multiply_adds_by_formula():
    # torchvision's ResNet-50 is v1.5 (stride on the 3x3); the paper's v1 strides the first 1x1 of stages 2-4,
    # which then does a quarter of its work: 3/4 of 256*128, 512*256 and 1024*512 channels at 56, 28 and 14.
    v15 = counting.count_macs(counting.on_meta(torchvision.models.resnet50), (1, 3, 224, 224))
    v1 = v15 - sum(3 * c * (c // 2) * side * side // 4 for c, side in ((256, 56), (512, 28), (1024, 14)))
    fc = sum(blocks * 2 * c * (c // 16) for c, blocks in STAGES)
    assert counting.count_macs(counting.on_meta(se_resnet, 50), (1, 3, 224, 224)) == v1 + fc


def test_se_block_weighs_channels_between_zero_and_one():
    torch.manual_seed(0)
    block, x = SqueezeExcitation(8, 2), torch.rand(2, 8, 5, 5) + 0.1
    ratio = block(x) / x
    assert ratio.shape == x.shape and (ratio > 0).all() and (ratio < 1).all()
    assert torch.allclose(ratio, ratio[:, :, :1, :1].expand_as(ratio))  # one weight per channel and image


def test_other_depths_and_reductions():
    assert counting.count_parameters(counting.on_meta(se_resnet, 101, 8)) > counting.count_parameters(
        counting.on_meta(torchvision.models.resnet101))


@pytest.mark.parametrize("bad", [{"depth": 18}, {"reduction": 3}, {"num_classes": 0}])
def test_bad_arguments_are_one_sentence(bad):
    with pytest.raises(ParameterError, match=next(iter(bad))):
        se_resnet(**bad)
