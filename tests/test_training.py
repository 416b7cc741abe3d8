"""training: seeded CPU runs repeat exactly; fit learns; the history has one row per epoch."""
import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from utils import training
from utils.errors import ParameterError


def separable_data(n=200):
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(n, 2, generator=generator)
    return TensorDataset(x, (x[:, 0] + x[:, 1] > 0).long())


def run(seed):
    training.seed_everything(seed)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    data = separable_data()
    return training.fit(model, data, data, epochs=3, device=torch.device("cpu"), lr=0.1, batch_size=16, seed=seed)


def test_two_seeded_runs_give_identical_losses():
    first, second = run(0), run(0)
    assert first["train loss"].tolist() == second["train loss"].tolist()
    assert first["test loss"].tolist() == second["test loss"].tolist()


def test_another_seed_gives_other_losses():
    assert run(0)["train loss"].tolist() != run(1)["train loss"].tolist()


def test_fit_learns_and_records_each_epoch():
    history = run(0)
    assert list(history.index) == [1, 2, 3]
    assert history["test accuracy"].iloc[-1] > 0.9
    assert history["test loss"].iloc[-1] < history["test loss"].iloc[0]
    assert (history["seconds"].diff().dropna() > 0).all()


def test_evaluate_counts_correct_predictions():
    data = TensorDataset(torch.eye(2), torch.tensor([0, 0]))
    identity = nn.Identity()
    loss, accuracy = training.evaluate(identity, data, torch.device("cpu"))
    assert accuracy == 0.5
    assert torch.isclose(torch.tensor(loss), torch.nn.functional.cross_entropy(torch.eye(2), torch.tensor([0, 0])))


@pytest.mark.parametrize(
    "change, words",
    [({"epochs": 0}, "epochs is 0"), ({"batch_size": 0}, "batch_size is 0"), ({"lr": 0}, "lr is 0"),
     ({"train": TensorDataset(torch.zeros(0, 2), torch.zeros(0).long())}, "empty train dataset")],
    ids=["epochs", "batch_size", "lr", "empty"],
)
def test_impossible_arguments_give_one_sentence(change, words):
    data = separable_data()
    arguments = {"train": data, "test": data, "epochs": 1, "device": torch.device("cpu"), "lr": 0.1} | change
    with pytest.raises(ParameterError, match=words):
        training.fit(nn.Linear(2, 2), **arguments)


def test_under_bench_fit_records_its_multiply_adds(monkeypatch):
    shown = []
    monkeypatch.setenv(training.BENCH_VARIABLE, "1")
    monkeypatch.setattr("utils.results.display", lambda data, raw: shown.append(data))
    data = separable_data(100)
    training.fit(nn.Linear(2, 2), data, data, epochs=2, device=torch.device("cpu"), batch_size=10)
    (value,) = [d["application/vnd.cnn-course.record+json"]["value"] for d in shown]
    assert value["macs"] == 3 * 2 * 2 * 2 * 100  # 3 passes x (2x2 weights) x 2 epochs x 100 examples
    assert value["seconds"] > 0


def test_bench_mode_does_not_change_the_training_run(monkeypatch):
    monkeypatch.setattr("utils.results.display", lambda data, raw: None)
    plain = run(0)
    monkeypatch.setenv(training.BENCH_VARIABLE, "1")
    assert run(0)["train loss"].tolist() == plain["train loss"].tolist()


def test_a_seed_numpy_cannot_take_gives_one_sentence():
    from utils.errors import ParameterError

    with pytest.raises(ParameterError, match=r"^SEED is 1099511627776, but it must be an integer from 0 to 4294967295\.$"):
        training.seed_everything(2**40)
    assert training.seed_everything(2**32 - 1) == 2**32 - 1
