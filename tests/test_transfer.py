"""utils.transfer: the logistic regression as a layer, the per-group rates, early stopping, and each rule's verdict
following its stated criterion on small synthetic grids."""
import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.linear_model import LogisticRegression
from torch import nn

from utils import transfer


@pytest.mark.parametrize("classes", [2, 3, 10])
def test_as_linear_gives_the_logistic_regressions_probabilities(classes):
    g = np.random.default_rng(0)
    x, y = g.normal(size=(20 * classes, 5)), np.repeat(np.arange(classes), 20)
    x[np.arange(len(y)), y % 5] += 2
    clf = LogisticRegression(max_iter=1000).fit(x, y)
    layer = transfer.as_linear(clf)
    assert layer.out_features == classes  # two classes: two outputs, so cross_entropy accepts label 1
    with torch.no_grad():
        p = layer(torch.as_tensor(x, dtype=torch.float32)).softmax(1).numpy()
    np.testing.assert_allclose(p, clf.predict_proba(x), atol=1e-5)


def test_rates_shrink_by_decay_from_the_output():
    assert transfer.rates(3, 0.1, 0.5) == [0.1, 0.05, 0.025]
    layers = [nn.Linear(2, 2), nn.Linear(2, 2)]
    groups = transfer.param_groups(layers, 0.1, 0.5)
    assert [g["lr"] for g in groups] == [0.1, 0.05]
    assert groups[1]["params"][0] is layers[1].weight


def test_train_reports_the_rates_the_optimiser_used(monkeypatch):
    used = []

    class Spy(torch.optim.Adam):
        def step(self, *args, **kwargs):
            used.append([g["lr"] for g in self.param_groups])
            return super().step(*args, **kwargs)

    monkeypatch.setattr(torch.optim, "Adam", Spy)
    net = nn.Sequential(nn.Linear(4, 4), nn.Linear(4, 2))
    x, y = torch.randn(8, 4), torch.tensor([0, 1] * 4)
    done = transfer.train(net, transfer.param_groups([net[1], net[0]], 0.01, 0.3), x, y, passes=2, batch_size=4, seed=0)
    assert done["steps"] == len(used) == 4
    assert all(rates == done["rates"] for rates in used)
    assert done["rates"] == pytest.approx([0.01, 0.003])


def test_validation_split_holds_out_a_share_of_each_class():
    y = np.array([0] * 10 + [1] * 3 + [2])
    fit, held = transfer.validation_split(y, 0.2, seed=0)
    assert sorted(np.bincount(y[held], minlength=3)) == [0, 1, 2]  # 2 of 10, 1 of 3, none of a class of one
    assert np.bincount(y[held], minlength=3).tolist() == [2, 1, 0]
    assert sorted(np.concatenate([fit, held])) == list(range(len(y)))


def test_early_stopping_keeps_the_best_pass_and_stops():
    torch.manual_seed(0)
    net = nn.Linear(2, 2)
    x = torch.randn(16, 2)
    y = (x[:, 0] > 0).long()
    start = {k: v.clone() for k, v in net.state_dict().items()}
    # validated on its own training set, every pass is better than the last: all passes run, the last is kept
    done = transfer.train(net, net.parameters(), x, y, passes=5, batch_size=16, seed=0, validation=(x, y), patience=2)
    assert (done["best pass"], done["steps"]) == (5, 5)
    # validated on the opposite labels, every pass is worse: it stops after `patience` passes and keeps the start
    net.load_state_dict(start)
    done = transfer.train(net, net.parameters(), x, y, passes=50, batch_size=16, seed=0, validation=(x, 1 - y), patience=2)
    assert (done["best pass"], done["steps"]) == (0, 2)
    assert all(torch.equal(start[k], v) for k, v in net.state_dict().items())


def test_compare_by_the_larger_spread():
    assert transfer.compare([0.9, 0.91, 0.92], [0.5, 0.51, 0.52]) == "ahead"
    assert transfer.compare([0.5, 0.51, 0.52], [0.9, 0.91, 0.92]) == "behind"
    assert transfer.compare([0.5, 0.6, 0.7], [0.55, 0.56, 0.57]) == "tie"
    assert transfer.spread([0.5, 0.6, 0.7]) == pytest.approx(0.1)  # sample standard deviation


def make_grid(means: dict, noise=0.005):
    """A grid with three seeds around each mean: {(task, n, depth): mean}."""
    return pd.DataFrame([{"task": t, "labelled per class": n, "depth": d, "seed": s, "test accuracy": m + noise * (s - 1)}
                         for (t, n, d), m in means.items() for s in range(3)])


def grid_of(near: dict, far: dict):
    """Means by task: {n: [mean at depth 0, 1, 2]}."""
    return make_grid({(task, n, d): m for task, rows in (("near", near), ("far", far))
                      for n, values in rows.items() for d, m in enumerate(values)})


def test_rule_1_holds_only_when_fine_tuning_is_not_ahead_with_few_labels():
    held, evidence = transfer.rule_1(grid_of({1: [0.8, 0.79, 0.8], 100: [0.9, 0.95, 0.95]},
                                             {1: [0.5, 0.4, 0.3], 100: [0.8, 0.9, 0.9]}), few=[1])
    assert held and list(evidence["fine-tuning is"]) == ["behind", "tie"]  # far first, sorted by task
    held, evidence = transfer.rule_1(grid_of({1: [0.8, 0.9, 0.8]}, {1: [0.5, 0.5, 0.5]}), few=[1])
    assert not held and evidence.set_index("task").loc["near", "best depth"] == 1


def test_rule_2_holds_when_the_best_depth_grows_with_the_labels_on_every_task():
    deeper = {3: [0.8, 0.7, 0.6], 100: [0.8, 0.85, 0.9]}
    held, evidence = transfer.rule_2(grid_of(deeper, deeper))
    assert held and evidence.loc[3].tolist() == [0, 0] and evidence.loc[100].tolist() == [2, 2]
    held, _ = transfer.rule_2(grid_of(deeper, {3: [0.8, 0.9, 0.7], 100: [0.8, 0.9, 0.7]}))
    assert not held  # the far task's best depth stays 1


def test_best_depth_is_the_shallowest_that_ties_the_top():
    grid = grid_of({3: [0.8, 0.898, 0.9]}, {3: [0.5, 0.5, 0.5]})
    assert transfer.best_depth(grid, "near", 3) == 1
    assert transfer.best_depth(grid, "far", 3) == 0


def test_rule_3_needs_a_deeper_best_depth_and_a_larger_error_reduction_on_the_far_task():
    held, evidence = transfer.rule_3(grid_of({100: [0.9, 0.92, 0.91]}, {100: [0.6, 0.7, 0.8]}))
    assert held
    assert evidence.loc["far", "relative error reduction"] == pytest.approx(0.5)
    assert evidence.loc["near", "relative error reduction"] == pytest.approx(0.2)
    held, _ = transfer.rule_3(grid_of({100: [0.9, 0.95, 0.99]}, {100: [0.6, 0.7, 0.8]}))
    assert not held  # the near task's best depth is as deep, and its error fell by more


def test_rule_4_needs_pretrained_ahead_everywhere():
    def probes(margin_far):
        return pd.DataFrame([{"task": t, "labelled per class": 3, "features": kind, "seed": s,
                              "test accuracy": base + (margin if kind == "pretrained" else 0) + 0.01 * s}
                             for t, base, margin in (("near", 0.5, 0.3), ("far", 0.3, margin_far))
                             for kind in ("pretrained", "random") for s in range(3)])
    assert transfer.rule_4(probes(0.2))[0]
    held, evidence = transfer.rule_4(probes(0.005))
    assert not held and set(evidence["pretrained is"]) == {"ahead", "tie"}
