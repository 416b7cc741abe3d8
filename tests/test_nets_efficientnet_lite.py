"""The zoo's EfficientNet-Lite0 against the shipped weights file, hand-computed counts and TensorFlow's padding."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from utils import pretrained
from utils.counting import count_parameters
from utils.errors import ParameterError
from utils.nets.efficientnet_lite import LITE0, EfficientNetLite0, MBConv, SameConv


def shipped():
    return torch.load(pretrained.lite0_path(), map_location="cpu", weights_only=True)


def test_file_names_map_one_to_one_onto_ours_with_the_same_shapes():
    ours, mapped = EfficientNetLite0().state_dict(), pretrained.lite0_names(shipped())
    assert len(mapped) == len(shipped()) == 296
    assert list(ours) == list(mapped)
    assert all(ours[k].shape == mapped[k].shape for k in ours)
    assert pretrained.lite0_names({"_blocks.3._bn1.bias": 0}) == {"stages.2.0.depthwise.bn.bias": 0}


def test_parameter_count_is_that_of_the_file():
    in_file = sum(v.numel() for k, v in shipped().items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert in_file == 4_652_008
    assert count_parameters(EfficientNetLite0()) == 4_652_008


def test_mbconv_parameters_by_formula():
    # expand 1x1 (16*96) + BN (2*96) + depthwise 3x3 (96*9) + BN (2*96) + project 1x1 (96*24) + BN (2*24)
    block = MBConv(16, 24, kernel=3, stride=2, expand=6)
    assert count_parameters(block) == 16 * 96 + 2 * 96 + 96 * 9 + 2 * 96 + 96 * 24 + 2 * 24
    assert not block.residual
    assert MBConv(24, 24, kernel=3, stride=1, expand=6).residual


def test_public_groups_follow_the_table():
    model = EfficientNetLite0(num_classes=7)
    groups = model.named_groups()
    assert list(groups) == ["stem", *(f"stage {i}" for i in range(1, 8)), "head conv", "head"]
    assert [len(groups[f"stage {i + 1}"]) for i in range(7)] == [row[0] for row in LITE0]
    assert len(model.blocks) == sum(row[0] for row in LITE0) == 16
    assert model.blocks[12] is model.stages[5][1]
    assert sum(count_parameters(g) for g in groups.values()) == count_parameters(model)
    assert model.head.fc.out_features == 7


def test_features_and_head_make_the_forward():
    model = EfficientNetLite0(num_classes=7).eval()
    x = torch.randn(2, 3, 96, 96)
    features = model.features(x)
    assert features.shape == (2, 1280)
    assert torch.equal(model.head(features), model(x))
    assert model(torch.zeros(2, 3, 224, 224)).shape == (2, 7)
    by_groups = x
    for group in list(model.named_groups().values())[:-1]:
        by_groups = group(by_groups)
    assert torch.allclose(by_groups.mean((2, 3)), features)


@pytest.mark.parametrize("kwargs", [dict(num_classes=0), dict(dropout=1.0), dict(tf_padding="yes")])
def test_unsupported_arguments_are_refused(kwargs):
    with pytest.raises(ParameterError, match=next(iter(kwargs))):
        EfficientNetLite0(**kwargs)


def test_tensorflow_same_padding_puts_the_extra_pixel_last():
    # A 3x3 stride-2 convolution that sums its window: on an all-ones 4x4 image, TF pads one row/column
    # at the bottom/right only, so the top-left output sees 9 ones and the bottom-right 4.
    conv = SameConv(1, 1, 3, stride=2)
    nn.init.ones_(conv.weight)
    out = conv(torch.ones(1, 1, 4, 4))[0, 0]
    assert out.tolist() == [[9.0, 6.0], [6.0, 4.0]]
    symmetric = SameConv(1, 1, 3, stride=2, tf_padding=False)
    nn.init.ones_(symmetric.weight)
    assert symmetric(torch.ones(1, 1, 4, 4))[0, 0].tolist() == [[4.0, 6.0], [6.0, 9.0]]


@pytest.mark.parametrize("kernel", [3, 5])
def test_same_padding_on_a_non_square_input(kernel):
    # TensorFlow's "same": output = ceil(in / stride) in each dimension, each padded on its own:
    # height 7, kernel k: total (4-1)*2 + k - 7; width 10: total (5-1)*2 + k - 10; odd pixel last.
    torch.manual_seed(0)
    conv = SameConv(2, 3, kernel, stride=2)
    x = torch.randn(1, 2, 7, 10)
    out = conv(x)
    assert out.shape[-2:] == (4, 5)
    height, width = 6 + kernel - 7, 8 + kernel - 10
    explicit = F.pad(x, (width // 2, width - width // 2, height // 2, height - height // 2))
    assert torch.allclose(out, F.conv2d(explicit, conv.weight, stride=2))
    assert EfficientNetLite0().eval()(torch.zeros(1, 3, 97, 131)).shape == (1, 1000)
