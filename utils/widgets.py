"""Explorers for JupyterLab: a pure drawing function plus a thin widget layer.

Tests call the drawing functions directly; ``explorer`` only wires one to
its controls. First used in ``01_lenet`` (what each layer of LeNet-5 sees),
then in every architecture notebook.
"""
from typing import Callable

import ipywidgets
import matplotlib.pyplot as plt
import torch
from torch import nn

from utils.errors import ParameterError
from utils.viz import capture_activations, feature_maps


def draw_feature_maps(model: nn.Module, images: torch.Tensor, index: int, layer: str) -> plt.Figure:
    """The input image ``images[index]`` beside the feature maps it produces at ``layer``."""
    image = images[index : index + 1]
    maps = capture_activations(model, image, [layer])[layer][0]
    fig = feature_maps(maps, f"layer {layer}: output {tuple(maps.shape)} for image {index}")
    fig.get_layout_engine().set(rect=(0.12, 0, 0.88, 1))  # the left eighth holds the input
    inset = fig.add_axes((0.01, 0.3, 0.1, 0.4))
    inset.imshow(image[0].mean(0).cpu().numpy(), cmap="gray")
    inset.set_title("input", fontsize=8)
    inset.axis("off")
    return fig


def explorer(draw: Callable[..., plt.Figure], **controls: ipywidgets.ValueWidget) -> ipywidgets.VBox:
    """The controls above the figure ``draw(**their values)``, drawn again whenever a control changes.

    The figure goes into the Output widget's state from the kernel, not through output capture as in
    ``ipywidgets.interactive``, which can leave a headless run (papermill, nbclient) waiting forever for
    the cell to finish (jupyter/nbclient#312).
    """
    picture = ipywidgets.Output()

    def redraw(_change=None):
        fig = draw(**{name: control.value for name, control in controls.items()})
        picture.outputs = ()
        picture.append_display_data(fig)
        plt.close(fig)

    for control in controls.values():
        control.observe(redraw, names="value")
    redraw()
    box = ipywidgets.VBox([*controls.values(), picture])
    box.add_class("course-explorer")
    return box


def feature_map_explorer(model: nn.Module, images: torch.Tensor, layers: list[str]) -> ipywidgets.VBox:
    """Pick an image and a layer; see that layer's feature maps."""
    if not isinstance(images, torch.Tensor) or images.dim() != 4 or not len(images):
        given = f"a tensor of shape {tuple(images.shape)}" if isinstance(images, torch.Tensor) else type(images).__name__
        raise ParameterError(f"images is {given}, but feature_map_explorer needs a batch of at least one image, "
                             "N x C x H x W (one image x becomes a batch as x[None]).")
    return explorer(
        lambda index, layer: draw_feature_maps(model, images, index, layer),
        index=ipywidgets.IntSlider(0, 0, len(images) - 1, description="image"),
        layer=ipywidgets.Dropdown(options=layers, description="layer"),
    )
