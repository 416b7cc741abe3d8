"""The LeNet notebook: a quick papermill run, and each bad parameter's sentence."""
import pytest
import torch

from tests.notebook_runs import parameter_error, run_notebook, validation_error
from utils import data

QUICK = {"EPOCHS": 3, "TRAIN_SIZE": 4000, "BATCH_SIZE": 32, "LR_1998": 0.005}


def test_quick_run_records_the_paper_counts_and_learns(tmp_path):
    records, seconds = run_notebook("01_lenet", tmp_path, **QUICK)
    assert records["params_lenet5_1998"] == 60_000
    assert records["connections_lenet5_1998"] == 340_908
    assert records["params_lenet_modern"] == 61_706
    for name in ("test_accuracy", "test_accuracy_no_distortion", "test_accuracy_modern"):
        assert 0.5 < records[name] <= 1.0, (name, records[name])  # chance is 0.1
    assert seconds < 60


@pytest.mark.parametrize(
    "parameters, sentence",
    [
        ({"DEVICE": "gpu"}, "DEVICE is 'gpu', but it must be one of 'auto', 'cpu', 'cuda', 'mps'."),
        ({"DATASET": "digits"}, "DATASET is 'digits', but it must be one of 'mnist5k', 'mnist'."),
        ({"EPOCHS": 0}, "EPOCHS is 0, but it must be an integer of at least 1."),
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


@pytest.mark.skipif((data.cache_dir() / "mnist").is_dir(), reason="the full MNIST is cached here")
def test_full_mnist_offline_names_the_offline_default(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA", str(tmp_path / "cache"))
    sentence = validation_error("01_lenet", DATASET="mnist")
    assert sentence.startswith("mnist is not in") and "use DATASET='mnist5k'" in sentence
    assert not any((tmp_path / "cache").iterdir())
