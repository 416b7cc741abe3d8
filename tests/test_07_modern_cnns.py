"""notebooks/07_modern_cnns.ipynb on a quick parameter set, its one-sentence parameter errors, and the
evolution table and chart it draws (utils.evolution, utils.viz.evolution_chart)."""
import matplotlib
import pytest
import torch
import torchvision

from tests.notebook_runs import assert_one_sentence, parameter_error, run_notebook
from utils import counting, evolution, pretrained, viz

matplotlib.use("Agg")

QUICK = {
    "TRAIN_SIZE": 500,
    "DEPTH": 8,
    "WIDTH": 16,
    "EPOCHS": 1,
    "STACKED_BLOCKS": 3,
    "PHOTOS": ["chelsea"],
}
QUICK_RUN_SECONDS = 150  # on 2 CPU cores; counting B0-B7 and the evolution table take most of it

# MobileNet v1, Table 1 written out independently: (input side, channels in, channels out, depthwise stride).
SEPARABLE = [(112, 32, 64, 1), (112, 64, 128, 2), (56, 128, 128, 1), (56, 128, 256, 2), (28, 256, 256, 1),
             (28, 256, 512, 2), *[(14, 512, 512, 1)] * 5, (14, 512, 1024, 2), (7, 1024, 1024, 1)]
SE_STAGES = [(256, 3), (512, 4), (1024, 6), (2048, 3)]  # ResNet-50's bottleneck outputs: (channels, blocks)


def mobilenet_by_type() -> dict[str, tuple[int, int]]:
    """(multiply-adds, weights) of MobileNet v1 per layer type of Table 2, by formula."""
    types = {"conv_3x3": (112 * 112 * 27 * 32, 27 * 32), "fc": (1024 * 1000, 1024 * 1000)}
    dw, pw = [0, 0], [0, 0]
    for side, c_in, c_out, stride in SEPARABLE:
        out = side // stride
        dw[0], dw[1] = dw[0] + 9 * c_in * out * out, dw[1] + 9 * c_in
        pw[0], pw[1] = pw[0] + c_in * c_out * out * out, pw[1] + c_in * c_out
    return {**types, "conv_dw_3x3": tuple(dw), "conv_1x1": tuple(pw)}


def mobilenet_parameters() -> int:
    batch_norm = 2 * (32 + sum(c_in + c_out for _, c_in, c_out, _ in SEPARABLE))
    return sum(weights for _, weights in mobilenet_by_type().values()) + batch_norm + 1000


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    return run_notebook("07_modern_cnns", tmp_path_factory.mktemp("modern"), **QUICK)


def test_mobilenet_counts_and_table_2_shares(quick_run):
    records, _ = quick_run
    by_type = mobilenet_by_type()
    total_macs, total_weights = (sum(v[i] for v in by_type.values()) for i in (0, 1))
    assert records["params_mobilenet_v1"] == mobilenet_parameters() == 4_231_976
    assert records["mult_adds_mobilenet_v1"] == total_macs
    for kind, (macs, weights) in by_type.items():
        assert records[f"share_mult_adds_{kind}"] == round(100 * macs / total_macs, 2), kind
        assert records[f"share_params_{kind}"] == round(100 * weights / total_weights, 2), kind
    assert (records["share_mult_adds_conv_1x1"], records["share_params_conv_1x1"]) == (94.86, 74.59)


def test_se_resnet50_counts(quick_run):
    records, _ = quick_run
    resnet50 = counting.on_meta(torchvision.models.resnet50)
    se = sum(blocks * (2 * c * (c // 16) + c // 16 + c) for c, blocks in SE_STAGES)
    assert records["params_se_resnet50"] == counting.count_parameters(resnet50) + se == 28_088_024
    # torchvision's ResNet-50 is v1.5; the paper's v1 does a quarter of the work in three strided 1x1 convolutions.
    v1 = counting.count_macs(resnet50, (1, 3, 224, 224)) - sum(
        3 * c * (c // 2) * side * side // 4 for c, side in ((256, 56), (512, 28), (1024, 14)))
    assert records["mult_adds_se_resnet50"] == v1 + sum(blocks * 2 * c * (c // 16) for c, blocks in SE_STAGES)
    assert records["se_resnet50_outputs_identical"] is True


def test_efficientnet_counts(quick_run):
    records, _ = quick_run
    weights = torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1
    assert records["params_efficientnet_b0"] == weights.meta["num_params"] == 5_288_548
    b0 = counting.on_meta(torchvision.models.efficientnet_b0)
    assert records["mult_adds_efficientnet_b0"] == counting.count_macs(b0, (1, 3, 224, 224))
    assert records["efficientnet_b0_outputs_identical"] is True
    shipped = torch.load(pretrained.lite0_path(), map_location="cpu", weights_only=True)
    trainable = sum(t.numel() for k, t in shipped.items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert records["params_efficientnet_lite0"] == trainable


def test_highway_run_and_exercises(quick_run):
    records, _ = quick_run
    for name in ("highway_test_accuracy", "plain_test_accuracy"):
        assert 0.0 <= records[name] <= 1.0
    assert records["highway_minus_plain"] == pytest.approx(
        records["highway_test_accuracy"] - records["plain_test_accuracy"], abs=1e-4)
    exercises = {k: v for k, v in records.items() if k.startswith("exercise ")}
    assert len(exercises) == 4 and all(exercises.values())


def test_quick_run_is_quick(quick_run):
    _, seconds = quick_run
    assert seconds < QUICK_RUN_SECONDS, f"the quick run took {seconds:.0f} s"


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"DEVICE": "tpu"}, ["DEVICE", "'tpu'", "'cpu'"]),
        ({"SEED": -1}, ["SEED", "-1", "at least 0"]),
        ({"DATASET": "imagenet"}, ["DATASET", "'imagenet'", "'mnist5k'"]),
        ({"TRAIN_SIZE": 10**6}, ["TRAIN_SIZE", "1000000", "only 4,000"]),
        ({"DEPTH": 0}, ["DEPTH", "0", "from 1 to 200"]),
        ({"DEPTH": 500}, ["DEPTH", "500", "from 1 to 200"]),
        ({"WIDTH": 1}, ["WIDTH", "1", "at least 2"]),
        ({"GATE_BIAS": 1.0}, ["GATE_BIAS", "1.0", "at most 0"]),
        ({"EPOCHS": 0}, ["EPOCHS", "0", "at least 1"]),
        ({"LR": 0}, ["LR", "0", "above 0"]),
        ({"BATCH_SIZE": 0}, ["BATCH_SIZE", "0", "at least 1"]),
        ({"RESIDUAL_SCALE": 2}, ["RESIDUAL_SCALE", "2", "at most 1"]),
        ({"STACKED_BLOCKS": 0}, ["STACKED_BLOCKS", "0", "from 1 to 100"]),
        ({"PHOTOS": ["dog"]}, ["PHOTOS", "['dog']", "chelsea"]),
        ({"PHOTOS": []}, ["PHOTOS", "[]", "non-empty list"]),
    ],
    ids=lambda value: next(iter(value)) if isinstance(value, dict) else None,
)
def test_bad_parameter_gives_one_sentence(bad, words):
    assert_one_sentence("07_modern_cnns", bad, words)


def test_bad_parameter_stops_the_notebook_with_one_sentence(tmp_path):
    sentence = parameter_error("07_modern_cnns", tmp_path, DEPTH=0)
    assert sentence == "DEPTH is 0, but it must be an integer from 1 to 200."


def test_evolution_rows_are_counted_and_sourced():
    by_name = {a.name: a for a in evolution.ARCHITECTURES}
    b0 = evolution.row(by_name["EfficientNet-B0"])
    weights = torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1
    assert b0["parameters"] == weights.meta["num_params"]
    assert b0["torchvision top-1 error (%)"] == pytest.approx(100 - weights.meta["_metrics"]["ImageNet-1K"]["acc@1"])
    assert b0["top-1 error (%)"] == pytest.approx(100 - 77.1)
    vgg16 = evolution.row(by_name["VGG-16"])
    assert vgg16["parameters"] == counting.count_parameters(counting.on_meta(torchvision.models.vgg16))
    assert all(a.source for a in evolution.ARCHITECTURES)
    years = [a.year for a in evolution.ARCHITECTURES]
    assert years == sorted(years)


def test_evolution_chart_draws_both_views():
    table = evolution.table([a for a in evolution.ARCHITECTURES if a.module in ("mobilenet", "efficientnet")][:3])
    error, year = viz.evolution_chart(table, "error"), viz.evolution_chart(table, "year")
    assert error.axes[0].get_xscale() == "log" and "error" in error.axes[0].get_ylabel()
    assert year.axes[0].get_xlabel() == "year of the paper"
    assert len(error.axes[0].texts) == 3
    with pytest.raises(ValueError, match="view"):
        viz.evolution_chart(table, "size")
