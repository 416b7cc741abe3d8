"""LeNet-5: LeCun, Bottou, Bengio & Haffner (1998), "Gradient-Based Learning Applied
to Document Recognition", Proceedings of the IEEE 86(11); taught in notebooks/01_lenet.ipynb.

- ``lenet5()``: the network of section II.B as published: a 32x32 input field
  (background -0.1, ink 1.175), the scaled tanh 1.7159 tanh(2a/3), trainable
  subsampling (window sum x coefficient + bias), C3's partial connections
  (Table I), and ten Euclidean RBF output units with fixed 7x12 bitmap
  prototypes (returned as -distance, so the largest score wins), initialised
  uniformly in +-2.4 / fan-in: 60,000 parameters, 340,908 connections.
- ``modern_lenet()``: the version most courses show: ReLU, max pooling,
  dense C3, a learned linear output for softmax cross-entropy: 61,706
  parameters.
"""
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

from utils.parameters import check_int

# Table I: for each of C3's 16 maps, the S2 maps it reads.
TABLE_I = [
    [0, 1, 2], [1, 2, 3], [2, 3, 4], [3, 4, 5], [4, 5, 0], [5, 0, 1],
    [0, 1, 2, 3], [1, 2, 3, 4], [2, 3, 4, 5], [3, 4, 5, 0], [4, 5, 0, 1], [5, 0, 1, 2],
    [0, 1, 3, 4], [1, 2, 4, 5], [0, 2, 3, 5],
    [0, 1, 2, 3, 4, 5],
]

# The RBF prototypes: one stylised 7x12 bitmap per digit (the paper prints its own only as Fig. 3; these are ours).
BITMAPS = """
.......  .......  .......  .......  .......  .......  .......  .......  .......  .......
..###..  ...#...  .#####.  .#####.  ....#..  #######  ..####.  #######  ..###..  ..###..
.#...#.  ..##...  #.....#  #.....#  ...##..  #......  .#.....  #.....#  .#...#.  .#...#.
#.....#  .#.#...  ......#  ......#  ..#.#..  #......  #......  .....#.  #.....#  #.....#
#.....#  ...#...  ......#  ......#  .#..#..  #......  #......  .....#.  .#...#.  #.....#
#.....#  ...#...  .....#.  ..####.  #...#..  ######.  ######.  ....#..  ..###..  .#...##
#.....#  ...#...  ....#..  ......#  #######  ......#  #.....#  ....#..  .#...#.  ..###.#
#.....#  ...#...  ..##...  ......#  ....#..  ......#  #.....#  ...#...  #.....#  ......#
#.....#  ...#...  .#.....  ......#  ....#..  ......#  #.....#  ...#...  #.....#  .....#.
.#...#.  ...#...  #......  #.....#  ....#..  #.....#  #.....#  ..#....  #.....#  ....#..
..###..  .#####.  #######  .#####.  ....#..  .#####.  .#####.  ..#....  .#####.  .###...
.......  .......  .......  .......  .......  .......  .......  .......  .......  .......
"""


def bitmap_prototypes(bitmaps: str = BITMAPS) -> torch.Tensor:
    """The ten 84-pixel codes (+1 ink, -1 background) drawn in ``bitmaps``, one row per digit."""
    rows = [line.split() for line in bitmaps.strip("\n").splitlines()]
    return torch.tensor([[1.0 if pixel == "#" else -1.0 for row in rows for pixel in row[digit]]
                         for digit in range(10)])


class PaperInput(nn.Module):
    """Centre the 28x28 digit in a 32x32 field; background -0.1, ink 1.175."""

    def forward(self, images):
        return F.pad(images, (2, 2, 2, 2)) * 1.275 - 0.1


class Squash(nn.Module):
    """The paper's sigmoid: f(a) = 1.7159 tanh(2a/3)."""

    def forward(self, a):
        return 1.7159 * torch.tanh(2 / 3 * a)


class Subsampling(nn.Module):
    """Sum of each 2x2 window, times a trainable coefficient, plus a trainable bias, per map."""

    def __init__(self, maps):
        super().__init__()
        self.weight = nn.Parameter(torch.full((maps,), 0.25))  # starts as the window's average
        self.bias = nn.Parameter(torch.zeros(maps))

    def forward(self, x):
        window_sum = F.avg_pool2d(x, 2) * 4
        return window_sum * self.weight[:, None, None] + self.bias[:, None, None]


class PartialConv(nn.Module):
    """A convolution in which output map j reads only the input maps connections[j]."""

    def __init__(self, connections, in_maps, kernel_size=5):
        super().__init__()
        mask = torch.zeros(len(connections), in_maps, kernel_size, kernel_size, dtype=torch.bool)
        for j, inputs in enumerate(connections):
            mask[j, inputs] = True
        self.register_buffer("mask", mask)
        self.weight = nn.Parameter(torch.empty(int(mask.sum())))  # only the connections that exist
        self.bias = nn.Parameter(torch.zeros(len(connections)))

    def forward(self, x):
        kernel = torch.zeros(self.mask.shape, device=x.device).masked_scatter(self.mask, self.weight)
        return F.conv2d(x, kernel, self.bias)


class RBFOutput(nn.Module):
    """Euclidean RBF units with fixed prototypes; returns -distance as each class's score."""

    def __init__(self, prototypes):
        super().__init__()
        self.register_buffer("prototypes", prototypes)  # fixed, not trainable

    def forward(self, x):
        return -((x[:, None, :] - self.prototypes) ** 2).sum(dim=2)


def paper_init(module: nn.Module) -> None:
    """Uniform weights in +-2.4 / fan-in (LeCun et al. 1998, appendix); each C3 map has its own fan-in."""
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        bound = 2.4 / module.weight[0].numel()
        nn.init.uniform_(module.weight, -bound, bound)
        nn.init.uniform_(module.bias, -bound, bound)
    elif isinstance(module, PartialConv):
        fan_in = module.mask.flatten(1).sum(1, keepdim=True).float()
        bounds = (2.4 / fan_in).expand(-1, module.mask[0].numel())[module.mask.flatten(1)]
        with torch.no_grad():
            module.weight.copy_((torch.rand_like(module.weight) * 2 - 1) * bounds)


def lenet5() -> nn.Sequential:
    """LeNet-5 as section II.B builds it, with the paper's initialisation; takes 28x28 digits."""
    model = nn.Sequential(OrderedDict(
        input=PaperInput(),
        C1=nn.Sequential(nn.Conv2d(1, 6, 5), Squash()),
        S2=nn.Sequential(Subsampling(6), Squash()),
        C3=nn.Sequential(PartialConv(TABLE_I, in_maps=6), Squash()),
        S4=nn.Sequential(Subsampling(16), Squash()),
        C5=nn.Sequential(nn.Conv2d(16, 120, 5), Squash(), nn.Flatten()),
        F6=nn.Sequential(nn.Linear(120, 84), Squash()),
        output=RBFOutput(bitmap_prototypes()),
    ))
    return model.apply(paper_init)


def modern_lenet(num_classes: int = 10) -> nn.Sequential:
    """The modern LeNet: ReLU, max pooling, dense C3, a learned output layer; takes 28x28 digits."""
    check_int("num_classes", num_classes)
    return nn.Sequential(OrderedDict(
        C1=nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU()),
        S2=nn.MaxPool2d(2),
        C3=nn.Sequential(nn.Conv2d(6, 16, 5), nn.ReLU()),
        S4=nn.MaxPool2d(2),
        C5=nn.Sequential(nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.ReLU()),
        F6=nn.Sequential(nn.Linear(120, 84), nn.ReLU()),
        output=nn.Linear(84, num_classes),
    ))
