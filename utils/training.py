"""One training loop for the whole course: device choice, seeding, fit, evaluate.

``01_lenet`` writes this loop out by hand first (forward, loss, backward,
step, evaluate); ``fit`` is that loop plus progress bars, devices and a
history.

``fit`` trains with mini-batch SGD (or any optimizer you pass), shows an
epoch bar and a batch bar (tqdm.auto: widgets in JupyterLab, text in a
terminal), evaluates after every epoch and returns the history as a
DataFrame, ready to plot with ``viz.training_curves``. Seeded CPU runs are
repeatable: the same seed gives the same losses, bit for bit.
"""
import itertools
import os
import random
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, Dataset
from tqdm.auto import tqdm

from utils import probe
from utils.errors import ParameterError
from utils.parameters import check_choice, check_float, check_int

DEVICES = ("auto", "cpu", "cuda", "mps")
BENCH_VARIABLE = "COURSE_BENCH"  # set by `make bench`: each fit records the multiply-adds it did per second
_bench_fits = itertools.count(1)


def _macs_per_example(model: nn.Module, x: torch.Tensor) -> float:
    """Forward multiply-adds per example for the batch ``x`` (FLOPs / 2, as utils.counting reports),
    counted in eval mode so that batch-norm statistics stay as they were."""
    from torch.utils.flop_counter import FlopCounterMode

    counter = FlopCounterMode(display=False)
    with counter, probe.evaluating(model):
        model(x)
    return counter.get_total_flops() / 2 / len(x)


def pick_device(name: str = "auto") -> torch.device:
    """The torch device for DEVICE=name; "auto" takes cuda, then mps, then cpu."""
    check_choice("DEVICE", name, DEVICES)
    available = {
        "cuda": torch.cuda.is_available(),
        "mps": torch.backends.mps.is_available(),
        "cpu": True,
    }
    if name == "auto":
        name = next(kind for kind in ("cuda", "mps", "cpu") if available[kind])
    if not available[name]:
        raise ParameterError(f"DEVICE is {name!r}, but this machine has no {name} device; use 'auto' or 'cpu'.")
    return torch.device(name)


def seed_everything(seed: int) -> int:
    """Seed Python, NumPy and torch so that a CPU run repeats exactly."""
    check_int("SEED", seed, minimum=0, maximum=2**32 - 1)  # NumPy accepts no larger seed
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return seed


@torch.no_grad()
def evaluate(
    model: nn.Module, data: Dataset, device: torch.device, loss_fn: Callable = F.cross_entropy, batch_size: int = 1000
) -> tuple[float, float]:
    """Mean loss and accuracy of ``model`` on ``data`` (in eval mode)."""
    model.eval()
    total_loss, correct, count = 0.0, 0, 0
    for x, y in DataLoader(data, batch_size=batch_size):
        x, y = x.to(device), y.to(device)
        scores = model(x)
        total_loss += loss_fn(scores, y, reduction="sum").item()
        correct += (scores.argmax(1) == y).sum().item()
        count += len(y)
    return total_loss / count, correct / count


def fit(
    model: nn.Module,
    train: Dataset,
    test: Dataset,
    *,
    epochs: int,
    device: torch.device,
    lr: float = 0.01,
    batch_size: int = 64,
    optimizer: torch.optim.Optimizer | None = None,
    scheduler=None,
    loss_fn: Callable = F.cross_entropy,
    augment: Callable[[torch.Tensor], torch.Tensor] | None = None,
    seed: int = 0,
    desc: str = "training",
) -> pd.DataFrame:
    """Train ``model`` for ``epochs`` and return one row of losses and accuracies per epoch.

    Training loss and accuracy are averaged over the epoch's batches, as the
    model saw them (augmented, in train mode); test figures are measured
    after the epoch, in eval mode.

    ``optimizer`` defaults to SGD with momentum 0.9 at ``lr``; ``scheduler``
    (if given) steps once per epoch; ``augment`` transforms each training
    batch on the device. ``loss_fn`` must accept ``reduction="sum"``.
    Impossible arguments (no epochs, an empty dataset, a step size of zero)
    raise ``ParameterError`` (a ``ValueError``) with one sentence.
    """
    check_int("epochs", epochs, minimum=1)
    check_int("batch_size", batch_size, minimum=1)
    if optimizer is None:
        check_float("lr", lr, 0, 10)
    for name, dataset in (("train", train), ("test", test)):
        if len(dataset) == 0:
            raise ParameterError(f"fit was given an empty {name} dataset; it needs at least one example.")
    model.to(device)
    optimizer = optimizer or torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    order = torch.Generator().manual_seed(seed)
    loader = DataLoader(train, batch_size=batch_size, shuffle=True, generator=order)
    history = []
    bench = os.environ.get(BENCH_VARIABLE)
    # A batch read in order: drawing from the shuffled loader would use up a draw and change the training run.
    macs_per_example = _macs_per_example(model, next(iter(DataLoader(train, batch_size)))[0].to(device)) if bench else 0.0
    start = time.perf_counter()
    epochs_bar = tqdm(range(1, epochs + 1), desc=desc, unit="epoch")
    batches = tqdm(total=len(loader), unit="batch", leave=False, mininterval=1)  # one bar, reset every epoch
    for epoch in epochs_bar:
        model.train()
        total_loss, correct = 0.0, 0
        batches.reset()
        batches.set_description(f"epoch {epoch}")
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            if augment is not None:
                x = augment(x)
            scores = model(x)
            loss = loss_fn(scores, y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total_loss += loss.item() * len(y)
            correct += (scores.argmax(1) == y).sum().item()
            batches.update()
        if scheduler is not None:
            scheduler.step()
        test_loss, test_acc = evaluate(model, test, device, loss_fn)
        history.append(
            {
                "epoch": epoch,
                "train loss": total_loss / len(train),
                "train accuracy": correct / len(train),
                "test loss": test_loss,
                "test accuracy": test_acc,
                "seconds": time.perf_counter() - start,
            }
        )
    batches.close()
    if bench:  # training costs about three forward passes: forward, and backward to inputs and to weights
        from utils.results import record

        record(f"bench fit {next(_bench_fits)}",
               {"macs": 3 * macs_per_example * epochs * len(train), "seconds": time.perf_counter() - start})
    return pd.DataFrame(history).set_index("epoch")
