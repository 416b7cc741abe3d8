"""Pictures the notebooks share: filter grids, feature maps, training curves.

First drawn in ``01_lenet`` (filters, feature maps, curves) and reused by
every architecture notebook.
"""
import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch
from torch import nn


def _grid(count: int, columns: int) -> tuple[int, int]:
    columns = min(columns, count)
    return math.ceil(count / columns), columns


def _show_tiles(tiles: torch.Tensor, title: str, labels: list[str], columns: int, cmap: str | None) -> plt.Figure:
    rows, columns = _grid(len(tiles), columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.3 * rows + 0.5), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, tile, label in zip(axes.flat, tiles, labels):
        ax.imshow(tile.numpy(), cmap=cmap, interpolation="nearest")
        ax.set_title(label, fontsize=8)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def filter_grid(weight: torch.Tensor, title: str, columns: int = 8) -> plt.Figure:
    """Show convolution kernels (out x in x k x k): RGB when in=3, else the mean over inputs.

    Each kernel is scaled to its own range, so the pattern is visible
    whatever the weights' magnitude.
    """
    w = weight.detach().float().cpu()
    if w.shape[1] == 3:
        low = w.amin(dim=(1, 2, 3), keepdim=True)
        high = w.amax(dim=(1, 2, 3), keepdim=True)
        tiles, cmap = ((w - low) / (high - low + 1e-12)).permute(0, 2, 3, 1), None
    else:
        tiles, cmap = w.mean(dim=1), "gray"
    return _show_tiles(tiles, title, [f"filter {i}" for i in range(len(w))], columns, cmap)


def feature_maps(maps: torch.Tensor, title: str, columns: int = 8, limit: int = 32) -> plt.Figure:
    """Show the channels of one activation (C x H x W), at most ``limit`` of them; a vector as a strip."""
    maps = maps.detach().float().cpu()
    if maps.dim() == 1:  # a fully connected layer: one strip, one value per unit
        fig, ax = plt.subplots(figsize=(8, 1.4))
        ax.imshow(maps[None].numpy(), aspect="auto", cmap="viridis", interpolation="nearest")
        ax.set(yticks=[], xlabel="unit", title=title)
        fig.tight_layout()
        return fig
    shown = maps[:limit]
    return _show_tiles(shown, title, [f"map {i}" for i in range(len(shown))], columns, "viridis")


@torch.no_grad()
def capture_activations(model: nn.Module, x: torch.Tensor, layers: list[str]) -> dict[str, torch.Tensor]:
    """The outputs of the named submodules for input ``x`` (one forward pass in eval mode, on the
    model's device; the model's train/eval mode is restored afterwards)."""
    modules = dict(model.named_modules())
    unknown = [name for name in layers if name not in modules]
    if unknown:
        raise KeyError(f"the model has no submodule named {', '.join(map(repr, unknown))}")
    device = next(iter([*model.parameters(), *model.buffers()]), x).device
    captured = {}
    hooks = [
        modules[name].register_forward_hook(lambda _m, _i, out, name=name: captured.__setitem__(name, out))
        for name in layers
    ]
    was_training = model.training
    try:
        model.eval()
        model(x.to(device))
    finally:
        model.train(was_training)
        for hook in hooks:
            hook.remove()
    return captured


def training_curves(histories: dict[str, pd.DataFrame], title: str) -> plt.Figure:
    """Loss and accuracy per epoch (train dashed, test solid) for several runs."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.5))
    for (label, history), colour in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"] * 3):
        for split, style in (("train", "--"), ("test", "-")):
            loss_ax.plot(history.index, history[f"{split} loss"], style, color=colour, label=f"{label} ({split})")
            acc_ax.plot(history.index, history[f"{split} accuracy"], style, color=colour, label=f"{label} ({split})")
    loss_ax.set(xlabel="epoch", ylabel="loss", title="loss")
    acc_ax.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    acc_ax.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def evolution_chart(table: pd.DataFrame, view: str = "error") -> plt.Figure:
    """The course's architectures from ``utils.evolution.table()``, in one of two views.

    ``view="error"``: ImageNet top-1 error against multiply-adds per image (log scale), bubble area
    proportional to parameters, each bubble labelled with its year; filled bubbles are the papers'
    errors, hollow ones torchvision's reproductions. ``view="year"``: parameters and multiply-adds
    against the year of the paper (log scale).
    """
    if view not in ("error", "year"):
        raise ValueError(f"view is {view!r}, but it must be 'error' or 'year'.")
    if view == "year":
        fig, ax = plt.subplots(figsize=(9, 4.5))
        for column, marker in (("parameters", "o"), ("multiply-adds", "s")):
            ax.scatter(table["year"], table[column], marker=marker, label=column, alpha=0.7)
        families = table.groupby([table["year"], table.index.str.split("-").str[0]], sort=False)
        for (year, family), rows in families:  # one label per family and year: "EfficientNet (8)"
            label = rows.index[0] if len(rows) == 1 else f"{family} ({len(rows)})"
            ax.annotate(label, (year, rows["parameters"].max()), fontsize=7, xytext=(4, 2), textcoords="offset points")
        ax.set(yscale="log", xlabel="year of the paper", ylabel="count for one image (log scale)",
               title="Parameters and multiply-adds of the course's networks, by year")
        ax.legend()
        fig.tight_layout()
        return fig
    fig, ax = plt.subplots(figsize=(10, 5.5))
    area = 1500 * table["parameters"] / table["parameters"].max()
    paper = table["top-1 error (%)"].notna()
    ax.scatter(table["multiply-adds"][paper], table["top-1 error (%)"][paper], s=area[paper], alpha=0.5,
               label="paper's top-1 error")
    tv = table["torchvision top-1 error (%)"].notna()
    ax.scatter(table["multiply-adds"][tv], table["torchvision top-1 error (%)"][tv], s=area[tv], facecolors="none",
               edgecolors="tab:red", label="torchvision's reproduction")
    labelled = table[paper | tv]
    x = np.log10(labelled["multiply-adds"].to_numpy(dtype=float))
    y = labelled["top-1 error (%)"].fillna(labelled["torchvision top-1 error (%)"]).to_numpy(dtype=float)
    distance = np.abs(x[:, None] - x[None, :]) + np.abs(y[:, None] - y[None, :]) / 10
    np.fill_diagonal(distance, np.inf)
    for i, name in enumerate(labelled.index):  # the higher of two neighbours is labelled above, the lower below
        above = y[i] >= y[distance[i].argmin()]
        ax.annotate(f"{name} ({labelled['year'].iloc[i]})", (10 ** x[i], y[i]), fontsize=7, ha="center",
                    xytext=(0, 7 if above else -12), textcoords="offset points")
    ax.set(xscale="log", xlabel="multiply-adds per image (log scale)", ylabel="ImageNet top-1 error (%)",
           title="ImageNet error against cost (bubble area = parameters)")
    ax.legend(loc="upper right", markerscale=0.3)
    fig.tight_layout()
    return fig
