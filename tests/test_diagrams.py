"""utils.diagrams: every drawn label is what utils.counting computes for the same model."""
import matplotlib

matplotlib.use("Agg")
import pytest
import torch
from torch import nn

from utils import counting, diagrams
from utils.nets import googlenet, lenet, resnet, vgg


def box_texts(fig):
    return [t.get_text() for t in fig.axes[0].texts]


@pytest.mark.parametrize("depth, layers", [(18, [2, 2, 2, 2]), (34, [3, 4, 6, 3]), (152, [3, 8, 36, 3])])
def test_resnet_rows_collapse_repeated_blocks_and_keep_every_parameter(depth, layers):
    model = counting.on_meta(resnet.resnet, depth)
    rows = diagrams.network_rows(model, (1, 3, 224, 224))
    blocks = rows[rows["kind"] == "block"]
    assert blocks["repeat"].sum() == sum(layers)
    assert len(rows) <= 12  # readable at notebook width, however deep
    assert rows["total parameters"].sum() == counting.count_parameters(model)
    expansion = 1 if depth < 50 else 4  # basic blocks keep their width, bottlenecks widen it four times
    assert rows.loc["layer4.0", "shape"] == (512 * expansion, 7, 7) and rows["shape"].iloc[-1] == (1000,)


def test_labels_follow_a_changed_configuration():
    for divisor in (1, 4):
        model = counting.on_meta(vgg.vgg, "D", divisor=divisor)
        fig = diagrams.draw_network(model, (1, 3, 224, 224), "VGG-D")
        first = box_texts(fig)[0]
        width = 64 // divisor
        assert f"{width} x 224 x 224" in first and f"{3 * 3 * 3 * width + width:,} params" in first
        assert f"{counting.count_parameters(model):,} parameters" in fig._suptitle.get_text()
        matplotlib.pyplot.close(fig)


def test_lenet_boxes_carry_the_papers_names_and_counts():
    rows = diagrams.network_rows(lenet.lenet5(), (1, 1, 28, 28))
    c3 = rows.loc["C3.0"]
    assert c3["layer"].startswith("C3: ") and c3["parameters"] == 1516 and c3["shape"] == (16, 10, 10)
    assert rows["total parameters"].sum() == 60_000


def test_inception_block_graph_has_four_branches_joined_by_a_concatenation():
    block = counting.on_meta(googlenet.googlenet).inception3a
    nodes = diagrams.block_graph(block, (1, 192, 28, 28))
    join = nodes[-1]
    assert join.label == "concatenate" and len(join.parents) == 4
    parents = {n.name: n for n in nodes}
    assert sum(parents[p].shape[0] for p in join.parents) == join.shape[0] == 256
    assert sum(n.params for n in nodes) == counting.count_parameters(block)
    fig = diagrams.draw_block(block, (1, 192, 28, 28), "inception (3a)")
    assert any("5x5 conv + ReLU\n32 x 28 x 28\n12,832 params" == t for t in box_texts(fig))


def test_residual_block_adds_its_shortcut():
    block = counting.on_meta(resnet.resnet, 18).layer2[0]
    nodes = diagrams.block_graph(block, (1, 64, 56, 56))
    add = nodes[-1]
    assert add.label == "add + ReLU" and len(add.parents) == 2
    assert sorted(n.label for n in nodes if n.name in add.parents) == ["1x1 conv /2 + BN", "3x3 conv + BN"]


def test_channel_connections():
    two_towers = diagrams.connection_matrix(nn.Conv2d(96, 256, 5, groups=2))
    assert two_towers.sum() == 256 * 48 and two_towers[0, :48].all() and not two_towers[0, 48:].any()
    assert torch.equal(diagrams.connection_matrix(nn.Conv2d(8, 8, 3, groups=8)), torch.eye(8, dtype=torch.bool))
    c3 = lenet.lenet5().C3[0]
    assert diagrams.connection_matrix(c3).sum() == 60  # Table I: 60 of the 96 map pairs
    with pytest.raises(TypeError, match="Linear"):
        diagrams.connection_matrix(nn.Linear(2, 2))


def test_explorer_offers_each_configuration_and_draws_it(monkeypatch):
    drawn = []
    monkeypatch.setattr(diagrams, "draw_network", lambda model, size, title, per_line: drawn.append(
        (title, counting.count_parameters(model))))
    widget = diagrams.architecture_explorer({n: (lambda n=n: resnet.resnet(n)) for n in (18, 50)}, (1, 3, 224, 224))
    dropdown = widget.children[0]
    assert list(dropdown.options) == [18, 50]
    dropdown.value = 50
    assert drawn[-1] == (50, 25_557_032)


def test_a_fully_connected_layer_is_drawn_dark_not_blank():
    fig = diagrams.draw_channel_connections(nn.Conv2d(4, 4, 3), "groups=1")
    image = fig.axes[0].images[0]
    assert image.norm(image.get_array()).min() == 1.0  # every pair connected: every cell at the dark end


def _blocks_drawn_in_the_course():
    from utils.nets import efficientnet, mobilenet, senet, xception

    xception_net, b0 = counting.on_meta(xception.xception), counting.on_meta(efficientnet.efficientnet, "b0")
    return {
        "inception (3a)": (counting.on_meta(googlenet.googlenet).inception3a, (1, 192, 28, 28)),
        "Xception middle": (xception_net.middle[0], (1, 728, 19, 19)),
        "basic block": (counting.on_meta(resnet.resnet, 18).layer2[0], (1, 64, 56, 56)),
        "bottleneck": (counting.on_meta(resnet.resnet, 50).layer2[0], (1, 256, 56, 56)),
        "SE bottleneck": (counting.on_meta(senet.se_resnet).layer1[1], (1, 256, 56, 56)),
        "MBConv": (b0.features[4][1], (1, 80, 14, 14)),
        "MobileNet layer": (counting.on_meta(mobilenet.mobilenet_v1).features[2], (1, 64, 112, 112)),
    }


@pytest.mark.parametrize("name", list(_blocks_drawn_in_the_course()))
def test_block_diagrams_keep_boxes_apart_and_arrows_out_of_other_boxes(name):
    block, size = _blocks_drawn_in_the_course()[name]
    fig = diagrams.draw_block(block, size, name)
    ax = fig.axes[0]
    fig.canvas.draw()
    boxes = [t.get_bbox_patch().get_window_extent() for t in ax.texts if not isinstance(t, matplotlib.text.Annotation)]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:]), f"two boxes overlap in {name}"
    to_display = ax.transData.transform
    segments = [to_display(line.get_xydata()) for line in ax.lines]
    segments += [to_display([a.xyann, a.xy]) for a in ax.texts if isinstance(a, matplotlib.text.Annotation)]
    for path in segments:
        for (x0, y0), (x1, y1) in zip(path[:-1], path[1:]):
            for t in [i / 40 for i in range(1, 40)]:
                x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                inside = [b for b in boxes if b.x0 + 2 < x < b.x1 - 2 and b.y0 + 2 < y < b.y1 - 2]
                assert not inside, f"an arrow of {name} crosses a box at ({x:.0f}, {y:.0f})"
    matplotlib.pyplot.close(fig)
