"""The AlexNet notebook, run with papermill on a quick parameter set, and its parameter errors."""
import pytest
import torch
import torchvision
from torch import nn

from tests.notebook_runs import exercise_outcomes, parameter_error, run_notebook, validation_error
from utils import counting
from utils.nets import alexnet as zoo

NAME = "02_alexnet"
QUICK = {"EPOCHS": 2, "TRAIN_SIZE": 1000}
QUICK_RUN_SECONDS = 90  # a benchmark on a quiet 2-core machine; the test fails only above three times it


@pytest.fixture
def cached_alexnet_weights(tmp_path, monkeypatch):
    """A torch hub cache holding a file where torchvision looks for AlexNet's ImageNet weights.

    The weights are torchvision's random initialisation (the real ones cannot be downloaded here), which is
    enough to run the notebook's "weights available" branch.
    """
    home = tmp_path / "torch-home"
    url = torchvision.models.AlexNet_Weights.IMAGENET1K_V1.url
    path = home / "hub" / "checkpoints" / url.rsplit("/", 1)[-1]
    path.parent.mkdir(parents=True)
    torch.save(torchvision.models.alexnet().state_dict(), path)
    monkeypatch.setenv("TORCH_HOME", str(home))  # the notebook's kernel inherits it


def test_quick_run_counts_and_learns(tmp_path, cached_alexnet_weights):
    records, seconds = run_notebook(NAME, tmp_path, **QUICK)
    # Exact counts, independent of the training parameters.
    assert records["params_alexnet_2012"] == 60_965_224
    assert records["params_alexnet_torchvision"] == 61_100_840
    # 55x55x96 + 27x27x256 + 2 x 13x13x384 + 13x13x256 + 4096 + 4096 + 1000, by hand.
    assert records["neurons_alexnet_2012"] == 290_400 + 186_624 + 64_896 * 2 + 43_264 + 4_096 * 2 + 1_000
    # The cached weights were found and used (filters and predictions from them).
    assert records["imagenet_weights"] is True
    # One epoch on 500 digits already beats chance (10%) by far.
    assert records["test_accuracy_small_relu"] > 0.3
    # The step-by-step networks are the zoo's, and every exercise's solution passes its check.
    assert records["same_as_zoo"] is True
    exercises = {name: value for name, value in records.items() if name.startswith("exercise ")}
    assert len(exercises) == 4 and all(value is True for value in exercises.values()), exercises
    # Every ingredient run learned (chance is 10%).
    for name in ("tanh", "dropout 0.5", "augmentation", "no momentum"):
        assert records[f"test_accuracy_small_{name}"] > 0.2, name
    assert seconds < 3 * QUICK_RUN_SECONDS, f"the quick run took {seconds:.0f} s: is it training at full size?"


@pytest.mark.parametrize(
    "parameters, words",
    [
        ({"DEVICE": "tpu"}, ["DEVICE", "'tpu'", "'cpu'"]),
        ({"EPOCHS": 0}, ["EPOCHS", "0", "at least 1"]),
        ({"TRAIN_SIZE": 100_000}, ["TRAIN_SIZE", "100000", "only 4,000"]),
        ({"DATASET": "cifar10"}, ["DATASET", "'cifar10'", "'mnist5k'"]),
        ({"MOMENTUM": 1.5}, ["MOMENTUM", "1.5", "at least 0 and below 1"]),
        ({"MOMENTUM": 1}, ["MOMENTUM", "1", "below 1"]),
        ({"MOMENTUM": -0.1}, ["MOMENTUM", "-0.1", "at least 0"]),
        ({"SHIFT": 20}, ["SHIFT", "20", "from 0 to 8"]),
        ({"IMAGENET_WEIGHTS": "yes"}, ["IMAGENET_WEIGHTS", "'yes'", "True"]),
    ],
    ids=lambda value: "-".join(value) if isinstance(value, dict) else None,
)
def test_bad_parameter_gives_one_sentence(parameters, words):
    sentence = validation_error(NAME, **parameters)
    assert all(word in sentence for word in words), sentence


def test_bad_parameter_stops_the_notebook_with_one_sentence(tmp_path):
    sentence = parameter_error(NAME, tmp_path, EPOCHS=0)
    assert sentence == "EPOCHS is 0, but it must be an integer of at least 1."


def test_exercise_checks_pass_on_the_solutions_and_fail_on_wrong_answers_and_stubs():
    namespace = {"torch": torch, "nn": nn, "counting": counting, "zoo": zoo}
    count, outcomes = exercise_outcomes(NAME, namespace)
    assert count == 4 and outcomes == [True, False, False, False] * count
