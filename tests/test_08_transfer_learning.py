"""The transfer-learning notebook: a quick papermill run, and one sentence for each bad parameter."""
import colorsys

import numpy as np
import pytest
import torchvision.models._api
from PIL import Image

from tests.notebook_runs import parameter_error, run_notebook, validation_error

NAME = "08_transfer_learning"
QUICK = dict(
    SEED=5, SEEDS=2, PATCH=32, RESOLUTION=32, POOL_PER_CLASS=12, TEST_PER_CLASS=10, LABELLED_PER_CLASS=3,
    SWEEP=[1, 3, "all"], DEPTHS=[0, 1], PASSES=5, STEPS=10, BATCH_SIZE=16,
)  # two seeds the default run does not use
TASKS, SIZES, DEPTHS = ("near", "far"), (1, 3, 12), (0, 1)  # "all" is the pool: 12 per class on both tasks
LR, LR_DECAY = 0.001, 0.7  # the notebook's defaults


def check_verdicts_and_training(records):
    """Each rule's verdict is a boolean; every fine-tuned network learnt something; the rates printed are the
    optimiser's, shrinking by LR_DECAY per group from the last layer (depth 1: the last layer and the head conv)."""
    assert all(type(records[f"rule {n} held"]) is bool for n in (1, 2, 3, 4))
    assert records["every fine-tuned model above chance"] is True
    assert records["learning rates used"] == pytest.approx([LR, LR * LR_DECAY])
    assert all(records[f"exercise {name}"] is True for name in
               ("1. which blocks make a stage", "2. parameters per stage", "3. how far the weights moved"))


def test_quick_run(tmp_path):
    records, seconds = run_notebook(NAME, tmp_path, **QUICK)
    check_verdicts_and_training(records)
    # feature extraction beats random features: on the near task's first comparison, and at every grid size on both tasks
    assert records["acc_feature_extraction"] >= records["acc_random_features"] + 0.1
    assert records["rule 4 held"] is True
    # the grid covers every task, size and depth, each accuracy above chance (3 textures, 10 digits)
    grid = records["grid_mean_accuracy"]
    assert set(grid) == {f"{task} {n} depth {d}" for task in TASKS for n in SIZES for d in DEPTHS}
    assert all(value > (1 / 3 if name.startswith("near") else 1 / 10) + 0.1 for name, value in grid.items())
    # ImageNet features tell textures apart better than digits
    assert min(grid[f"near {n} depth 0"] - grid[f"far {n} depth 0"] for n in SIZES) > 0.1
    # with the same number of steps, fine-tuning from ImageNet's weights beats training from scratch on textures
    assert records["acc_full_finetune_near"] > records["acc_scratch_near"] + 0.1
    assert seconds < 600  # a gross overrun only: the quick run is mostly fixed costs


def colour_folder(root, classes, per_class=15):
    """One subfolder per class of noisy 40x40 photos, each class its own colour."""
    rng = np.random.default_rng(0)
    for c in range(classes):
        colour = np.array(colorsys.hsv_to_rgb(c / classes, 0.9, 0.9)) * 255
        (root / f"class{c}").mkdir(parents=True)
        for i in range(per_class):
            pixels = np.clip(colour + rng.normal(0, 40, (40, 40, 3)), 0, 255).astype(np.uint8)
            Image.fromarray(pixels).save(root / f"class{c}" / f"{i}.png")
    return f"folder:{root}"


def test_folders_of_two_and_of_ten_classes(tmp_path):
    """Bring your own photos: two classes (scikit-learn's binary logistic regression) as the near task, ten as the far."""
    two, ten = colour_folder(tmp_path / "two", 2), colour_folder(tmp_path / "ten", 10)
    records, _ = run_notebook(NAME, tmp_path, **{**QUICK, "DATASET": two, "FAR_DATASET": ten, "SWEEP": [1, 3, "all"]})
    check_verdicts_and_training(records)
    assert set(records["grid_mean_accuracy"]) == {f"{task} {n} depth {d}" for task in TASKS for n in (1, 3, 12) for d in DEPTHS}


@pytest.mark.parametrize(
    "bad, words",
    [
        (dict(DEVICE="tpu"), ["DEVICE", "'tpu'"]),
        (dict(SEED=-1), ["SEED", "-1"]),
        (dict(SEEDS=0), ["SEEDS", "at least 1"]),
        (dict(BACKBONE="vgg99"), ["BACKBONE", "'vgg99'", "'efficientnet_lite0'"]),
        (dict(DATASET="imagenet"), ["DATASET", "'imagenet'", "folder:PATH"]),
        (dict(FAR_DATASET="svhn"), ["FAR_DATASET", "'svhn'"]),
        (dict(PATCH=4), ["PATCH", "from 8 to 256"]),
        (dict(PATCH=400), ["PATCH", "from 8 to 256"]),
        (dict(RESOLUTION=16), ["RESOLUTION", "at least 32"]),
        (dict(POOL_PER_CLASS=0), ["POOL_PER_CLASS"]),
        (dict(TEST_PER_CLASS=0), ["TEST_PER_CLASS"]),
        (dict(LABELLED_PER_CLASS=500), ["LABELLED_PER_CLASS", "POOL_PER_CLASS (30)"]),
        (dict(SWEEP=[1, "many"]), ["SWEEP", "'all'"]),
        (dict(SWEEP=[3, 1000]), ["SWEEP", "POOL_PER_CLASS (30)"]),
        (dict(SWEEP=[]), ["SWEEP", "non-empty"]),
        (dict(DEPTHS=[0, 9]), ["DEPTHS", "from 0 to 8"]),
        (dict(DEPTHS=[0]), ["DEPTHS", "at least 1"]),
        (dict(FEW=0), ["FEW", "at least 1"]),
        (dict(PASSES=0), ["PASSES"]),
        (dict(PATIENCE=0), ["PATIENCE"]),
        (dict(VALIDATION=0.5), ["VALIDATION", "0.5"]),
        (dict(WHOLE_RESOLUTION=16), ["WHOLE_RESOLUTION", "at least 32"]),
        (dict(STEPS=0), ["STEPS"]),
        (dict(STEPS=1.5), ["STEPS"]),
        (dict(BATCH_SIZE=0), ["BATCH_SIZE"]),
        (dict(LR=0), ["LR", "above 0"]),
        (dict(LR_DECAY=2), ["LR_DECAY", "at most 1"]),
    ],
)
def test_bad_parameters_give_one_sentence(bad, words):
    sentence = validation_error(NAME, **bad)
    assert "\n" not in sentence
    for word in words:
        assert word in sentence


def test_torchvision_backbone_offline_gives_one_sentence(monkeypatch, tmp_path):
    def refuse(*args, **kwargs):
        raise RuntimeError("no network")

    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))  # no cached weights
    monkeypatch.setattr(torchvision.models._api, "load_state_dict_from_url", refuse)  # and no download, online or not
    sentence = validation_error(NAME, BACKBONE="resnet18")
    assert "\n" not in sentence and "resnet18" in sentence and "efficientnet_lite0" in sentence


def test_unloadable_dataset_stops_the_notebook_with_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "data"))  # an empty cache: cifar10 must be downloaded
    for proxy in ("https_proxy", "http_proxy", "HTTPS_PROXY", "HTTP_PROXY"):
        monkeypatch.setenv(proxy, "http://127.0.0.1:9")  # and cannot be, even on a machine with network
    sentence = parameter_error(NAME, tmp_path, FAR_DATASET="cifar10")
    assert "\n" not in sentence
    for word in ("cifar10", "could not be downloaded", "FAR_DATASET="):
        assert word in sentence


def test_exercise_checks_fail_on_wrong_answers():
    import torch
    from torch import nn

    from tests.notebook_runs import assert_exercises
    from utils import counting, pretrained
    from utils.nets.efficientnet_lite import LITE0

    model = pretrained.efficientnet_lite0()
    moved = pretrained.efficientnet_lite0()
    with torch.no_grad():  # a stand-in for section 6's fine-tuned network: each tensor moved by 1% to 7%
        for i, p in enumerate(moved.parameters()):
            p.mul_(1 + 0.01 * (i % 7 + 1))
    namespace = {"torch": torch, "nn": nn, "np": np, "counting": counting, "model": model, "LITE0": LITE0,
                 "one_rate": {"far": moved}, "FAR_DATASET": "mnist5k"}
    shortcuts = {"stage_parameters": [lambda stage: counting.count_parameters(model.named_groups()[f"stage {stage}"])],
                 "moved_by": [lambda before, after: 0.04],  # a count of the built stage; a constant
                 "blocks_of": [lambda stage, table=LITE0: [[0], [1, 2], [3, 4], [5, 6, 7], [8, 9, 10],
                                                          [11, 12, 13, 14], [15]][stage - 1]]}  # Lite0's typed in
    assert_exercises(NAME, namespace, 3, shortcuts=shortcuts)
