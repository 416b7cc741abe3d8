"""utils.probe: one forward pass to look inside a model, leaving the model as it was."""
import pytest
import torch
from torch import nn

from utils import diagrams, probe
from utils.counting import on_meta
from utils.errors import ParameterError


class Raises(nn.Module):
    def forward(self, x):
        raise RuntimeError("a broken forward pass")


def test_evaluating_puts_training_mode_back_even_when_the_forward_pass_raises():
    model = nn.Sequential(nn.Linear(2, 2), Raises()).train()
    with pytest.raises(RuntimeError), probe.evaluating(model):
        assert not model.training and not torch.is_grad_enabled()
        model(torch.zeros(1, 2))
    assert model.training and torch.is_grad_enabled()
    model.eval()
    with probe.evaluating(model):
        pass
    assert not model.training  # a model in eval mode stays in eval mode


def test_a_diagram_of_a_broken_model_leaves_it_in_training_mode():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), Raises()).train()
    with pytest.raises(RuntimeError):
        diagrams.network_rows(model, (1, 1, 8, 8))
    assert model.training
    assert not any(module._forward_hooks for module in model.modules())


def test_recording_outputs_stores_each_output_then_removes_its_hooks():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten())
    with probe.recording_outputs({"conv": model[0], "flat": model[2]}) as outputs:
        model(torch.ones(1, 1, 5, 5))
    assert outputs["conv"].shape == (1, 2, 3, 3) and outputs["flat"].shape == (1, 18)
    assert not any(module._forward_hooks for module in model.modules())
    model(torch.ones(1, 1, 6, 6))
    assert outputs["conv"].shape == (1, 2, 3, 3)  # recorded inside the block only


def test_recording_inputs_stores_what_reaches_each_module():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten())
    with probe.recording_inputs({"relu": model[1], "flat": model[2]}) as inputs:
        out = model(torch.randn(1, 1, 5, 5))
    assert inputs["relu"].shape == (1, 2, 3, 3) and (inputs["flat"] >= 0).all()
    assert torch.equal(inputs["flat"].flatten(1), out)
    assert not any(module._forward_pre_hooks for module in model.modules())


def test_example_input_follows_the_model_and_names_a_bad_size():
    assert probe.example_input(on_meta(nn.Linear, 3, 1), (2, 3)).device.type == "meta"
    assert probe.device_of(nn.ReLU()) == torch.device("cpu")  # no parameters: the CPU
    with pytest.raises(ParameterError, match=r"input_size is \(1, 0\), but it must be a tuple of positive"):
        probe.example_input(nn.ReLU(), (1, 0))


def test_pointwise_layers_keep_the_shape():
    for kind in probe.POINTWISE:
        layer = {nn.BatchNorm2d: lambda: nn.BatchNorm2d(4), nn.BatchNorm1d: lambda: nn.BatchNorm1d(4),
                 nn.LocalResponseNorm: lambda: nn.LocalResponseNorm(2)}.get(kind, kind)()
        x = torch.randn(2, 4, 36) if kind is nn.BatchNorm1d else torch.randn(2, 4, 6, 6)
        assert layer(x).shape == x.shape, kind
