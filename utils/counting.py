"""Parameters, output shapes and multiply-adds, per layer and in total.

Multiply-adds come from ``torch.utils.flop_counter``, which counts the
matrix products inside convolutions and linear layers and reports FLOPs with
the convention 1 multiply-add = 2 FLOPs. Papers mix the two words ("FLOPs"
in the ResNet paper are multiply-adds), so this module always reports
multiply-adds (MACs) = FLOPs / 2. Bias additions, pooling and activations are
not counted, as in the papers.

Everything works on the ``meta`` device, where tensors have shapes but no
storage: build a model inside ``on_meta`` and counting a 144M-parameter
network allocates nothing. Counting by formula is taught in ``01_lenet`` and
``03_vgg``; every notebook then counts with this module.
"""
from collections.abc import Callable

import pandas as pd
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from utils import probe


def on_meta(builder: Callable[..., nn.Module], *args, **kwargs) -> nn.Module:
    """Build ``builder(*args, **kwargs)`` on the meta device: shapes only, no memory."""
    with torch.device("meta"):
        return builder(*args, **kwargs)


def count_parameters(module: nn.Module) -> int:
    """Number of trainable parameters (buffers and frozen tensors excluded)."""
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def allocated_bytes(module: nn.Module) -> int:
    """Bytes of real memory held by the module's parameters and buffers (0 on meta)."""
    tensors = [*module.parameters(), *module.buffers()]
    return sum(t.numel() * t.element_size() for t in tensors if t.device.type != "meta")


def _macs_by_module(model: nn.Module, x: torch.Tensor) -> tuple[int, dict[str, int]]:
    """Total MACs of one forward pass and MACs per module (keyed by qualified name)."""
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        model(x)
    prefix = type(model).__name__ + "."
    per_module = {
        key.removeprefix(prefix): sum(ops.values()) // 2
        for key, ops in counter.get_flop_counts().items()
        if key.startswith(prefix)
    }
    return counter.get_total_flops() // 2, per_module


def count_macs(model: nn.Module, input_size: tuple[int, ...]) -> int:
    """Multiply-adds of one forward pass for an input of ``input_size`` (batch included)."""
    return _macs_by_module(model, probe.example_input(model, input_size))[0]


def _shape(output) -> tuple[int, ...] | list:
    if isinstance(output, torch.Tensor):
        return tuple(output.shape)
    return [_shape(o) for o in output]


def layer_table(model: nn.Module, input_size: tuple[int, ...], depth: int = 1) -> pd.DataFrame:
    """One row per layer down to ``depth``: type, output shape, parameters, multiply-adds.

    Layers are the modules whose qualified name has ``depth`` parts, or
    fewer parts when they have no children (``depth=1`` lists the model's
    direct children). Output shapes are for a batch of ``input_size``.
    """
    layers = {
        name: module
        for name, module in model.named_modules()
        if name and (name.count(".") + 1 == depth or (name.count(".") + 1 < depth and not any(module.children())))
    }
    with probe.recording_outputs(layers) as outputs:
        _, macs = _macs_by_module(model, probe.example_input(model, input_size))
    return pd.DataFrame(
        [
            {
                "layer": name,
                "type": type(module).__name__,
                "output shape": _shape(outputs[name]) if name in outputs else None,
                "parameters": count_parameters(module),
                "multiply-adds": macs.get(name, 0),
            }
            for name, module in layers.items()
        ]
    ).set_index("layer")


def group_table(model: nn.Module, groups: dict[str, list[str]], input_size: tuple[int, ...]) -> pd.DataFrame:
    """One row per group of layers (a row of a paper's table, made of the modules named in ``groups``): the
    output shape of its last module without the batch, its weights (tensors named ``weight``: no biases) and
    its multiply-adds, for one forward pass on ``input_size``."""
    modules = dict(model.named_modules())
    unknown = [name for names in groups.values() for name in names if name not in modules]
    if unknown:
        raise KeyError(f"no module named {', '.join(map(repr, unknown))} in {type(model).__name__}")
    with probe.recording_outputs({row: modules[names[-1]] for row, names in groups.items()}) as outputs:
        _, macs = _macs_by_module(model, probe.example_input(model, input_size))
    return pd.DataFrame([
        {"row": row, "output shape": _shape(outputs[row])[1:],
         "weights": sum(p.numel() for name in names for key, p in modules[name].named_parameters() if key.endswith("weight")),
         "multiply-adds": sum(macs.get(name, 0) for name in names)}
        for row, names in groups.items()
    ]).set_index("row")
