"""Run a network once and look inside it: the device it lives on, an input for it, eval mode that is put back,
and the outputs (or inputs) of named layers.

``counting``, ``diagrams``, ``viz`` and ``training`` each run a model once to read something off it (shapes,
multiply-adds, feature maps); they share these helpers.
"""
from collections.abc import Iterator
from contextlib import contextmanager
from numbers import Integral

import torch
from torch import nn

from utils.errors import ParameterError

# Layers that act on each position alone and keep the shape: they widen no receptive field (``utils.receptive``)
# and join the box of the layer before them in a diagram (``utils.diagrams``).
POINTWISE = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.ELU, nn.GELU, nn.SiLU, nn.Tanh, nn.Sigmoid, nn.Hardswish,
    nn.BatchNorm2d, nn.BatchNorm1d, nn.Dropout, nn.Dropout2d, nn.Identity,
    nn.LocalResponseNorm,  # mixes neighbouring channels, not pixels
)


def device_of(model: nn.Module) -> torch.device:
    """The device of the model's first parameter or buffer (the CPU for a model with neither)."""
    first = next(iter([*model.parameters(), *model.buffers()]), None)
    return first.device if first is not None else torch.device("cpu")


def example_input(model: nn.Module, input_size: tuple[int, ...]) -> torch.Tensor:
    """Zeros of ``input_size`` (batch first) on the model's device."""
    if not isinstance(input_size, (tuple, list)) or not all(isinstance(n, Integral) and n > 0 for n in input_size):
        raise ParameterError(f"input_size is {input_size!r}, but it must be a tuple of positive integers, batch "
                             "first, such as (1, 3, 224, 224).")
    return torch.zeros(input_size, device=device_of(model))


@contextmanager
def evaluating(model: nn.Module) -> Iterator[nn.Module]:
    """Inside the block the model is in eval mode and no gradients are kept; its train/eval mode comes back
    afterwards, even when the forward pass raises."""
    was_training = model.training
    try:
        with torch.no_grad():
            yield model.eval()
    finally:
        model.train(was_training)


@contextmanager
def _recording(modules: dict[str, nn.Module], hook) -> Iterator[dict]:
    seen = {}
    hooks = [hook(module, key, seen) for key, module in modules.items()]
    try:
        yield seen
    finally:
        for handle in hooks:
            handle.remove()


def recording_outputs(modules: dict[str, nn.Module]):
    """Inside the ``with`` block, every forward pass stores each module's output under its key in the dict it
    yields; the hooks are removed when the block ends (the dict keeps what they stored)."""
    return _recording(modules, lambda module, key, seen: module.register_forward_hook(
        lambda _m, _args, out: seen.__setitem__(key, out)))


def recording_inputs(modules: dict[str, nn.Module]):
    """As ``recording_outputs``, for each module's (first) input: what the layers before it made of the image."""
    return _recording(modules, lambda module, key, seen: module.register_forward_pre_hook(
        lambda _m, args: seen.__setitem__(key, args[0])))
