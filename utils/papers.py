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


def compare(rows: dict[str, tuple[Claim, float]]) -> pd.DataFrame:
    """Tabulate ``{label: (claim, ours)}`` and raise AssertionError if any row disagrees."""
    table = pd.DataFrame(
        [
            {
                "quantity": label,
                "paper": claim.printed,
                "ours": f"{ours:,}",
                "allowed": f"±{claim.tolerance:,g}" if claim.step else "exact",
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
    "neurons": rounded("650,000", 650e3, 100e3, _ALEXNET + ", abstract"),
    "top-5 test error, ILSVRC-2012 (%)": rounded("15.3%", 15.3, 0.1, _ALEXNET + ", Table 2"),
    "top-1 test error, ILSVRC-2010 (%)": rounded("37.5%", 37.5, 0.1, _ALEXNET + ", Table 1"),
    "top-5 test error, ILSVRC-2010 (%)": rounded("17.0%", 17.0, 0.1, _ALEXNET + ", Table 1"),
}

VGG = {
    "A parameters": rounded("133M", 133e6, 1e6, _VGG_T2),
    "A-LRN parameters": rounded("133M", 133e6, 1e6, _VGG_T2),
    "B parameters": rounded("133M", 133e6, 1e6, _VGG_T2),
    "C parameters": rounded("134M", 134e6, 1e6, _VGG_T2),
    "D parameters": rounded("138M", 138e6, 1e6, _VGG_T2),
    "E parameters": rounded("144M", 144e6, 1e6, _VGG_T2),
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
