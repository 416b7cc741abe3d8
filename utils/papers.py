"""The papers' published numbers, as data, each with its source.

A ``Claim`` keeps a number as the paper prints it together with the rounding
the print implies: "133 million" stands for anything from 132.5 to 133.5
million, while "60,000" printed as an exact count means exactly 60,000.
``compare`` puts a paper's claims beside the counts our code computed, as a
table, and raises when one falls outside its rounding.
"""
from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Claim:
    """One published number: its value, the rounding step of the print, where it is printed."""

    printed: str
    value: float
    step: float
    source: str

    @property
    def tolerance(self) -> float:
        return self.step / 2

    def agrees(self, ours: float) -> bool:
        return abs(ours - self.value) <= self.tolerance


def exact(value: int, source: str) -> Claim:
    """A count printed in full; ours must equal it."""
    return Claim(f"{value:,}", value, 0, source)


def rounded(printed: str, value: float, step: float, source: str) -> Claim:
    """A rounded figure: ``rounded("133M", 133e6, 1e6, ...)`` admits 132.5M to 133.5M."""
    return Claim(printed, value, step, source)


def _allowed(claim: Claim) -> str:
    if not claim.step:
        return "exact"
    return f"±{claim.tolerance:,.0f}" if claim.tolerance >= 1 else f"±{claim.tolerance:g}"


def compare(rows: dict[str, tuple[Claim, float]]) -> pd.DataFrame:
    """Tabulate ``{label: (claim, ours)}`` and raise AssertionError if any row disagrees."""
    table = pd.DataFrame(
        [
            {
                "quantity": label,
                "paper": claim.printed,
                "ours": f"{ours:,}",
                "allowed": _allowed(claim),
                "agrees": "yes" if claim.agrees(ours) else "NO",
                "source": claim.source,
            }
            for label, (claim, ours) in rows.items()
        ]
    ).set_index("quantity")
    wrong = table.index[table["agrees"] == "NO"].tolist()
    if wrong:
        raise AssertionError(f"Our counts disagree with the paper for: {', '.join(wrong)}\n{table}")
    return table


_LENET = "LeCun et al. 1998, section II.B"
_ALEXNET = "Krizhevsky et al. 2012"
_VGG_T2 = "Simonyan & Zisserman 2014, Table 2"
_TORCHVISION = "torchvision model builder metadata"

LENET5 = {
    "C1 parameters": exact(156, _LENET),
    "S2 parameters": exact(12, _LENET),
    "C3 parameters": exact(1_516, _LENET),
    "S4 parameters": exact(32, _LENET),
    "C5 parameters": exact(48_120, _LENET),
    "F6 parameters": exact(10_164, _LENET),
    "total parameters": exact(60_000, _LENET),
    "C1 connections": exact(122_304, _LENET),
    "S2 connections": exact(5_880, _LENET),
    "C3 connections": exact(151_600, _LENET),
    "S4 connections": exact(2_000, _LENET),
    "C5 connections": exact(48_120, _LENET),
    "F6 connections": exact(10_164, _LENET),
    "output connections": exact(840, _LENET + " (derived: 10 RBF units x 84 inputs)"),
    "total connections": exact(340_908, _LENET),
    "test error, MNIST (%)": rounded("0.95%", 0.95, 0.01, "LeCun et al. 1998, section III.C"),
    "test error, distorted training (%)": rounded("0.8%", 0.8, 0.1, "LeCun et al. 1998, section III.C"),
}

ALEXNET = {
    "parameters": rounded("60 million", 60e6, 10e6, _ALEXNET + ", abstract and section 4"),
    # "650,000" has two significant digits: it covers 645,000 to 655,000. The Figure 2 caption's own
    # per-layer counts add up to 622,312, and its conv1 (253,440) is not 96 square maps; 55x55x96 is 290,400.
    "neurons": rounded("650,000", 650e3, 10e3, _ALEXNET + ", abstract"),
    "input dimensions": exact(150_528, _ALEXNET + ", Figure 2 caption"),
    **{
        f"neurons, {layer}": exact(count, _ALEXNET + ", Figure 2 caption")
        for layer, count in zip(
            ("conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"),
            (253_440, 186_624, 64_896, 64_896, 43_264, 4_096, 4_096, 1_000),
        )
    },
    "top-5 test error, ILSVRC-2012 (%)": rounded("15.3%", 15.3, 0.1, _ALEXNET + ", Table 2"),
    "top-1 test error, ILSVRC-2010 (%)": rounded("37.5%", 37.5, 0.1, _ALEXNET + ", Table 1"),
    "top-5 test error, ILSVRC-2010 (%)": rounded("17.0%", 17.0, 0.1, _ALEXNET + ", Table 1"),
}

VGG = {
    **{
        f"{name} weight layers": exact(layers, "Simonyan & Zisserman 2014, Table 1")
        for name, layers in zip(("A", "A-LRN", "B", "C", "D", "E"), (11, 11, 13, 16, 16, 19))
    },
    "A parameters": rounded("133M", 133e6, 1e6, _VGG_T2),
    "A-LRN parameters": rounded("133M", 133e6, 1e6, _VGG_T2),
    "B parameters": rounded("133M", 133e6, 1e6, _VGG_T2),
    "C parameters": rounded("134M", 134e6, 1e6, _VGG_T2),
    "D parameters": rounded("138M", 138e6, 1e6, _VGG_T2),
    "E parameters": rounded("144M", 144e6, 1e6, _VGG_T2),
    "receptive field, two 3x3 layers": exact(5, "Simonyan & Zisserman 2014, section 2.3"),
    "receptive field, three 3x3 layers": exact(7, "Simonyan & Zisserman 2014, section 2.3"),
    "weights of three 3x3 layers / C^2": exact(27, "Simonyan & Zisserman 2014, section 2.3 (27C^2)"),
    "weights of one 7x7 layer / C^2": exact(49, "Simonyan & Zisserman 2014, section 2.3 (49C^2)"),
    "extra weights of the 7x7 layer (%)": rounded("81%", 81, 1, "Simonyan & Zisserman 2014, section 2.3"),
}

# Table 3, ConvNet performance at a single test scale, ILSVRC-2012 validation set:
# (configuration, training scale S, test scale Q) -> (top-1 error %, top-5 error %).
VGG_TABLE_3_SOURCE = "Simonyan & Zisserman 2014, Table 3"
VGG_TABLE_3 = {
    ("A", "256", "256"): (29.6, 10.4),
    ("A-LRN", "256", "256"): (29.7, 10.5),
    ("B", "256", "256"): (28.7, 9.9),
    ("C", "256", "256"): (28.1, 9.4),
    ("C", "384", "384"): (28.1, 9.3),
    ("C", "[256;512]", "384"): (27.3, 8.8),
    ("D", "256", "256"): (27.0, 8.8),
    ("D", "384", "384"): (26.8, 8.7),
    ("D", "[256;512]", "384"): (25.6, 8.1),
    ("E", "256", "256"): (27.3, 9.0),
    ("E", "384", "384"): (26.9, 8.7),
    ("E", "[256;512]", "384"): (25.5, 8.0),
}

TORCHVISION = {
    "alexnet": exact(61_100_840, _TORCHVISION),
    "vgg11": exact(132_863_336, _TORCHVISION),
    "vgg13": exact(133_047_848, _TORCHVISION),
    "vgg16": exact(138_357_544, _TORCHVISION),
    "vgg19": exact(143_667_240, _TORCHVISION),
    "resnet18": exact(11_689_512, _TORCHVISION),
}

EFFICIENTNET_LITE0 = {
    "parameters": rounded("4.7M", 4.7e6, 0.1e6, "EfficientNet-Lite README, tensorflow/tpu repository"),
    "multiply-adds": rounded("407M", 407e6, 1e6, "EfficientNet-Lite README, tensorflow/tpu repository"),
    "top-1 accuracy (%)": rounded("75.1%", 75.1, 0.1, "EfficientNet-Lite README, tensorflow/tpu repository"),
}

# ---- XCEPTION (notebooks/06_xception.ipynb) ----
_XCEPTION = "Chollet 2016, Xception"
XCEPTION = {
    "Xception parameters": exact(22_855_952, _XCEPTION + ", Table 3"),
    "Inception V3 parameters": exact(23_626_728, _XCEPTION + ", Table 3"),
    "convolutional layers": exact(36, _XCEPTION + ", section 3"),
    "middle-flow repeats": exact(8, _XCEPTION + ", Figure 5"),
}
# Table 3, training speed on 60 NVIDIA K80 GPUs (synchronous gradient descent): gradient steps per second.
XCEPTION_STEPS_PER_SECOND = {"Inception V3": 31, "Xception": 28}
# Table 1, ImageNet single-crop, single-model: (top-1 accuracy, top-5 accuracy).
XCEPTION_TABLE_1_SOURCE = _XCEPTION + ", Table 1"
XCEPTION_TABLE_1 = {
    "VGG-16": (0.715, 0.901),
    "ResNet-152": (0.770, 0.933),
    "Inception V3": (0.782, 0.941),
    "Xception": (0.790, 0.945),
}
