"""Architecture diagrams drawn from the networks themselves.

Every label is computed from the model it draws: output shapes from a
forward pass (on the ``meta`` device for big networks, so drawing VGG costs
no memory) and parameters from ``utils.counting``. Change the model, and the
picture changes with it.

- ``network_rows`` / ``draw_network``: the whole network as a chain of
  boxes, one per block, each labelled with its output shape (C x H x W) and
  parameters; a run of identical blocks is one box marked "x N", so a
  152-layer ResNet stays readable.
- ``draw_block``: one building block (an Inception module, a residual block,
  an SE block, MBConv) as the graph of its operations, traced with
  ``torch.fx``: branches side by side, shortcuts as curved arrows.
- ``draw_channel_connections``: which input channels each output channel
  reads (LeNet-5's C3 table, AlexNet's two towers, a depthwise convolution).
- ``architecture_explorer``: pick a configuration, see its diagram and totals.

Used by every architecture notebook and the lecture deck; first shown in
``01_lenet``. Drawn with matplotlib (pip-only; see the README for why not
``visualtorch``).
"""
from collections.abc import Callable
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
import torch
from matplotlib.patches import FancyBboxPatch
from torch import nn
from torchvision.ops import Conv2dNormActivation

from utils import counting, i18n, probe

# Drawn inside the box of the layer before them: pointwise layers, and Flatten (a new shape, but no computation).
JOINS_PREVIOUS_BOX = (*probe.POINTWISE, nn.Flatten)
SHORT = {"BatchNorm2d": "BN", "BatchNorm1d": "BN", "LocalResponseNorm": "LRN", "Dropout": "dropout",
         "Dropout2d": "dropout", "Identity": None, "Flatten": None}
COLOURS = {"conv": "#9ecae1", "pool": "#fdd0a2", "linear": "#c7e9c0", "block": "#dadaeb", "other": "#eeeeee"}


def _box_font() -> float:
    """Box text at three quarters of the style's font size (7.5 pt by matplotlib's default; larger on slides)."""
    return 0.75 * plt.rcParams["font.size"]


def _title_font() -> float:
    return plt.rcParams["font.size"]


def _kind(module: nn.Module) -> str:
    if isinstance(module, nn.Conv2d):
        return "conv"
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        return "pool"
    if isinstance(module, nn.Linear):
        return "linear"
    return "block" if any(module.children()) else "other"


def _describe(module: nn.Module) -> str:
    """A short name for a layer: '3x3 conv /2', '2x2 max pool', 'Bottleneck', ..."""
    if isinstance(module, nn.Conv2d):
        k, s = module.kernel_size[0], module.stride[0]
        kind = "depthwise " if module.groups == module.in_channels > 1 else ""
        groups = f", {module.groups} groups" if 1 < module.groups < module.in_channels else ""
        return f"{k}x{k} {kind}conv{' /' + str(s) if s > 1 else ''}{groups}"
    if isinstance(module, (nn.MaxPool2d, nn.AvgPool2d)):
        k = module.kernel_size if isinstance(module.kernel_size, int) else module.kernel_size[0]
        return f"{k}x{k} {'max' if isinstance(module, nn.MaxPool2d) else 'avg'} pool"
    if isinstance(module, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        return "global pool" if module.output_size in (1, (1, 1)) else "adaptive pool"
    if isinstance(module, nn.Linear):
        return "fully connected"
    return type(module).__name__


def _blocks(module: nn.Module, prefix: str = ""):
    """(name, module) of the network's blocks: plain containers (and torchvision's conv-BN-activation) are
    opened, named blocks kept whole."""
    for name, child in module.named_children():
        full = f"{prefix}{name}"
        if type(child) in (nn.Sequential, nn.ModuleList, Conv2dNormActivation) and any(child.children()):
            yield from _blocks(child, full + ".")
        else:
            yield full, child


GENERIC_NAMES = {"features", "classifier", "stages", "blocks", "layers", "body"}


def _titled(name: str, description: str) -> str:
    """'C1: 5x5 conv' for a layer the model names, just '5x5 conv' inside generic containers."""
    own = [part for part in name.split(".") if not part.isdigit() and part not in GENERIC_NAMES]
    return f"{own[0]}: {description}" if own else description


def _shape(output) -> tuple:
    output = output[0] if isinstance(output, (tuple, list)) else output
    return tuple(output.shape[1:])


def network_rows(model: nn.Module, input_size: tuple[int, ...]) -> pd.DataFrame:
    """One row per drawn box: the layer(s), output shape, parameters and how many identical blocks it stands for.

    ``input_size`` includes the batch (use 1). Pointwise layers (activations,
    batch norm, dropout, LRN) join the box of the layer before them; a run of
    blocks with the same description, output shape and parameters becomes
    one row with ``repeat`` > 1.
    """
    blocks = list(_blocks(model))
    with probe.recording_outputs(dict(blocks)) as outputs, probe.evaluating(model):
        model(probe.example_input(model, input_size))
    shapes = {name: _shape(output) for name, output in outputs.items()}
    rows = []
    for name, module in blocks:
        if name not in shapes:  # not on the forward path (e.g. auxiliary heads at inference)
            continue
        params = counting.count_parameters(module)
        keeps_shape = not params and not any(module.children()) and rows and rows[-1]["shape"] == shapes[name]
        if rows and (isinstance(module, JOINS_PREVIOUS_BOX) or keeps_shape):
            short = SHORT.get(type(module).__name__, type(module).__name__)
            rows[-1]["layer"] += f" + {short}" if short and short not in rows[-1]["layer"] else ""
            rows[-1]["parameters"] += params
            rows[-1]["shape"] = shapes[name]
            continue
        rows.append({"name": name, "layer": _titled(name, _describe(module)), "kind": _kind(module), "shape": shapes[name],
                     "parameters": params, "repeat": 1})
    merged = []
    for row in rows:
        last = merged[-1] if merged else None
        same = last and last["name"].rsplit(".", 1)[0] == row["name"].rsplit(".", 1)[0]  # siblings only
        if same and all(last[k] == row[k] for k in ("layer", "shape", "parameters")):
            last["repeat"] += 1
            last["last"] = row["name"]
        else:
            merged.append(dict(row))
    table = pd.DataFrame(merged)
    table["total parameters"] = table["parameters"] * table["repeat"]
    return table.drop(columns=[c for c in ("last",) if c in table]).set_index("name")


def shape_label(shape: tuple) -> str:
    return " x ".join(str(s) for s in shape)


def macs_label(macs: int) -> str:
    return f"{macs / 1e9:.2f} G" if macs >= 1e9 else f"{macs / 1e6:.1f} M" if macs >= 1e6 else f"{macs:,}"


def box_label(row: pd.Series) -> str:
    """The text of one box: layer (x N), output shape, parameters (per block when repeated)."""
    times = f" x {row['repeat']}" if row["repeat"] > 1 else ""
    each = " each" if row["repeat"] > 1 else ""
    return f"{row['layer']}{times}\n{shape_label(row['shape'])}\n" + i18n._("{count:,} params" + each).format(count=row["parameters"])


def draw_network(model: nn.Module, input_size: tuple[int, ...], title: str, per_line: int = 6) -> plt.Figure:
    """The whole network as boxes in reading order, ``per_line`` to a line, with its totals in the title."""
    rows = network_rows(model, input_size)
    total = counting.count_parameters(model)
    macs = counting.count_macs(model, input_size)
    lines = -(-len(rows) // per_line)
    fig, ax = plt.subplots(figsize=(2.3 * per_line, 1.25 * lines + 0.7))
    ax.set(xlim=(0, per_line), ylim=(lines, 0))
    ax.axis("off")
    for i, (_, row) in enumerate(rows.iterrows()):
        x, y = i % per_line, i // per_line
        ax.add_patch(FancyBboxPatch((x + 0.06, y + 0.1), 0.78, 0.8, boxstyle="round,pad=0.01",
                                    facecolor=COLOURS[row["kind"]], edgecolor="#555555"))
        ax.text(x + 0.45, y + 0.5, box_label(row), ha="center", va="center", fontsize=_box_font())
        if x < per_line - 1 and i < len(rows) - 1:
            ax.annotate("", (x + 1.06, y + 0.5), (x + 0.84, y + 0.5), arrowprops={"arrowstyle": "->"})
    fig.suptitle(i18n._("{title}: input {shape}, {total:,} parameters, {macs} multiply-adds").format(
        title=title, shape=shape_label(input_size[1:]), total=total, macs=macs_label(macs)), fontsize=_title_font())
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- blocks, traced with torch.fx

@dataclass
class Node:
    name: str
    label: str
    shape: tuple | None
    params: int
    parents: list[str] = field(default_factory=list)


_FUNCTIONS = {"add": "add", "iadd": "add", "cat": "concatenate", "mul": "multiply", "imul": "multiply", "relu": "ReLU",
              "sigmoid": "sigmoid", "flatten": "flatten", "mean": "mean", "adaptive_avg_pool2d": "global pool",
              "relu6": "ReLU6", "silu": "swish", "pad": "pad"}


def block_graph(block: nn.Module, input_size: tuple[int, ...]) -> list[Node]:
    """The block's operations in order, each with its output shape, parameters and inputs.

    Traced with ``torch.fx``; a pointwise layer that is the only consumer of
    the operation before it is merged into that operation's label.
    """
    from torch.fx import symbolic_trace
    from torch.fx.passes.shape_prop import ShapeProp

    traced = symbolic_trace(block)
    ShapeProp(traced).propagate(probe.example_input(block, input_size))
    modules = dict(traced.named_modules())
    nodes: dict[str, Node] = {}
    alias: dict[str, str] = {}  # merged node -> the node that now stands for it
    users = {n.name: len(n.users) for n in traced.graph.nodes}
    for n in traced.graph.nodes:
        meta = n.meta.get("tensor_meta")
        shape = tuple(meta.shape[1:]) if meta is not None and hasattr(meta, "shape") else None
        parents = [alias.get(a.name, a.name) for a in n.all_input_nodes]
        if n.op == "placeholder":
            nodes[n.name] = Node(n.name, "input", shape, 0)
            continue
        if n.op == "output":
            continue
        if n.op == "call_module":
            module = modules[n.target]
            label, params = _describe(module), counting.count_parameters(module)
            pointwise = isinstance(module, JOINS_PREVIOUS_BOX)
            if pointwise:
                label = SHORT.get(type(module).__name__, type(module).__name__) or ""
        else:
            name = getattr(n.target, "__name__", str(n.target))
            label, params = _FUNCTIONS.get(name, name), 0
            pointwise = name in ("relu", "relu6", "sigmoid", "silu")
        if n.op == "get_attr":
            continue
        only_parent = parents[0] if len(parents) == 1 else None
        if n.op == "call_module" and isinstance(modules[n.target], nn.Identity) and only_parent:
            alias[n.name] = only_parent  # an identity shortcut is just the arrow from its input
            continue
        if pointwise and only_parent in nodes and users.get(_source(only_parent, alias), 0) == 1 \
                and nodes[only_parent].label != "input":
            if label:
                nodes[only_parent].label += f" + {label}"
            nodes[only_parent].params += params
            nodes[only_parent].shape = shape
            alias[n.name] = only_parent
            continue
        nodes[n.name] = Node(n.name, label, shape, params, [p for p in parents if p in nodes])
    return list(nodes.values())


def _source(name: str, alias: dict[str, str]) -> str:
    """The original fx node whose users decide whether a merge is safe (the last one merged into ``name``)."""
    merged = [k for k, v in alias.items() if v == name]
    return merged[-1] if merged else name


def _layout(nodes: list[Node]) -> dict[str, tuple[float, int]]:
    """(x, level) per node: a node sits one level below its lowest input; the branches leaving a node
    spread side by side, a branch keeps its column, and a node joining branches sits between them."""
    position: dict[str, tuple[float, int]] = {}
    branches = {node.name: [c.name for c in nodes if c.parents == [node.name]] for node in nodes}
    for node in nodes:  # fx order is topological
        if not node.parents:
            position[node.name] = (0.0, 0)
            continue
        level = 1 + max(position[p][1] for p in node.parents)
        if len(node.parents) > 1:
            x = sum(position[p][0] for p in node.parents) / len(node.parents)
        else:
            parent = node.parents[0]
            siblings = branches[parent]
            x = position[parent][0] + siblings.index(node.name) - (len(siblings) - 1) / 2
        position[node.name] = (x, level)
    return position


def draw_block(block: nn.Module, input_size: tuple[int, ...], title: str) -> plt.Figure:
    """One building block as a graph: operations top to bottom, branches side by side, every box
    labelled with its output shape and parameters."""
    nodes = block_graph(block, input_size)
    position = _layout(nodes)
    left = min(x for x, _ in position.values())
    position = {name: (x - left + 0.5, y) for name, (x, y) in position.items()}
    width = max(x for x, _ in position.values()) + 0.5
    depth = max(y for _, y in position.values()) + 1
    lane = 0.7 if any(_blocked(position, p, n.name) for n in nodes for p in n.parents) else 0.0  # room for shortcuts
    fig, ax = plt.subplots(figsize=(max(3.2, 2.6 * (width + lane)), 0.85 * depth + 0.8))
    ax.set(xlim=(0, width + lane), ylim=(depth - 0.4, -0.6))
    ax.axis("off")
    boxes = {}
    for node in nodes:
        x, y = position[node.name]
        text = node.label + (f"\n{shape_label(node.shape)}" if node.shape else "")
        text += "\n" + i18n._("{count:,} params").format(count=node.params) if node.params else ""
        colour = COLOURS["conv"] if "conv" in node.label else COLOURS["pool"] if "pool" in node.label else \
            COLOURS["other"] if node.label == "input" else COLOURS["block"]
        boxes[node.name] = ax.text(x, y, text, ha="center", va="center", fontsize=_box_font(), zorder=2,
                                   bbox={"boxstyle": "round,pad=0.3", "facecolor": colour, "edgecolor": "#555555"})
    fig.canvas.draw()
    extent = {name: box.get_bbox_patch().get_window_extent().transformed(ax.transData.inverted())
              for name, box in boxes.items()}  # each box in data units (y grows downwards)
    lanes: list[tuple[float, int, int]] = []  # the shortcuts' vertical lanes so far: (x, from level, to level)
    for node in nodes:
        for parent in node.parents:
            _arrow(ax, _route(position, extent, parent, node.name, lanes))
    total = counting.count_parameters(block)
    fig.suptitle(i18n._("{title}: {total:,} parameters").format(title=title, total=total), fontsize=_title_font())
    fig.tight_layout()
    return fig


def _blocked(position: dict, parent: str, child: str) -> bool:
    """Whether a box sits in the parent's column between the parent's level and the child's."""
    (px, py), (_, y) = position[parent], position[child]
    return any(abs(x - px) < 1e-6 and py < level < y for x, level in position.values())


def _route(position: dict, extent: dict, parent: str, child: str, lanes: list) -> list[tuple[float, float]]:
    """The path of the arrow from ``parent`` to ``child``: straight to the next level; down the parent's column
    when it is free, then across; around the right of every box in between when it is not (a shortcut), in a
    lane of its own (``lanes`` holds those taken)."""
    (px, py), (x, y) = position[parent], position[child]
    top, bottom = extent[child], extent[parent]
    start, end = (px, max(bottom.y0, bottom.y1)), (x, min(top.y0, top.y1))
    if y - py == 1:
        return [start, end]
    if not _blocked(position, parent, child):
        return [start, (px, y - 0.6), end]
    passed = [extent[name] for name, (bx, level) in position.items() if py <= level <= y]
    lane = max(max(box.x0, box.x1) for box in passed) + 0.08
    while any(abs(lane - x) < 0.06 and py < to and start < y for x, start, to in lanes):  # spans overlap
        lane += 0.1
    lanes.append((lane, py, y))
    right = lambda box: max(box.x0, box.x1)  # noqa: E731
    return [(right(bottom), py), (lane, py), (lane, y), (right(top), y)]


def _arrow(ax: plt.Axes, path: list[tuple[float, float]]) -> None:
    """A polyline with an arrow head on its last segment, drawn beneath the boxes."""
    style = {"color": "#444444", "linewidth": 1.0, "zorder": 1}
    if len(path) > 2:
        ax.plot(*zip(*path[:-1]), **style)
    ax.annotate("", path[-1], path[-2], arrowprops={"arrowstyle": "->", "shrinkA": 0, "shrinkB": 0, **style})


# ---------------------------------------------------------------- channel connections

def connection_matrix(layer: nn.Module) -> torch.Tensor:
    """out x in booleans: which input channels each output channel reads.

    A ``Conv2d`` with ``groups`` = g reads only its own group's inputs (AlexNet's
    two towers, a depthwise convolution); a layer with a boolean ``mask``
    buffer (LeNet-5's C3) reads what the mask allows.
    """
    if hasattr(layer, "mask"):
        return layer.mask.flatten(2).any(2).cpu()
    if isinstance(layer, nn.Conv2d):
        c_out, c_in, g = layer.out_channels, layer.in_channels, layer.groups
        out_group = torch.arange(c_out) // (c_out // g)
        in_group = torch.arange(c_in) // (c_in // g)
        return out_group[:, None] == in_group[None, :]
    raise TypeError(f"connection_matrix reads a Conv2d or a layer with a `mask` buffer, not {type(layer).__name__}")


def draw_channel_connections(layer: nn.Module, title: str) -> plt.Figure:
    """The connection matrix as a picture: a dark cell where an output channel reads an input channel."""
    matrix = connection_matrix(layer)
    fig, ax = plt.subplots(figsize=(min(8, 2 + 0.25 * matrix.shape[1]), min(6, 1.5 + 0.12 * matrix.shape[0])))
    ax.imshow(matrix.numpy(), cmap="Greys", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    ax.set(xlabel=i18n._("input channel"), ylabel=i18n._("output channel"),
           title=i18n._("{title}: {connected:,} of {pairs:,} channel pairs connected").format(
               title=title, connected=int(matrix.sum()), pairs=matrix.numel()))
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- explorer

def architecture_explorer(builders: dict[str, Callable[[], nn.Module]],
                          input_size: tuple[int, ...] | dict[str, tuple[int, ...]], per_line: int = 6):
    """A dropdown of configurations; each choice builds its network on the meta device and redraws
    its diagram and totals. ``input_size`` is one size for all, or one per configuration."""
    import ipywidgets

    from utils.widgets import explorer

    def draw(configuration):
        size = input_size[configuration] if isinstance(input_size, dict) else input_size
        return draw_network(counting.on_meta(builders[configuration]), size, configuration, per_line)

    return explorer(draw, configuration=ipywidgets.Dropdown(options=list(builders), description="network"))
