"""The transfer-learning notebook: a quick papermill run, and one sentence for each bad parameter."""
import pytest

from tests.notebook_runs import parameter_error, run_notebook, validation_error

NAME = "08_transfer_learning"
QUICK = dict(
    PATCH=32, RESOLUTION=32, POOL_PER_CLASS=12, TEST_PER_CLASS=8, LABELLED_PER_CLASS=5,
    SWEEP=[1, 5, "all"], HEAD_EPOCHS=2, FULL_EPOCHS=1,
)


def test_quick_run(tmp_path):
    records, seconds = run_notebook(NAME, tmp_path, **QUICK)
    assert set(records) >= {"acc_feature_extraction", "acc_finetune", "acc_scratch", "acc_random_features"}
    for name in ("acc_feature_extraction", "acc_finetune", "acc_scratch", "acc_random_features"):
        # 3 texture classes x 8 test patches: every accuracy is a multiple of 1/24
        assert 0 <= records[name] <= 1 and abs(records[name] * 24 - round(records[name] * 24)) < 1e-3
    assert records["acc_feature_extraction"] >= 0.8  # ImageNet features tell textures apart even at 32 px
    assert records["margin_over_random_features"] == pytest.approx(
        records["acc_feature_extraction"] - records["acc_random_features"], abs=1e-3
    )
    assert seconds < 200  # mostly fixed costs: imports, the 224-pixel photo checks


@pytest.mark.parametrize(
    "bad, words",
    [
        (dict(DEVICE="tpu"), ["DEVICE", "'tpu'"]),
        (dict(SEED=-1), ["SEED", "-1"]),
        (dict(BACKBONE="vgg99"), ["BACKBONE", "'vgg99'", "'efficientnet_lite0'"]),
        (dict(DATASET="imagenet"), ["DATASET", "'imagenet'", "folder:PATH"]),
        (dict(FAR_DATASET="svhn"), ["FAR_DATASET", "'svhn'"]),
        (dict(PATCH=4), ["PATCH", "at least 8"]),
        (dict(PATCH=400), ["PATCH", "at most 256"]),
        (dict(RESOLUTION=16), ["RESOLUTION", "at least 32"]),
        (dict(POOL_PER_CLASS=0), ["POOL_PER_CLASS"]),
        (dict(TEST_PER_CLASS=0), ["TEST_PER_CLASS"]),
        (dict(LABELLED_PER_CLASS=200), ["LABELLED_PER_CLASS", "POOL_PER_CLASS"]),
        (dict(SWEEP=[1, "many"]), ["SWEEP", "'all'"]),
        (dict(HEAD_EPOCHS=0), ["HEAD_EPOCHS"]),
        (dict(FULL_EPOCHS=1.5), ["FULL_EPOCHS"]),
        (dict(LR=0), ["LR", "above 0"]),
        (dict(LR_DECAY=2), ["LR_DECAY", "at most 1"]),
    ],
)
def test_bad_parameters_give_one_sentence(bad, words):
    sentence = validation_error(NAME, **bad)
    assert "\n" not in sentence
    for word in words:
        assert word in sentence


@pytest.mark.parametrize(
    "bad, words",
    [
        (dict(DATASET="folder:/nonexistent/photos"), ["folder:/nonexistent/photos", "not a folder"]),
        (dict(DATASET="cifar10"), ["cifar10", "could not be downloaded", "textures"]),
    ],
)
def test_unloadable_dataset_stops_the_notebook_with_one_sentence(tmp_path, monkeypatch, bad, words):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "data"))  # an empty cache: cifar10 must be downloaded
    sentence = parameter_error(NAME, tmp_path, **bad)
    assert "\n" not in sentence
    for word in words:
        assert word in sentence


def test_torchvision_backbone_offline_stops_the_notebook_with_one_sentence(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))  # no cached weights
    sentence = parameter_error(NAME, tmp_path, BACKBONE="resnet18")
    assert "resnet18" in sentence and "efficientnet_lite0" in sentence
