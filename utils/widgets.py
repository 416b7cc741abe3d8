"""Explorers for JupyterLab: a pure drawing function plus a thin widget layer.

Tests call the drawing functions directly; ``feature_map_explorer`` only
wires them to a dropdown and a slider. First used in ``01_lenet`` (what each
layer of LeNet-5 sees), then in every architecture notebook.
"""
import ipywidgets
import matplotlib.pyplot as plt
import torch
from torch import nn

from utils.viz import capture_activations, feature_maps


def draw_feature_maps(model: nn.Module, images: torch.Tensor, index: int, layer: str) -> plt.Figure:
    """The input image ``images[index]`` beside the feature maps it produces at ``layer``."""
    image = images[index : index + 1]
    maps = capture_activations(model, image, [layer])[layer][0]
    fig = feature_maps(maps, f"{layer}: output {tuple(maps.shape)} for image {index}")
    inset = fig.add_axes([0.0, 0.85, 0.12, 0.12])
    inset.imshow(image[0].mean(0).cpu().numpy(), cmap="gray")
    inset.set_title("input", fontsize=8)
    inset.axis("off")
    return fig


def feature_map_explorer(model: nn.Module, images: torch.Tensor, layers: list[str]) -> ipywidgets.Widget:
    """Pick an image and a layer; see that layer's feature maps."""

    def show(index, layer):
        draw_feature_maps(model, images, index, layer)
        plt.show()

    return ipywidgets.interactive(
        show,
        index=ipywidgets.IntSlider(0, 0, len(images) - 1, description="image"),
        layer=ipywidgets.Dropdown(options=layers, description="layer"),
    )
