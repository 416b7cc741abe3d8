"""Transfer learning's experiments, taught in ``08_transfer_learning``.

A logistic regression as a first layer to fine-tune (``as_linear``), one
learning rate per layer group (``param_groups``), training on cached
activations with early stopping (``validation_split``, ``train``), and the
verdict of each of the lecture's four rules from a table of seeds
(``compare``, ``best_depth``, ``rule_1`` ... ``rule_4``).

One spread convention: the sample standard deviation over seeds (``spread``).
A comparison is "ahead" when the difference of the means exceeds the larger
of the two spreads, "behind" when it falls below minus that, else a "tie".
"""
import copy

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn


def spread(values) -> float:
    """Sample standard deviation (ddof=1) of ``values``; 0 for a single value."""
    values = np.asarray(values, dtype=float)
    return float(values.std(ddof=1)) if len(values) > 1 else 0.0


def mean_spread(values) -> str:
    """'mean ± spread' with three decimals."""
    return f"{np.mean(values):.3f} ± {spread(values):.3f}"


def compare(a, b) -> str:
    """'ahead', 'tie' or 'behind': the mean of ``a`` against that of ``b``, by the larger of their spreads."""
    gap, margin = np.mean(a) - np.mean(b), max(spread(a), spread(b))
    return "ahead" if gap > margin else "behind" if gap < -margin else "tie"


def as_linear(clf) -> nn.Linear:
    """A fitted scikit-learn LogisticRegression as an nn.Linear with one output per class.

    With two classes scikit-learn keeps one row of coefficients w (the log-odds of class 1);
    the layer gets the rows -w/2 and w/2, whose softmax is the same probability.
    """
    weight, bias = torch.as_tensor(clf.coef_, dtype=torch.float32), torch.as_tensor(clf.intercept_, dtype=torch.float32)
    if len(clf.classes_) == 2:
        weight, bias = torch.cat([-weight / 2, weight / 2]), torch.cat([-bias / 2, bias / 2])
    layer = nn.Linear(weight.shape[1], weight.shape[0])
    with torch.no_grad():
        layer.weight.copy_(weight)
        layer.bias.copy_(bias)
    return layer


def rates(count: int, lr: float, decay: float) -> list[float]:
    """Learning rates of ``count`` groups from the output: lr, lr·decay, lr·decay², ..."""
    return [lr * decay**i for i in range(count)]


def param_groups(layers, lr: float, decay: float) -> list[dict]:
    """Adam parameter groups for ``layers`` listed from the output to the input, at ``rates``."""
    return [{"params": list(layer.parameters()), "lr": rate} for layer, rate in zip(layers, rates(len(layers), lr, decay))]


def validation_split(y, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices (into ``y``) to train on and to validate on: ``fraction`` of each class, at least one,
    held out when the class has two images or more; none held out from a class of one."""
    g, fit, held = np.random.default_rng(seed), [], []
    for c in np.unique(y):
        rows = g.permutation(np.flatnonzero(np.asarray(y) == c))
        k = max(1, round(fraction * len(rows))) if len(rows) > 1 else 0
        held.append(rows[:k])
        fit.append(rows[k:])
    return np.sort(np.concatenate(fit)), np.sort(np.concatenate(held))


@torch.no_grad()
def _score(net, x, y, device) -> tuple[float, float]:
    """Validation accuracy, then minus the loss: the higher the better."""
    scores = torch.cat([net(part.to(device)).cpu() for part in x.split(500)])
    return (scores.argmax(1) == y).float().mean().item(), -F.cross_entropy(scores, y).item()


def train(net, groups, x, y, *, passes: int, batch_size: int, seed: int, validation=None, patience: int = 3,
          device="cpu") -> dict:
    """Adam over (x, y) for up to ``passes`` passes of shuffled batches, in the mode ``net`` is in.

    With ``validation`` = (x, y): after each pass the validation accuracy is measured (ties broken by the
    lower loss); the weights of the best pass (0: the starting weights) are kept, and training stops after ``patience`` passes
    without improvement. Returns the steps taken, the best pass and the rates the optimiser used.
    """
    optimizer = torch.optim.Adam(groups)
    order = torch.Generator().manual_seed(seed)
    best = (_score(net, *validation, device), 0, copy.deepcopy(net.state_dict())) if validation else None
    steps = 0
    for done in range(1, passes + 1):
        for batch in torch.randperm(len(y), generator=order).split(batch_size):
            loss = F.cross_entropy(net(x[batch].to(device)), y[batch].to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            steps += 1
        if validation:
            score = _score(net, *validation, device)
            if score > best[0]:
                best = (score, done, copy.deepcopy(net.state_dict()))
            elif done - best[1] >= patience:
                break
    if validation:
        net.load_state_dict(best[2])
    return {"steps": steps, "best pass": best[1] if validation else passes,
            "rates": [group["lr"] for group in optimizer.param_groups]}


def _seeds(grid: pd.DataFrame, task, n, depth) -> np.ndarray:
    rows = grid[(grid["task"] == task) & (grid["labelled per class"] == n) & (grid["depth"] == depth)]
    return rows["test accuracy"].to_numpy()


def best_depth(grid: pd.DataFrame, task, n) -> int:
    """The shallowest depth that ties the depth with the highest mean (its mean within the larger spread)."""
    depths = sorted(grid.loc[grid["task"] == task, "depth"].unique())
    top = max(depths, key=lambda d: np.mean(_seeds(grid, task, n, d)))
    return int(next(d for d in depths if compare(_seeds(grid, task, n, d), _seeds(grid, task, n, top)) != "behind"))


def error_reduction(grid: pd.DataFrame, task, n) -> float:
    """Relative error reduction of the best-mean fine-tuning depth over feature extraction (depth 0); NaN at 0 error."""
    error = {d: 1 - np.mean(_seeds(grid, task, n, d)) for d in grid.loc[grid["task"] == task, "depth"].unique()}
    return float((error[0] - min(error.values())) / error[0]) if error[0] > 0 else float("nan")


def rule_1(grid: pd.DataFrame, few) -> tuple[bool, pd.DataFrame]:
    """Few labels, last layer only: held when, at every count in ``few`` on every task, the best fine-tuning
    depth is not ahead of feature extraction (depth 0). The evidence: one row per task and count."""
    rows = []
    for task in sorted(grid["task"].unique()):
        for n in few:
            depths = [d for d in sorted(grid["depth"].unique()) if d]
            top = max(depths, key=lambda d: np.mean(_seeds(grid, task, n, d)))
            fx, ft = _seeds(grid, task, n, 0), _seeds(grid, task, n, top)
            rows.append({"task": task, "labelled per class": n, "feature extraction": mean_spread(fx),
                         "best fine-tuning": mean_spread(ft), "best depth": top, "fine-tuning is": compare(ft, fx)})
    evidence = pd.DataFrame(rows)
    return bool((evidence["fine-tuning is"] != "ahead").all()), evidence


def rule_2(grid: pd.DataFrame) -> tuple[bool, pd.DataFrame]:
    """More labels, more layers: held on a task when the best depth with the most labels is deeper than with
    the fewest; held when it holds on every task. The evidence: the best depth per task and count."""
    counts = sorted(grid["labelled per class"].unique())
    evidence = pd.DataFrame({task: {n: best_depth(grid, task, n) for n in counts if len(_seeds(grid, task, n, 0))}
                             for task in sorted(grid["task"].unique())})
    return bool(all(col.dropna().iloc[-1] > col.dropna().iloc[0] for _, col in evidence.items())), evidence


def rule_3(grid: pd.DataFrame, near="near", far="far") -> tuple[bool, pd.DataFrame]:
    """The further from ImageNet, the more layers: held when, with the most labels of each task, the far task's
    best depth is deeper than the near task's and fine-tuning removes a larger share of its error."""
    rows = {}
    for task in (near, far):
        n = grid.loc[grid["task"] == task, "labelled per class"].max()
        rows[task] = {"labelled per class": n, "best depth": best_depth(grid, task, n),
                      "relative error reduction": error_reduction(grid, task, n)}
    evidence = pd.DataFrame(rows).T
    deeper = evidence.loc[far, "best depth"] > evidence.loc[near, "best depth"]
    larger = evidence.loc[far, "relative error reduction"] > evidence.loc[near, "relative error reduction"]
    return bool(deeper and larger), evidence


def rule_4(probes: pd.DataFrame) -> tuple[bool, pd.DataFrame]:
    """Pretrained features beat random ones: held when pretrained is ahead at every task and count.
    ``probes`` has the columns task, labelled per class, features ('pretrained' or 'random'), test accuracy."""
    rows = []
    for (task, n), part in probes.groupby(["task", "labelled per class"]):
        a, b = (part.loc[part["features"] == kind, "test accuracy"].to_numpy() for kind in ("pretrained", "random"))
        rows.append({"task": task, "labelled per class": n, "pretrained": mean_spread(a), "random": mean_spread(b),
                     "margin": float(np.mean(a) - np.mean(b)), "pretrained is": compare(a, b)})
    evidence = pd.DataFrame(rows)
    return bool((evidence["pretrained is"] == "ahead").all()), evidence
