"""viz and widgets: the drawing functions show what they are given."""
import ipywidgets
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
import torch
from torch import nn

from utils import viz, widgets
from utils.errors import ParameterError


def small_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 6, 3, padding=1))


def test_filter_grid_draws_one_panel_per_filter():
    weight = torch.randn(5, 3, 3, 3)
    fig = viz.filter_grid(weight, "five RGB filters", columns=4)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 5
    assert shown[0].images[0].get_array().shape == (3, 3, 3)
    assert fig._suptitle.get_text() == "five RGB filters"


def test_capture_activations_returns_the_named_outputs():
    model = small_model()
    x = torch.randn(2, 1, 8, 8)
    maps = viz.capture_activations(model, x, ["0", "2"])
    assert torch.equal(maps["0"], model[0](x))
    assert maps["2"].shape == (2, 6, 8, 8)


def test_draw_feature_maps_shows_every_channel_of_the_layer():
    model = small_model()
    images = torch.rand(3, 1, 8, 8)
    fig = widgets.draw_feature_maps(model, images, index=2, layer="2")
    panels = [ax for ax in fig.axes if ax.images and ax.get_title().startswith("map")]
    assert len(panels) == 6
    expected = model(images[2:3])[0, 5].detach().numpy()
    assert (panels[5].images[0].get_array() == expected).all()


def test_explorer_offers_the_layers_and_images():
    explorer = widgets.feature_map_explorer(small_model(), torch.rand(3, 1, 8, 8), ["0", "2"])
    slider, dropdown = explorer.children[:2]
    assert slider.max == 2 and list(dropdown.options) == ["0", "2"]


def test_training_curves_plot_each_run_on_both_axes():
    import pandas as pd

    history = pd.DataFrame(
        {"train loss": [1.0, 0.5], "test loss": [1.1, 0.6], "train accuracy": [0.5, 0.8], "test accuracy": [0.4, 0.7]},
        index=[1, 2],
    )
    fig = viz.training_curves({"a": history, "b": history}, "runs")
    loss_ax, acc_ax = fig.axes
    assert len(loss_ax.lines) == 4 and len(acc_ax.lines) == 4
    assert acc_ax.get_ylabel() == "accuracy"


def test_feature_maps_of_a_vector_is_one_strip_of_all_units():
    fig = viz.feature_maps(torch.arange(120.0), "F6")
    (ax,) = fig.axes
    assert ax.images[0].get_array().shape == (1, 120)
    assert ax.get_xlabel() == "unit"


def test_capture_activations_restores_training_mode_and_moves_the_input():
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.Dropout(0.5)).train()
    x = torch.ones(1, 1, 5, 5, dtype=torch.float32)
    first = viz.capture_activations(model, x, ["1"])["1"]
    second = viz.capture_activations(model, x, ["1"])["1"]
    assert torch.equal(first, second)  # eval mode inside: dropout off, so two passes agree
    assert model.training  # and the model is back in train mode
    on_meta = nn.Conv2d(1, 2, 3, device="meta")
    assert viz.capture_activations(on_meta, x, [""])[""].device.type == "meta"  # the input followed the model


def test_explorer_redraws_into_its_own_state_without_capturing_output():
    """Each change draws once more, and the figure lands in the Output widget's state from the kernel: no
    output capture (msg_id stays empty), so a headless run has no frontend to wait for."""
    drawn = []

    def draw(size):
        drawn.append(size)
        fig, ax = plt.subplots()
        ax.set_title(f"size {size}")
        return fig

    open_before = plt.get_fignums()
    slider = ipywidgets.IntSlider(1, 1, 5)
    explorer = widgets.explorer(draw, size=slider)
    picture = explorer.children[-1]
    slider.value = 4
    assert drawn == [1, 4] and len(picture.outputs) == 1 and picture.msg_id == ""
    assert picture.outputs[0]["output_type"] == "display_data"
    assert plt.get_fignums() == open_before, "the explorer leaves its figures open"


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def test_tile_titles_clear_every_image_and_the_input_inset():
    model = nn.Sequential(nn.Conv2d(1, 20, 3), nn.ReLU())
    for fig in (viz.filter_grid(torch.randn(20, 3, 3, 3), "twenty filters"),
                widgets.draw_feature_maps(model, torch.randn(1, 1, 28, 28), 0, "0")):
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        shown = [ax for ax in fig.axes if ax.images]
        for ax in shown:
            title = ax.title.get_window_extent(renderer)
            others = [o.get_window_extent(renderer) for o in shown if o is not ax]
            assert not any(_overlaps(title, other) for other in others), ax.get_title()
        assert "layer 0: output (20, 26, 26)" in fig._suptitle.get_text() or fig._suptitle.get_text() == "twenty filters"
        plt.close(fig)


def test_training_curves_tick_whole_epochs():
    history = pd.DataFrame({f"{s} {m}": [0.9, 0.5, 0.3] for s in ("train", "test") for m in ("loss", "accuracy")},
                           index=[1, 2, 3])
    fig = viz.training_curves({"run": history}, "three epochs")
    fig.canvas.draw()
    for ax in fig.axes:
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks
    plt.close(fig)


def test_capture_activations_names_the_value_and_the_layers_allowed():
    allowed = r"the model's submodule names: '0', '1', '2'\.$"
    with pytest.raises(ParameterError, match=r"^layers is \['0', 'conv9'\], but it must be a non-empty list of " + allowed):
        viz.capture_activations(small_model(), torch.zeros(1, 1, 4, 4), ["0", "conv9"])
    with pytest.raises(ParameterError, match=r"^layers is '0', but it must be a non-empty list of " + allowed):
        viz.capture_activations(small_model(), torch.zeros(1, 1, 4, 4), "0")  # a name, not a list of names


def test_drawings_refuse_tensors_of_the_wrong_shape_in_one_sentence():
    model = small_model()
    with pytest.raises(ParameterError, match=r"^weight is Conv2d, but filter_grid needs convolution kernels, a 4-D tensor out x in x k x k such as model\.conv1\.weight\.$"):
        viz.filter_grid(model[0], "the layer, not its weight")
    with pytest.raises(ParameterError, match=r"^weight is a tensor of shape \(4,\), but filter_grid needs"):
        viz.filter_grid(model[0].bias, "a bias")
    with pytest.raises(ParameterError, match=r"^maps is a tensor of shape \(2, 4, 8, 8\), but feature_maps needs one image's activation, C x H x W or a vector \(for a batch, pick one image: maps\[0\]\)\.$"):
        viz.feature_maps(torch.zeros(2, 4, 8, 8), "a batch")
    with pytest.raises(ParameterError, match=r"^columns is 0, but it must be an integer of at least 1\.$"):
        viz.feature_maps(torch.zeros(4, 8, 8), "no columns", columns=0)
    with pytest.raises(ParameterError, match=r"^images is a tensor of shape \(1, 8, 8\), but feature_map_explorer needs a batch of at least one image, N x C x H x W \(one image x becomes a batch as x\[None\]\)\.$"):
        widgets.feature_map_explorer(model, torch.zeros(1, 8, 8), ["0"])
    with pytest.raises(ParameterError, match=r"^view is 'errors', but it must be one of 'error', 'year'\.$"):
        viz.evolution_chart(None, view="errors")
