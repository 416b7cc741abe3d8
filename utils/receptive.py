"""Receptive fields: how much of the input one output pixel can see.

Two ways that must agree:

- ``receptive_fields(layers)`` walks a stack of layers with the recurrence
  ``r_out = r_in + (k_eff - 1) * j_in`` and ``j_out = j_in * s``, where ``r``
  is the receptive field's side, ``j`` the distance in input pixels between
  two neighbouring outputs (the "jump"), ``s`` the stride and
  ``k_eff = dilation * (k - 1) + 1`` the kernel's extent.
- ``gradient_footprint(model, x)`` measures it: the gradient of the centre
  output pixel with respect to the input is non-zero exactly on the input
  pixels that pixel depends on; ``footprint_side`` reads off their extent.

Kernels are assumed square (the first entry of a size tuple is used).
Taught in ``03_vgg`` (why three 3x3 layers see as far as one 7x7).
"""
from collections.abc import Iterable

import pandas as pd
import torch
from torch import nn

from utils import probe

_WINDOWED = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)


def _first(value) -> int:
    return value[0] if isinstance(value, tuple) else value


def receptive_fields(layers: nn.Sequential | Iterable[tuple[str, nn.Module]]) -> pd.DataFrame:
    """Receptive field and jump after every layer of a flat chain.

    Convolutions and pooling windows widen the field; pointwise layers
    (activations, batch norm, dropout, LRN) keep it. Anything else (a
    container, adaptive pooling, a layer this module does not know) raises
    ``TypeError`` rather than report a wrong field.
    """
    named = layers.named_children() if isinstance(layers, nn.Module) else layers
    rows, field, jump = [], 1, 1
    for name, layer in named:
        if not isinstance(layer, (*_WINDOWED, *probe.POINTWISE)):
            raise TypeError(
                f"receptive_fields cannot read layer {name!r} ({type(layer).__name__}); give it a flat chain of "
                "convolutions, max/average pooling and pointwise layers"
            )
        if isinstance(layer, _WINDOWED):
            extent = _first(getattr(layer, "dilation", 1)) * (_first(layer.kernel_size) - 1) + 1
            field += (extent - 1) * jump
            jump *= _first(layer.stride)
        rows.append({"layer": name, "type": type(layer).__name__, "receptive field": field, "jump": jump})
    return pd.DataFrame(rows).set_index("layer")


def gradient_footprint(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """|d centre output pixel / d input|, summed over output and input channels: an H x W map.

    ``x`` is one input (batch of 1). Where a ReLU is off or a max-pool drops
    a pixel, the gradient is zero there too, so measure with inputs and
    weights that keep every unit on (e.g. positive) to see the full field.
    """
    x = x.detach().clone().requires_grad_(True)
    out = model(x)
    centre = out[0, :, out.shape[-2] // 2, out.shape[-1] // 2].sum()
    (grad,) = torch.autograd.grad(centre, x)
    return grad[0].abs().sum(0)


def footprint_side(footprint: torch.Tensor) -> int:
    """The larger side of the bounding box around the map's non-zero pixels (0 if there are none)."""
    rows = footprint.sum(1).nonzero()
    cols = footprint.sum(0).nonzero()
    if len(rows) == 0:
        return 0
    return int(max(rows.max() - rows.min(), cols.max() - cols.min())) + 1
