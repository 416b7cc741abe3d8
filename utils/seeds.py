"""Comparisons over several seeds: every network trained, one spread convention, verdicts worded from it.

Taught in ``05_resnet`` (the degradation problem on three seeds); used by
every notebook whose experiment supports a claim (01 to 05).

The course's habit, in code:

- **Every compared network trained.** ``trained(accuracy, classes)``: a
  network counts only if its accuracy beats chance by ``ABOVE_CHANCE``
  (for ten classes: above 0.2, a training error below 0.8). ``untrained``
  names the runs that did not; the notebook then says so instead of
  concluding.
- **One spread convention** (``SPREAD``): each seed is shown, with the mean
  and the range from the worst to the best seed.
- **Verdicts from the spread.** ``verdict(a, b)``: ``a`` is "ahead" of ``b``
  when a's worst seed beats b's best seed (the ranges do not overlap),
  "behind" when b's worst beats a's best, otherwise the two "tie". A
  verdict that could flip with another seed is therefore a tie.
- **Seeds trained together.** ``fit_seeds`` trains one copy of a network
  per seed in one batched run (``torch.vmap``) and returns each seed's
  history, as ``training.fit`` would for that seed.
"""
import time
from collections.abc import Callable, Mapping, Sequence

import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from utils import training
from utils.errors import ParameterError
from utils.parameters import check_float, check_int

SPREAD = "mean, and min to max over seeds"
ABOVE_CHANCE = 0.1  # a network trained if its accuracy beats chance by this much (ten classes: above 0.2)
VERDICTS = ("ahead", "tie", "behind")


def trained(accuracy: float, classes: int) -> bool:
    """Whether ``accuracy`` is clearly better than chance (1 / ``classes``) by ``ABOVE_CHANCE``."""
    return accuracy > 1 / classes + ABOVE_CHANCE


def untrained(accuracies: Mapping[str, Sequence[float]], classes: int) -> list[str]:
    """The names whose runs include a seed that did not train (``trained`` is False), in order."""
    return [name for name, values in accuracies.items() if not all(trained(a, classes) for a in values)]


def untrained_sentence(accuracies: Mapping[str, Sequence[float]], classes: int, what: str = "accuracy") -> str | None:
    """One sentence naming the runs at chance (a broken setup, no conclusion drawn), or None if all trained."""
    broken = untrained(accuracies, classes)
    if not broken:
        return None
    worst = {name: min(accuracies[name]) for name in broken}
    listed = ", ".join(f"{name} ({value:.1%})" for name, value in worst.items())
    return (f"Not every network trained: {listed} ended with {what} within {ABOVE_CHANCE * 100:.0f} points of chance "
            f"({1 / classes:.0%} for {classes} classes), so this run is a broken setup and draws no conclusion.")


def verdict(a: Sequence[float], b: Sequence[float], *, higher_is_better: bool = True) -> str:
    """"ahead" if a's worst seed beats b's best, "behind" if b's worst beats a's best, else "tie"."""
    a, b = list(a), list(b)
    if not a or not b:
        raise ValueError("verdict needs at least one value on each side.")
    sign = 1 if higher_is_better else -1
    a_worst, a_best = min(sign * v for v in a), max(sign * v for v in a)
    b_worst, b_best = min(sign * v for v in b), max(sign * v for v in b)
    if a_worst > b_best:
        return "ahead"
    if b_worst > a_best:
        return "behind"
    return "tie"


def spread(values: Sequence[float], fmt: str = "{:.1%}") -> str:
    """'mean (min to max)' in ``fmt``, e.g. '58.1% (55.0% to 62.3%)'."""
    return f"{fmt.format(sum(values) / len(values))} ({fmt.format(min(values))} to {fmt.format(max(values))})"


def table(runs: Mapping[str, Sequence[float]], seeds: Sequence[int], fmt: str = "{:.1%}") -> pd.DataFrame:
    """One row per run: each seed's value, the mean, min and max, formatted with ``fmt``."""
    rows = {}
    for name, values in runs.items():
        if len(values) != len(seeds):
            raise ValueError(f"{name} has {len(values)} values for {len(seeds)} seeds.")
        row = {f"seed {seed}": value for seed, value in zip(seeds, values)}
        row.update(mean=sum(values) / len(values), min=min(values), max=max(values))
        rows[name] = row
    return pd.DataFrame(rows).T.map(fmt.format)


def sentence(a_name: str, a: Sequence[float], b_name: str, b: Sequence[float], *, what: str,
             higher_is_better: bool = True, fmt: str = "{:.1%}") -> str:
    """The verdict of ``a`` against ``b`` as one sentence, with both spreads."""
    outcome = verdict(a, b, higher_is_better=higher_is_better)
    numbers = f"{spread(a, fmt)} against {spread(b, fmt)} over {len(a)} seeds"
    if outcome == "tie":
        return (f"{a_name} and {b_name} tie on {what}: {numbers}; the ranges overlap, "
                "so another seed could reverse the order.")
    winner, loser = (a_name, b_name) if outcome == "ahead" else (b_name, a_name)
    relation = "is ahead of" if outcome == "ahead" else "is behind"
    return f"{a_name} {relation} {b_name} on {what}: {numbers}, and every seed of {winner} beats every seed of {loser}."


def fit_seeds(
    build: Callable[[], nn.Module],
    seeds: list[int],
    train: Dataset,
    test: Dataset,
    *,
    epochs: int,
    device: torch.device,
    lr: float = 0.01,
    momentum: float = 0.9,
    weight_decay: float = 0.0,
    lr_at_epoch: Callable[[int], float] | None = None,
    batch_size: int = 64,
    augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
    desc: str = "training",
) -> tuple[list[nn.Module], dict[int, pd.DataFrame]]:
    """Train one copy of ``build()`` per seed, all at once, and return the models and a history per seed.

    Each copy starts from ``training.seed_everything(seed); build()`` and sees the
    training set in the order ``fit(..., seed=seed)`` would use, so each copy
    is the run ``fit`` would make with that seed (up to the order in which
    floating-point sums are added). The copies are stacked
    (``torch.func.stack_module_state``) and run as one batched network with
    ``torch.vmap``: small networks are overhead-bound, so three seeds cost
    less than three runs (measured on a 2-core CPU: about 12% less). SGD with
    ``momentum`` and ``weight_decay`` updates every copy as if it were alone; ``lr_at_epoch(epoch)`` (epochs
    from 1) multiplies ``lr``, e.g. a warm-up or a step decay. Batch norm
    keeps running statistics per copy; dropout draws per copy.
    """
    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    check_float("lr", lr, 0, 10)
    if not seeds:
        raise ParameterError("fit_seeds was given no seeds; it needs at least one.")
    for name, dataset in (("train", train), ("test", test)):
        if len(dataset) == 0:
            raise ParameterError(f"fit_seeds was given an empty {name} dataset; it needs at least one example.")
    models = []
    for seed in seeds:
        training.seed_everything(seed)
        models.append(build().to(device))
    params, buffers = torch.func.stack_module_state(models)
    template = build().to("meta")

    def one_copy(p, b, x):
        return torch.func.functional_call(template, (p, b), (x,))

    optimizer = torch.optim.SGD(params.values(), lr=lr, momentum=momentum, weight_decay=weight_decay)
    loaders = [DataLoader(train, batch_size=batch_size, shuffle=True, generator=torch.Generator().manual_seed(seed))
               for seed in seeds]  # each seed's order, as fit draws it
    history: dict[int, list] = {seed: [] for seed in seeds}
    start = time.perf_counter()
    batches = tqdm(total=len(loaders[0]), unit="batch", leave=False, mininterval=1)
    for epoch in tqdm(range(1, epochs + 1), desc=f"{desc} ({len(seeds)} seeds)", unit="epoch"):
        for group in optimizer.param_groups:
            group["lr"] = lr * (lr_at_epoch(epoch) if lr_at_epoch else 1.0)
        template.train()
        forward = torch.vmap(one_copy, randomness="different")
        total_loss, correct = torch.zeros(len(seeds)), torch.zeros(len(seeds))
        batches.reset()
        batches.set_description(f"epoch {epoch}")
        for pairs in zip(*loaders, strict=True):  # strict: every loader runs to its end, as in fit
            x = torch.stack([images for images, _ in pairs]).to(device)  # seeds x batch x ...
            y = torch.stack([labels for _, labels in pairs]).to(device)
            if augment is not None:
                x = torch.stack([augment(copy) for copy in x])
            scores = forward(params, buffers, x)
            losses = F.cross_entropy(scores.flatten(0, 1), y.flatten(), reduction="none").view(y.shape).mean(1)
            optimizer.zero_grad()
            losses.sum().backward()  # each copy's parameters get the gradient of its own loss
            optimizer.step()
            total_loss += losses.detach().cpu() * y.shape[1]
            correct += (scores.argmax(-1) == y).sum(1).cpu()
            batches.update()
        template.eval()
        test_loss, test_acc = _evaluate_copies(torch.vmap(one_copy), params, buffers, test, device, len(seeds))
        for k, seed in enumerate(seeds):
            history[seed].append({"epoch": epoch, "train loss": total_loss[k].item() / len(train),
                                  "train accuracy": correct[k].item() / len(train), "test loss": test_loss[k],
                                  "test accuracy": test_acc[k], "seconds": time.perf_counter() - start})
    batches.close()
    with torch.no_grad():
        for k, model in enumerate(models):
            for name, tensor in [*model.named_parameters(), *model.named_buffers()]:
                tensor.copy_((params | buffers)[name][k])
    return models, {seed: pd.DataFrame(rows).set_index("epoch") for seed, rows in history.items()}


@torch.no_grad()
def _evaluate_copies(forward, params, buffers, data: Dataset, device, copies: int, batch_size: int = 1000):
    """Mean loss and accuracy of each stacked copy on ``data``, as two lists."""
    total_loss, correct = torch.zeros(copies), torch.zeros(copies)
    for x, y in DataLoader(data, batch_size=batch_size):
        x, y = x.to(device), y.to(device)
        scores = forward(params, buffers, x.expand(copies, *x.shape))
        total_loss += F.cross_entropy(scores.flatten(0, 1), y.repeat(copies), reduction="none").view(copies, -1).sum(1).cpu()
        correct += (scores.argmax(-1) == y).sum(1).cpu()
    return (total_loss / len(data)).tolist(), (correct / len(data)).tolist()
