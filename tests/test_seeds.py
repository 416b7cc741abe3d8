"""seeds: the trained-above-chance rule, verdicts from non-overlapping ranges, the tables and sentences, and
fit_seeds, whose every copy makes the run training.fit makes with that seed."""
import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from utils import seeds, training
from utils.errors import ParameterError


def test_trained_needs_ten_points_above_chance():
    assert seeds.trained(0.21, 10) and not seeds.trained(0.2, 10) and not seeds.trained(0.1, 10)
    assert seeds.trained(0.61, 2) and not seeds.trained(0.55, 2)


def test_untrained_names_every_run_with_a_seed_at_chance():
    runs = {"plain-20": [0.99, 0.98], "plain-56": [0.6, 0.11], "residual-56": [0.09, 0.1]}
    assert seeds.untrained(runs, 10) == ["plain-56", "residual-56"]
    sentence = seeds.untrained_sentence(runs, 10, "training accuracy")
    assert "plain-56 (11.0%)" in sentence and "residual-56 (9.0%)" in sentence and "plain-20" not in sentence
    assert seeds.untrained_sentence({"plain-20": [0.99, 0.98]}, 10) is None


@pytest.mark.parametrize("a, b, higher, expected", [
    ([0.9, 0.92, 0.95], [0.5, 0.6, 0.89], True, "ahead"),
    ([0.9, 0.92, 0.95], [0.5, 0.6, 0.9], True, "tie"),   # touching ranges: a seed could reverse it
    ([0.5, 0.6], [0.61, 0.7], True, "behind"),
    ([0.5, 0.6], [0.61, 0.7], False, "ahead"),          # lower is better: an error
    ([0.3], [0.3], True, "tie"),
])
def test_verdict_from_the_ranges(a, b, higher, expected):
    assert seeds.verdict(a, b, higher_is_better=higher) == expected


def test_verdict_needs_values():
    with pytest.raises(ValueError):
        seeds.verdict([], [0.1])


def test_sentence_names_the_winner_and_both_spreads():
    text = seeds.sentence("plain-56", [0.58, 0.6, 0.55], "plain-20", [0.01, 0.012, 0.009],
                          what="training error", higher_is_better=False)
    assert text.startswith("plain-56 is behind plain-20 on training error: 57.7% (55.0% to 60.0%) against 1.0%")
    assert text.endswith("every seed of plain-20 beats every seed of plain-56.")
    tie = seeds.sentence("a", [0.5, 0.6], "b", [0.55, 0.7], what="accuracy")
    assert tie.startswith("a and b tie on accuracy") and "over 2 seeds" in tie


def test_table_shows_each_seed_and_the_spread():
    frame = seeds.table({"x": [0.1, 0.2, 0.6]}, [3, 4, 5], fmt="{:.2f}")
    assert frame.loc["x"].tolist() == ["0.10", "0.20", "0.60", "0.30", "0.10", "0.60"]
    assert list(frame.columns[:3]) == ["seed 3", "seed 4", "seed 5"]
    with pytest.raises(ValueError):
        seeds.table({"x": [0.1]}, [0, 1])


def small_data(n=192):
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(n, 2, 4, 4, generator=generator)
    return TensorDataset(x, (x[:, 0].mean((1, 2)) > x[:, 1].mean((1, 2))).long())


def build():
    return nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(), nn.Linear(64, 2))


def test_each_copy_is_the_run_fit_makes_with_its_seed():
    data = small_data()
    decay = lambda epoch: 0.1 if epoch == 3 else 1.0  # noqa: E731
    models, histories = seeds.fit_seeds(build, [0, 1], data, data, epochs=3, device=torch.device("cpu"), lr=0.05,
                                        weight_decay=1e-4, lr_at_epoch=decay, batch_size=32)
    for seed, model in zip([0, 1], models):
        training.seed_everything(seed)
        alone = build()
        optimizer = torch.optim.SGD(alone.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
        schedule = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[2], gamma=0.1)
        history = training.fit(alone, data, data, epochs=3, device=torch.device("cpu"), optimizer=optimizer,
                               scheduler=schedule, batch_size=32, seed=seed)
        for column in ("train loss", "train accuracy", "test loss", "test accuracy"):
            assert histories[seed][column].tolist() == pytest.approx(history[column].tolist(), abs=1e-4), column
        for (name, ours), theirs in zip(model.state_dict().items(), alone.state_dict().values()):
            assert torch.allclose(ours.float(), theirs.float(), atol=1e-4), name  # batch norm's running statistics too
    assert histories[0]["train loss"].tolist() != histories[1]["train loss"].tolist()


def test_fit_seeds_refuses_impossible_arguments():
    data = small_data(8)
    with pytest.raises(ParameterError, match="no seeds"):
        seeds.fit_seeds(build, [], data, data, epochs=1, device=torch.device("cpu"))
    with pytest.raises(ParameterError, match="epochs"):
        seeds.fit_seeds(build, [0], data, data, epochs=0, device=torch.device("cpu"))
