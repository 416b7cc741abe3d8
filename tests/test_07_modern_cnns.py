"""notebooks/07_modern_cnns.ipynb on a quick parameter set (section 1's experiment on two seeds the notebook does
not use), its exercises' checks, its one-sentence parameter errors, and the evolution table and chart it draws
(utils.evolution, utils.viz.evolution_chart)."""
import math

import matplotlib
import nbformat
import pandas as pd
import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn

from tests.notebook_runs import ROOT, assert_exercises, assert_one_sentence, parameter_error, run_notebook
from utils import counting, evolution, pretrained, seeds, viz
from utils.nets import efficientnet as efficientnets
from utils.nets import mobilenet as mobilenets
from utils.nets import resnet as resnets
from utils.nets import senet

matplotlib.use("Agg")

# Section 1 at its default depth, width, data and epochs, on seeds 3 and 4 (the notebook uses 0 to 2), with two of
# its three learning rates: the ones each stack picked on seeds 0 to 2.
QUICK = {
    "SEED": 3,
    "SEEDS": 2,
    "LRS": [0.2, 0.003],
    "STACKED_BLOCKS": 3,
    "PHOTOS": ["chelsea"],
}
QUICK_RUN_SECONDS = 300  # a gross overrun on 2 CPU cores (measured: about 45 s for the default run)
KEYS = {"plain": "plain", "plain, He": "plain_he", "highway": "highway"}

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
    folder = tmp_path_factory.mktemp("modern")
    records, seconds = run_notebook("07_modern_cnns", folder, **QUICK)
    cells = nbformat.read(folder / "07_modern_cnns.ipynb", as_version=4).cells
    shown = "\n".join(str(out.get("data", {}).get("text/markdown", "")) for c in cells for out in c.get("outputs", []))
    return records, seconds, shown


def test_mobilenet_counts_and_table_2_shares(quick_run):
    records, *_ = quick_run
    by_type = mobilenet_by_type()
    total_macs, total_weights = (sum(v[i] for v in by_type.values()) for i in (0, 1))
    assert records["params_mobilenet_v1"] == mobilenet_parameters() == 4_231_976
    assert records["mult_adds_mobilenet_v1"] == total_macs
    for kind, (macs, weights) in by_type.items():
        assert records[f"share_mult_adds_{kind}"] == round(100 * macs / total_macs, 2), kind
        assert records[f"share_params_{kind}"] == round(100 * weights / total_weights, 2), kind
    assert (records["share_mult_adds_conv_1x1"], records["share_params_conv_1x1"]) == (94.86, 74.59)


def test_se_resnet50_counts(quick_run):
    records, *_ = quick_run
    resnet50 = counting.on_meta(torchvision.models.resnet50)
    se = sum(blocks * (2 * c * (c // 16) + c // 16 + c) for c, blocks in SE_STAGES)
    assert records["params_se_resnet50"] == counting.count_parameters(resnet50) + se == 28_088_024
    # torchvision's ResNet-50 is v1.5; the paper's v1 does a quarter of the work in three strided 1x1 convolutions.
    v1 = counting.count_macs(resnet50, (1, 3, 224, 224)) - sum(
        3 * c * (c // 2) * side * side // 4 for c, side in ((256, 56), (512, 28), (1024, 14)))
    assert records["mult_adds_se_resnet50"] == v1 + sum(blocks * 2 * c * (c // 16) for c, blocks in SE_STAGES)
    assert records["se_resnet50_outputs_identical"] is True


def test_efficientnet_counts(quick_run):
    records, *_ = quick_run
    weights = torchvision.models.EfficientNet_B0_Weights.IMAGENET1K_V1
    assert records["params_efficientnet_b0"] == weights.meta["num_params"] == 5_288_548
    b0 = counting.on_meta(torchvision.models.efficientnet_b0)
    assert records["mult_adds_efficientnet_b0"] == counting.count_macs(b0, (1, 3, 224, 224))
    assert records["efficientnet_b0_outputs_identical"] is True
    shipped = torch.load(pretrained.lite0_path(), map_location="cpu", weights_only=True)
    trainable = sum(t.numel() for k, t in shipped.items() if not k.endswith(("running_mean", "running_var", "num_batches_tracked")))
    assert records["params_efficientnet_lite0"] == trainable


def test_highway_on_two_unused_seeds(quick_run):
    # Measured on seeds 0 to 4 (4 epochs, 30 layers of 50 units, 4,000 digits): the default-initialised plain stack
    # ends at 10.0% on every seed and rate; plain with He's initialisation at 29% to 62% (best rate 0.003); highway at
    # 86% to 88% (best rate 0.2).
    records, _, shown = quick_run
    accuracy = {kind: records[f"{key}_test_accuracy_seeds"] for kind, key in KEYS.items()}
    for kind, key in KEYS.items():
        assert len(accuracy[kind]) == QUICK["SEEDS"] and records[f"{key}_test_accuracy"] == accuracy[kind][0], kind
        assert records[f"{key}_lr"] in QUICK["LRS"], kind
        # every baseline is counted as trained, or reported as broken
        assert records[f"{key}_trained"] == all(seeds.trained(a, 10) for a in accuracy[kind]), kind
    assert records["plain_trained"] is False and "the default-initialised plain stack" in shown
    assert records["plain_he_trained"] is True and records["highway_trained"] is True, accuracy
    assert records["highway_against_plain_he"] == seeds.verdict(accuracy["highway"], accuracy["plain, He"]) == "ahead"
    assert "Highway is ahead of plain with He's initialisation" in shown and "the gates are needed" in shown
    assert records["highway_minus_plain_he"] >= 0.2, accuracy
    # at initialisation the default plain stack loses the difference between images; He's initialisation keeps more
    signal = records["signal_last_over_first"]
    assert signal["plain"] < 1e-4 < signal["plain, He"], signal


def test_quick_run_passes_its_exercises(quick_run):
    records, *_ = quick_run
    exercises = {k: v for k, v in records.items() if k.startswith("exercise ")}
    assert len(exercises) == 4 and all(exercises.values()), exercises


def test_exercise_checks_fail_on_wrong_answers():
    cells = nbformat.read(ROOT / "notebooks" / "07_modern_cnns.ipynb", as_version=4).cells
    table_1 = next(c.source for c in cells if c.cell_type == "code" and "EFFICIENTNET_TABLE_1 = [" in c.source)
    namespace = {"math": math, "torch": torch, "nn": nn, "F": F, "pd": pd, "counting": counting, "RESIDUAL_SCALE": 0.2,
                 "mobilenets": mobilenets, "senet": senet, "efficientnets": efficientnets, "resnets": resnets}
    exec(table_1.split("\n\n\nclass ")[0], namespace)  # the table only, not the network built from it
    library = lambda depth, reduction: (counting.count_parameters(counting.on_meta(senet.se_resnet, depth, reduction))  # noqa: E731
                                        - counting.count_parameters(counting.on_meta(resnets.resnet, depth)))
    shortcuts = {"se_extra_parameters": [library],  # a count of built networks, not a formula
                 "mbconv_blocks": [lambda depth: {1.0: 16, 1.4: 26, 3.1: 55}.get(depth, 0)]}  # the released networks only
    assert_exercises("07_modern_cnns", namespace, 4, setup=("class InceptionResNetA",), shortcuts=shortcuts)


def test_quick_run_is_quick(quick_run):
    _, seconds, _ = quick_run
    assert seconds < QUICK_RUN_SECONDS, f"the quick run took {seconds:.0f} s"


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"DEVICE": "tpu"}, ["DEVICE", "'tpu'", "'cpu'"]),
        ({"SEED": -1}, ["SEED", "-1", "from 0 to 4294967295"]),
        ({"DATASET": "imagenet"}, ["DATASET", "'imagenet'", "'mnist5k'"]),
        ({"TRAIN_SIZE": 10**6}, ["TRAIN_SIZE", "1000000", "only 4,000"]),
        ({"DEPTH": 0}, ["DEPTH", "0", "from 1 to 200"]),
        ({"DEPTH": 500}, ["DEPTH", "500", "from 1 to 200"]),
        ({"WIDTH": 1}, ["WIDTH", "1", "at least 2"]),
        ({"GATE_BIAS": 1.0}, ["GATE_BIAS", "1.0", "at most 0"]),
        ({"EPOCHS": 0}, ["EPOCHS", "0", "at least 1"]),
        ({"LRS": [0.1, 0]}, ["LRS", "[0.1, 0]", "learning rates above 0"]),
        ({"LRS": []}, ["LRS", "[]", "non-empty list"]),
        ({"SEEDS": 1}, ["SEEDS", "1", "from 2 to 10"]),
        ({"SEEDS": 11}, ["SEEDS", "11", "from 2 to 10"]),
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


@pytest.fixture(scope="module")
def history():
    return evolution.table()


def test_evolution_counts_the_network_whose_error_it_shows(history):
    # Where the error is torchvision's, the counts must be of torchvision's network: its weights' metadata gives the
    # parameters and the GFLOPs (multiply-adds) independently of our counter.
    for architecture in evolution.ARCHITECTURES:
        if not architecture.evaluated:
            continue
        meta = evolution.torchvision_weights(architecture.evaluated).meta
        row = history.loc[architecture.name]
        assert row["parameters"] == meta["num_params"], architecture.name
        assert abs(row["multiply-adds"] / 1e9 - meta["_ops"]) < 0.01, architecture.name
        assert row["top-1 error (%)"] == pytest.approx(100 - meta["_metrics"]["ImageNet-1K"]["acc@1"])
        assert architecture.evaluated in row["source"] and row["counted on"] == f"torchvision's {architecture.evaluated}"
    # The rows counted on our networks: the paper's networks (ResNet-50 v1, not torchvision's v1.5).
    assert history.loc["ResNet-50", "multiply-adds"] == history.loc["SE-ResNet-50", "multiply-adds"] - sum(
        blocks * 2 * c * (c // 16) for c, blocks in SE_STAGES)
    assert list(history["year"]) == sorted(history["year"])


def test_evolution_errors_share_one_protocol(history):
    shown = history[history["top-1 error (%)"].notna()]
    assert set(shown["protocol"]) == {evolution.PROTOCOL}
    assert history.index[history["top-1 error (%)"].isna()].tolist() == ["LeNet-5"]
    # The papers' multi-crop and dense figures are in their own column, each below the same network's one-crop error.
    other = history[history["other top-1 error (%)"].notna()]
    assert set(other.index) == {"AlexNet", "VGG-16", "VGG-19", "ResNet-50", "ResNet-152"}
    assert (other["other top-1 error (%)"] < other["top-1 error (%)"]).all()
    assert all(other["other protocol"].str.len() > 0)
    # SE-ResNet-50 improves on the ResNet-50 it is built from, under the same protocol and source (Hu et al., Table 2).
    assert history.loc["SE-ResNet-50", "top-1 error (%)"] < history.loc["ResNet-50", "top-1 error (%)"]
    assert history.loc["ResNet-50", "source"].split(",")[0] == history.loc["SE-ResNet-50", "source"].split(",")[0]


def test_every_architecture_of_the_course_is_charted_or_says_why_not(history):
    # 07's sections: Highway, Inception-ResNet, SE, MobileNet, EfficientNet; the earlier notebooks' networks.
    taught = ["LeNet-5", "AlexNet", "VGG-16", "GoogLeNet", "ResNet-50", "Xception", "Highway networks",
              "Inception-ResNet", "SE-ResNet-50", "MobileNet v1", "EfficientNet-B0", "EfficientNet-Lite0"]
    left_out = {name.rsplit(" (", 1)[0] for name in evolution.NOT_CHARTED}
    assert [name for name in taught if name not in history.index and name not in left_out] == []
    assert not left_out & set(history.index)


def test_crop_notes_come_from_torchvision_metadata(history):
    # torchvision evaluates B3 to B7 at the paper's own resolutions (300, 380, 456, 528, 600) and B2 at 288, not 260.
    noted = history.index[history["torchvision note"].str.contains("evaluated at")].tolist()
    assert noted == ["EfficientNet-B2"]
    assert history.loc["EfficientNet-B2", "torchvision note"] == "evaluated at 288x288, larger than the paper's 260x260"
    b0 = next(a for a in evolution.ARCHITECTURES if a.name == "EfficientNet-B0")
    smaller = evolution.Architecture(**{**b0.__dict__, "input_size": (3, 240, 240)})
    assert evolution.crop_note(smaller) == "evaluated at 224x224, smaller than the paper's 240x240"


def _boxes(ax):
    renderer = ax.figure.canvas.get_renderer()
    return [text.get_window_extent(renderer) for text in ax.texts]


def test_evolution_chart_draws_one_protocol_and_marks_the_others(history):
    fig = viz.evolution_chart(history, "error")
    ax = fig.axes[0]
    collections = {c.get_gid(): c for c in ax.collections}
    shown = history[history["top-1 error (%)"].notna()]
    points = collections["protocol"].get_offsets()
    assert points.tolist() == shown[["multiply-adds", "top-1 error (%)"]].to_numpy(dtype=float).tolist()
    other = collections["other protocol"]
    assert len(other.get_offsets()) == history["other top-1 error (%)"].notna().sum()
    marker = [c.get_paths()[0].vertices.tolist() for c in (other, collections["protocol"])]
    assert marker[0] != marker[1]  # another marker
    y = dict(zip(shown.index, points[:, 1]))
    assert y["SE-ResNet-50"] < y["ResNet-50"]  # drawn better than the network it improves on
    assert ax.get_xscale() == "log" and "error" in ax.get_ylabel() and "multiply-adds" in ax.get_xlabel()
    # every network has a label, and no two labels overlap
    assert len(ax.texts) == len(shown)
    boxes = _boxes(ax)
    assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    matplotlib.pyplot.close(fig)


def test_evolution_year_view_labels_its_axes(history):
    fig = viz.evolution_chart(history, "year")
    parameters, work = fig.axes
    assert parameters.get_ylabel() == "parameters (log scale)"
    assert work.get_ylabel() == "multiply-adds per image (log scale)"
    assert work.get_xlabel().startswith("year of the paper")
    assert [t.get_text() for t in work.get_xticklabels()] == [str(y) for y in sorted(history["year"].unique())]
    for ax in fig.axes:
        boxes = _boxes(ax)
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
    with pytest.raises(ValueError, match="view"):
        viz.evolution_chart(history, "size")
    matplotlib.pyplot.close(fig)
