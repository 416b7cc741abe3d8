"""The LeNet notebook: a quick papermill run, and each bad parameter's sentence."""
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from tests.notebook_runs import assert_exercises, parameter_error, run_notebook, validation_error
from utils import counting
from utils.nets import lenet as zoo

# Seeds 3 and 4, which the default run (seeds 0, 1, 2) does not use; the default thread count.
QUICK = {"EPOCHS": 3, "TRAIN_SIZE": 4000, "BATCH_SIZE": 32, "LR_1998": 0.005, "SEED": 3, "SEEDS": 2}
QUICK_RUN_SECONDS = 60  # a benchmark on a quiet 2-core machine; the test fails only above three times it


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    return run_notebook("01_lenet", tmp_path_factory.mktemp("quick"), **QUICK)


def test_quick_run_records_the_paper_counts_and_learns(quick_run):
    records, seconds = quick_run
    assert records["params_lenet5_1998"] == 60_000
    assert records["connections_lenet5_1998"] == 340_908
    assert records["params_lenet_modern"] == 61_706
    for name in ("test_accuracy", "test_accuracy_no_distortion", "test_accuracy_modern"):
        assert 0.5 < records[name] <= 1.0, (name, records[name])  # chance is 0.1
    # fit is the loop written out by hand (that the step-by-step networks are the zoo's, the notebook asserts).
    assert records["fit_is_the_loop"] is True
    # A linear classifier on 4,000 digits' raw pixels learns (about 0.89 here), but less than LeNet-5.
    assert 0.8 < records["test_accuracy_linear_pixels"] < records["test_accuracy_no_distortion"]
    assert records["lenet_beats_linear"] is True
    exercises = {name: value for name, value in records.items() if name.startswith("exercise ")}
    assert len(exercises) == 4 and all(value is True for value in exercises.values()), exercises
    assert seconds < 3 * QUICK_RUN_SECONDS, f"the quick run took {seconds:.0f} s: is it training at full size?"


def test_every_network_trains_and_beats_the_linear_classifier_on_two_unused_seeds(quick_run):
    """The experiment's phenomenon on seeds 3 and 4: a comparison counts only if every network trained."""
    records, _ = quick_run
    assert records["seeds"] == [3, 4]
    accuracies = records["test_accuracy_by_seed"]
    assert set(accuracies) == {"LeNet-5", "LeNet-5 + distortions", "modern LeNet"}
    for name, values in accuracies.items():
        assert len(values) == 2 and min(values) > 0.2, (name, values)  # trained: clearly above chance (0.1)
    assert records["test_accuracy_linear_pixels"] > 0.2  # the baseline trained too
    assert records["every_network_trained"] is True
    # The notebook's verdict: each network's worst seed beats the linear classifier (the same on every seed).
    assert records["lenet_vs_linear_verdicts"] == {name: "ahead" for name in accuracies}
    assert all(min(values) > records["test_accuracy_linear_pixels"] for values in accuracies.values())
    assert records["lenet_beats_linear"] is True


def test_lenet5_diverges_at_the_modern_rate_on_two_unused_seeds(quick_run):
    """The learning-rate run: at LR_1998 LeNet-5 trains in two epochs, at LR_MODERN its loss rises and it stays at chance."""
    records, _ = quick_run
    assert records["trains_at_paper_rate"] is True
    assert records["diverges_at_modern_rate"] is True


@pytest.mark.parametrize(
    "parameters, sentence",
    [
        ({"DEVICE": "gpu"}, "DEVICE is 'gpu', but it must be one of 'auto', 'cpu', 'cuda', 'mps'."),
        ({"DATASET": "digits"}, "DATASET is 'digits', but it must be one of 'mnist5k', 'mnist'."),
        ({"EPOCHS": 0}, "EPOCHS is 0, but it must be an integer of at least 1."),
        ({"SEEDS": 1}, "SEEDS is 1, but it must be an integer from 2 to 10."),
        ({"SEEDS": 11}, "SEEDS is 11, but it must be an integer from 2 to 10."),
        ({"SEEDS": 2.5}, "SEEDS is 2.5, but it must be an integer from 2 to 10."),
        ({"SEED": -1}, "SEED is -1, but it must be an integer from 0 to 4294967295."),
        ({"LR_MODERN": 2}, "LR_MODERN is 2, but it must be a number above 0 and at most 1."),
        ({"TRAIN_SIZE": 5000}, "TRAIN_SIZE is 5000, but the training split has only 4,000 examples."),
    ],
)
def test_bad_parameter_gives_its_sentence(parameters, sentence):
    assert validation_error("01_lenet", **parameters) == sentence


def test_bad_parameter_stops_the_notebook_with_one_sentence(tmp_path):
    assert parameter_error("01_lenet", tmp_path, EPOCHS=0) == "EPOCHS is 0, but it must be an integer of at least 1."


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA device")
def test_cuda_where_there_is_none():
    sentence = validation_error("01_lenet", DEVICE="cuda")
    assert sentence == "DEVICE is 'cuda', but this machine has no cuda device; use 'auto' or 'cpu'."


def test_full_mnist_offline_names_the_offline_default(tmp_path, monkeypatch):
    """Offline enforced, not assumed: an empty cache folder and torchvision's download refused."""
    import torchvision

    def refuse(*args, **kwargs):
        raise RuntimeError("no network")

    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "cache"))
    monkeypatch.setattr(torchvision.datasets.MNIST, "download", refuse)
    sentence = validation_error("01_lenet", DATASET="mnist")
    assert sentence.startswith("mnist is not in") and "use DATASET='mnist5k'" in sentence
    assert not any((tmp_path / "cache").iterdir())


def test_exercise_checks_pass_on_the_solutions_and_fail_on_wrong_answers_and_stubs():
    namespace = {"torch": torch, "nn": nn, "F": F, "counting": counting, "zoo": zoo}
    shortcuts = {"c3_parameters": [lambda connections: 1516],  # the count printed in section 2
                 "receptive_field": [lambda layers: {3: 14, 5: 32}[len(layers)]]}  # LeNet's two stacks by length
    assert_exercises("01_lenet", namespace, 4, setup=["def paper_loss("], shortcuts=shortcuts)
