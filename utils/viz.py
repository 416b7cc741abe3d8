"""Pictures the notebooks share: filter grids, feature maps, training curves.

First drawn in ``01_lenet`` (filters, feature maps, curves) and reused by
every architecture notebook.
"""
import math

import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator
import numpy as np
import pandas as pd
import torch
from torch import nn

from utils import i18n, probe
from utils.errors import ParameterError
from utils.parameters import check_choice, check_int, check_list


def _grid(count: int, columns: int) -> tuple[int, int]:
    columns = min(columns, count)
    return math.ceil(count / columns), columns


def _show_tiles(tiles: torch.Tensor, title: str, labels: list[str], columns: int, cmap: str | None) -> plt.Figure:
    rows, columns = _grid(len(tiles), columns)
    fig, axes = plt.subplots(rows, columns, figsize=(1.3 * columns, 1.4 * rows + 0.6), squeeze=False, layout="constrained")
    for ax in axes.flat:
        ax.axis("off")
    for ax, tile, label in zip(axes.flat, tiles, labels):
        ax.imshow(tile.numpy(), cmap=cmap, interpolation="nearest")
        ax.set_title(label, fontsize=0.8 * plt.rcParams["font.size"])
    fig.suptitle(title)
    return fig


def filter_grid(weight: torch.Tensor, title: str, columns: int = 8) -> plt.Figure:
    """Show convolution kernels (out x in x k x k): RGB when in=3, else the mean over inputs.

    Each kernel is scaled to its own range, so the pattern is visible
    whatever the weights' magnitude.
    """
    if not isinstance(weight, torch.Tensor) or weight.dim() != 4:
        given = f"a tensor of shape {tuple(weight.shape)}" if isinstance(weight, torch.Tensor) else type(weight).__name__
        raise ParameterError(f"weight is {given}, but filter_grid needs convolution kernels, a 4-D tensor "
                             "out x in x k x k such as model.conv1.weight.")
    check_int("columns", columns)
    w = weight.detach().float().cpu()
    if w.shape[1] == 3:
        low = w.amin(dim=(1, 2, 3), keepdim=True)
        high = w.amax(dim=(1, 2, 3), keepdim=True)
        tiles, cmap = ((w - low) / (high - low + 1e-12)).permute(0, 2, 3, 1), None
    else:
        tiles, cmap = w.mean(dim=1), "gray"
    return _show_tiles(tiles, title, [i18n._("filter {i}").format(i=i) for i in range(len(w))], columns, cmap)


def feature_maps(maps: torch.Tensor, title: str, columns: int = 8, limit: int = 32) -> plt.Figure:
    """Show the channels of one activation (C x H x W), at most ``limit`` of them; a vector as a strip."""
    if not isinstance(maps, torch.Tensor) or maps.dim() not in (1, 3):
        given = f"a tensor of shape {tuple(maps.shape)}" if isinstance(maps, torch.Tensor) else type(maps).__name__
        raise ParameterError(f"maps is {given}, but feature_maps needs one image's activation, C x H x W or a "
                             "vector (for a batch, pick one image: maps[0]).")
    check_int("columns", columns)
    check_int("limit", limit)
    maps = maps.detach().float().cpu()
    if maps.dim() == 1:  # a fully connected layer: one strip, one value per unit
        fig, ax = plt.subplots(figsize=(8, 1.4), layout="constrained")
        ax.imshow(maps[None].numpy(), aspect="auto", cmap="viridis", interpolation="nearest")
        ax.set(yticks=[], xlabel="unit", title=title)
        return fig
    shown = maps[:limit]
    return _show_tiles(shown, title, [f"map {i}" for i in range(len(shown))], columns, "viridis")


def capture_activations(model: nn.Module, x: torch.Tensor, layers: list[str]) -> dict[str, torch.Tensor]:
    """The outputs of the named submodules for input ``x`` (one forward pass in eval mode, on the
    model's device; the model's train/eval mode is restored afterwards)."""
    modules = dict(model.named_modules())
    names = [name for name in modules if name]
    shown = ", ".join(map(repr, names[:12])) + (f", ... ({len(names)} in all)" if len(names) > 12 else "")
    check_list("layers", layers, lambda name, value: check_choice(name, value, modules),
               describe=f"the model's submodule names: {shown}")
    with probe.recording_outputs({name: modules[name] for name in layers}) as captured, probe.evaluating(model):
        model(x.to(probe.device_of(model)))
    return captured


def training_curves(histories: dict[str, pd.DataFrame], title: str) -> plt.Figure:
    """Loss and accuracy per epoch (train dashed, test solid) for several runs."""
    fig, (loss_ax, acc_ax) = plt.subplots(1, 2, figsize=(10, 3.5))
    for (label, history), colour in zip(histories.items(), plt.rcParams["axes.prop_cycle"].by_key()["color"] * 3):
        for split, style in (("train", "--"), ("test", "-")):
            loss_ax.plot(history.index, history[f"{split} loss"], style, color=colour, label=f"{label} ({split})")
            acc_ax.plot(history.index, history[f"{split} accuracy"], style, color=colour, label=f"{label} ({split})")
    for ax, measure in ((loss_ax, "loss"), (acc_ax, "accuracy")):
        ax.set(xlabel="epoch", ylabel=measure, title=measure)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole
    acc_ax.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _place_labels(ax, points: list[tuple[float, float, float, str]], obstacles=(), fontsize: float | None = None) -> None:
    """Label each point (x, y, marker radius in points, text) beside its marker, where the label overlaps no
    marker (the points' and the unlabelled ``obstacles``' (x, y, radius)) and no label placed before it: the
    first free spot of a few around the marker, failing that the spot with the least overlap."""
    fontsize = fontsize or 0.7 * plt.rcParams["font.size"]  # 7 pt by matplotlib's default
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    scale = fig.dpi / 72
    every = [(x, y, r) for x, y, r, _ in points] + list(obstacles)
    centres = ax.transData.transform([(x, y) for x, y, _ in every])
    markers = [(cx - r * scale, cy - r * scale, cx + r * scale, cy + r * scale) for (cx, cy), (_, _, r) in zip(centres, every)]
    inside = ax.get_window_extent(renderer)
    placed: list[tuple[float, float, float, float]] = []

    def overlap(a, b) -> float:
        width, height = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
        return max(width, 0) * max(height, 0)

    for (x, y, radius, text) in points:
        gap = radius + 2
        candidates = [(gap, 0, "left", "center"), (-gap, 0, "right", "center"), (0, gap, "center", "bottom"),
                      (0, -gap, "center", "top"), (gap, gap, "left", "bottom"), (gap, -gap, "left", "top"),
                      (-gap, gap, "right", "bottom"), (-gap, -gap, "right", "top"),
                      (0, gap + 9, "center", "bottom"), (0, -gap - 9, "center", "top")]
        best = None
        for dx, dy, ha, va in candidates:
            label = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                                ha=ha, va=va)
            box = label.get_window_extent(renderer)
            box = (box.x0, box.y0, box.x1, box.y1)
            outside = box[0] < inside.x0 or box[2] > inside.x1 or box[1] < inside.y0 or box[3] > inside.y1
            cost = sum(overlap(box, other) for other in markers + placed) + (1e9 if outside else 0)
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, label, box)
            else:
                label.remove()
            if cost == 0:
                break
        placed.append(best[2])


def evolution_chart(table: pd.DataFrame, view: str = "error") -> plt.Figure:
    """The course's architectures from ``utils.evolution.table()``, in one of two views.

    ``view="error"``: ImageNet top-1 error against multiply-adds per image (log scale), bubble area
    proportional to parameters: filled bubbles are the errors under one protocol (the table's
    ``protocol`` column); a grey cross is a paper's own figure under another protocol (its column
    ``other protocol``), joined to its network's bubble. Every label sits beside its marker, clear of
    the other markers and labels. ``view="year"``: parameters (top) and multiply-adds per image (bottom)
    against the year of the paper, the years that have a network spaced evenly.
    """
    check_choice("view", view, ("error", "year"))
    if view == "year":
        years = sorted(table["year"].unique())
        position = table["year"].map({year: i for i, year in enumerate(years)})
        fig, axes = plt.subplots(2, 1, figsize=(9, 6), sharex=True)
        for ax, column, ylabel, colour in ((axes[0], "parameters", i18n._("parameters (log scale)"), "tab:blue"),
                                           (axes[1], "multiply-adds", i18n._("multiply-adds per image (log scale)"), "tab:orange")):
            ax.scatter(position, table[column], color=colour, alpha=0.7)
            ax.set(yscale="log", ylabel=ylabel)
            families = table.groupby([table["year"], table.index.str.split("-").str[0]], sort=False)
            points = [(years.index(year), rows[column].max(), 4,
                       rows.index[0] if len(rows) == 1 else f"{family} ({len(rows)})") for (year, family), rows in families]
            ax.margins(x=0.12, y=0.25)
            _place_labels(ax, points)
        axes[1].set_xticks(range(len(years)), [str(year) for year in years])
        axes[1].set_xlabel(i18n._("year of the paper (only the years with a network, evenly spaced)"))
        axes[0].set_title(i18n._("Parameters and multiply-adds of the course's networks, by year"))
        fig.tight_layout()
        return fig
    fig, ax = plt.subplots(figsize=(11, 6.5))
    shown = table[table["top-1 error (%)"].notna()]
    area = 1200 * shown["parameters"] / table["parameters"].max()
    ax.scatter(shown["multiply-adds"], shown["top-1 error (%)"], s=area, alpha=0.45, edgecolors="tab:blue",
               label=i18n._("top-1 error, {protocol}").format(protocol=i18n._(shown["protocol"].iloc[0])), gid="protocol")
    other = shown[shown["other top-1 error (%)"].notna()]
    for _, r in other.iterrows():
        ax.plot([r["multiply-adds"]] * 2, [r["top-1 error (%)"], r["other top-1 error (%)"]], ":", color="grey", lw=1)
    ax.scatter(other["multiply-adds"], other["other top-1 error (%)"], marker="x", color="dimgrey", s=30,
               label=i18n._("the paper's own figure, another protocol (more crops or a larger test scale)"),
               gid="other protocol")
    radius = [np.sqrt(a) / 2 for a in area]
    points = [(r["multiply-adds"], r["top-1 error (%)"], rad, f"{name} ({r['year']})")
              for (name, r), rad in zip(shown.iterrows(), radius)]
    ax.set(xscale="log", xlabel=i18n._("multiply-adds per image (log scale)"), ylabel=i18n._("ImageNet top-1 error (%)"),
           title=i18n._("ImageNet error against cost (bubble area = parameters)"))
    ax.margins(x=0.15, y=0.12)
    ax.legend(loc="upper right", markerscale=0.3, fontsize=0.8 * plt.rcParams["font.size"])
    fig.tight_layout()
    _place_labels(ax, points, [(r["multiply-adds"], r["other top-1 error (%)"], 4) for _, r in other.iterrows()])
    return fig
