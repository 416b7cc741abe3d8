"""The course's EfficientNet-Lite0 against the shipped weights file and hand-computed counts."""
import torch
from torch import nn

from utils import pretrained
from utils.counting import count_parameters
from utils.efficientnet_lite import EfficientNetLite0, MBConv, SameConv


def test_same_keys_and_shapes_as_the_shipped_file():
    shipped = torch.load(pretrained.lite0_path(), map_location="cpu", weights_only=True)
    ours = EfficientNetLite0().state_dict()
    assert list(ours) == list(shipped)
    assert all(ours[k].shape == shipped[k].shape for k in ours)


def test_parameter_count_is_that_of_the_file():
    shipped = torch.load(pretrained.lite0_path(), map_location="cpu", weights_only=True)
    in_file = sum(v.numel() for k, v in shipped.items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert in_file == 4_652_008
    assert count_parameters(EfficientNetLite0()) == 4_652_008


def test_mbconv_parameters_by_formula():
    # expand 1x1 (16*96) + BN (2*96) + depthwise 3x3 (96*9) + BN (2*96) + project 1x1 (96*24) + BN (2*24)
    block = MBConv(16, 24, kernel=3, stride=2, expand=6)
    assert count_parameters(block) == 16 * 96 + 2 * 96 + 96 * 9 + 2 * 96 + 96 * 24 + 2 * 24
    assert not block.residual
    assert MBConv(24, 24, kernel=3, stride=1, expand=6).residual


def test_output_sizes_halve_five_times():
    model = EfficientNetLite0(num_classes=7).eval()
    assert model(torch.zeros(2, 3, 224, 224)).shape == (2, 7)
    assert model.features(torch.zeros(1, 3, 96, 96)).shape == (1, 1280)


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
