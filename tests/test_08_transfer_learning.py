"""The transfer-learning notebook: a quick papermill run, and one sentence for each bad parameter."""
import pytest
import torchvision.models._api

from tests.notebook_runs import parameter_error, run_notebook, validation_error

NAME = "08_transfer_learning"
QUICK = dict(
    PATCH=32, RESOLUTION=32, POOL_PER_CLASS=40, TEST_PER_CLASS=20, LABELLED_PER_CLASS=3,
    SWEEP=[3, "all"], SEEDS=2, DEPTHS=[0, 1], STEPS=10, BATCH_SIZE=16,
)
TASKS, SIZES, DEPTHS = ("near", "far"), (3, 40), (0, 1)  # "all" is the pool: 40 per class on both tasks


def test_quick_run(tmp_path):
    records, seconds = run_notebook(NAME, tmp_path, **QUICK)
    # feature extraction beats random features: on the near task's first comparison, and at every grid size on both tasks
    assert records["acc_feature_extraction"] >= records["acc_random_features"] + 0.1
    assert records["rule 4 held"] is True
    # the grid covers every task, size and depth, each accuracy above chance (3 textures, 10 digits)
    grid = records["grid_mean_accuracy"]
    assert set(grid) == {f"{task} {n} depth {d}" for task in TASKS for n in SIZES for d in DEPTHS}
    assert all(value > (1 / 3 if name.startswith("near") else 1 / 10) + 0.1 for name, value in grid.items())
    # what the grid shows on the quick configuration (seeds 0 and 1 alike): ImageNet features tell textures apart
    # better than digits, and more labels help on the far task
    assert min(grid[f"near {n} depth 0"] - grid[f"far {n} depth 0"] for n in SIZES) > 0.1
    assert grid["far 40 depth 0"] > grid["far 3 depth 0"] + 0.1
    # with the same number of steps, fine-tuning from ImageNet's weights beats training from scratch on textures
    assert records["acc_full_finetune_near"] > records["acc_scratch_near"] + 0.2
    assert all(records[f"exercise {name}"] is True for name in
               ("1. which blocks make a stage", "2. parameters per stage", "3. how far the weights moved"))
    assert seconds < 600  # a gross overrun only: the quick run is mostly fixed costs


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
        (dict(LABELLED_PER_CLASS=500), ["LABELLED_PER_CLASS", "POOL_PER_CLASS (400)"]),
        (dict(SWEEP=[1, "many"]), ["SWEEP", "'all'"]),
        (dict(SWEEP=[3, 1000]), ["SWEEP", "POOL_PER_CLASS (400)"]),
        (dict(SWEEP=[]), ["SWEEP", "non-empty"]),
        (dict(DEPTHS=[0, 9]), ["DEPTHS", "from 0 to 8"]),
        (dict(DEPTHS=[0]), ["DEPTHS", "at least 1"]),
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
