"""The papers' published numbers, as data, each with its source.

A ``Claim`` keeps a number as the paper prints it together with the rounding
the print implies: "133 million" stands for anything from 132.5 to 133.5
million, while "60,000" printed as an exact count means exactly 60,000.
``compare`` puts a paper's claims beside the counts our code computed, as a
table, and raises when one falls outside its rounding. Taught in ``01_lenet``;
each family's block below names the notebook that checks it.
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


def printed(text: str, source: str) -> Claim:
    """A figure as a table prints it, in the table's own unit: ``printed("2.7K", ...)`` is 2.7 (of whatever the
    table's K is) give or take 0.05; the unit is left to the reader, who compares ours in the same unit."""
    number = text.rstrip("KMGB% ").removesuffix(" million").removesuffix(" billion").replace(",", "")
    try:
        value = float(number)
    except ValueError:
        raise ValueError(f"{text!r} is not a printed number such as '2.7K', '463K' or '34M'") from None
    return rounded(text, value, 10.0 ** -len(number.partition(".")[2]), source)


def compare_table(paper: dict[str, dict[str, str]], ours: dict[str, dict], source: str) -> pd.DataFrame:
    """A paper's table beside ours, row by row and column by column: the paper's print, ours (a number in the
    print's unit, or a text such as an output size), the difference, and whether ours is within the print's
    rounding ("yes" or "NO"; text must match exactly; "" where the paper prints nothing)."""
    rows = []
    for row, printed_row in paper.items():
        line = {"row": row}
        for column, text in printed_row.items():
            value = ours[row][column]
            numeric = not isinstance(value, str)
            line[f"{column} (paper)"] = text
            line[f"{column} (ours)"] = f"{value:,.2f}" if numeric else value
            if numeric:
                line[f"{column} diff"] = f"{value - printed(text, source).value:+,.2f}" if text else ""
                agrees = printed(text, source).agrees(value) if text else None
            else:
                agrees = text == value if text else None
            line[f"{column} agrees"] = "" if agrees is None else "yes" if agrees else "NO"
        rows.append(line)
    return pd.DataFrame(rows).set_index("row")


def _allowed(claim: Claim) -> str:
    if not claim.step:
        return "exact"
    return f"±{claim.tolerance:,.0f}" if claim.tolerance >= 1 else f"±{claim.tolerance:g}"


def compare(rows: dict[str, tuple[Claim, float]], may_disagree: tuple[str, ...] = ()) -> pd.DataFrame:
    """Tabulate ``{label: (claim, ours)}`` and raise AssertionError if a row disagrees, unless its label is one of
    ``may_disagree`` (a claim the notebook shows does not hold, and explains)."""
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
    wrong = [label for label in table.index[table["agrees"] == "NO"] if label not in may_disagree]
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
    "test error, linear classifier on pixels (%)": rounded("12.0%", 12.0, 0.1, "LeCun et al. 1998, section III.C.1 and Fig. 9"),
}

ALEXNET = {
    "parameters": rounded("60 million", 60e6, 10e6, _ALEXNET + ", abstract and section 4"),
    # "650,000" has two significant digits: it covers 645,000 to 655,000. The Figure 2 caption's own
    # per-layer counts add up to 622,312, and its conv1 (253,440) is not 96 square maps; 55x55x96 is 290,400.
    "neurons": rounded("650,000", 650e3, 10e3, _ALEXNET + ", abstract"),
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
    # Table 2's winning entry averages seven networks: five like the one above and two pre-trained on Fall 2011.
    "top-5 test error, ILSVRC-2012, runner-up (%)": rounded("26.2%", 26.2, 0.1, _ALEXNET + ", abstract and Table 2"),
    # Section 5, "Details of learning".
    "batch size": exact(128, _ALEXNET + ", section 5"),
    "learning rate": rounded("0.01", 0.01, 0, _ALEXNET + ", section 5 (divided by 10 three times)"),
    "momentum": rounded("0.9", 0.9, 0, _ALEXNET + ", section 5"),
    "weight decay": rounded("0.0005", 0.0005, 0, _ALEXNET + ", section 5"),
    "epochs": rounded("roughly 90", 90, 10, _ALEXNET + ", section 5"),
    "training days": rounded("five to six days on two GTX 580 3GB GPUs", 5.5, 1, _ALEXNET + ", section 5"),
    # Figure 1 (and section 3.1): "A four-layer convolutional neural network with ReLUs (solid line) reaches a 25%
    # training error rate on CIFAR-10 six times faster than an equivalent network with tanh neurons (dashed line).
    # The learning rates for each network were chosen independently to make training as fast as possible. No
    # regularization of any kind was employed." Section 3.1: it shows "the number of iterations required to reach
    # 25% training error on the CIFAR-10 dataset for a particular four-layer convolutional network".
    "ReLU speed-up over tanh (Figure 1)": rounded("six times", 6, 1, _ALEXNET + ", Figure 1 and section 3.1"),
    "Figure 1 training error reached (%)": rounded("25%", 25, 1, _ALEXNET + ", Figure 1 and section 3.1"),
    # Section 4.2: "Without dropout, our network exhibits substantial overfitting. Dropout roughly doubles the
    # number of iterations required to converge." The paper gives no error rate without dropout.
    "dropout: iterations to converge (times)": rounded("roughly doubles", 2, 1, _ALEXNET + ", section 4.2"),
    # Table 2, "1 CNN", validation. Section 4.1: at test time the network predicts "by extracting five 224x224 patches
    # (the four corner patches and the center patch) as well as their horizontal reflections (hence ten patches in
    # all), and averaging the predictions made by the network's softmax layer on the ten patches".
    "top-1 validation error, ILSVRC-2012, 1 CNN, ten patches (%)": rounded("40.7%", 40.7, 0.1, _ALEXNET + ", Table 2 (1 CNN)"),
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
    # Section 3.1: "batch size was set to 256, momentum to 0.9", "dropout regularisation for the first two
    # fully-connected layers (dropout ratio set to 0.5)"; deeper nets start from net A's first four convolutional
    # layers and last three fully-connected layers, the rest random.
    "batch size": exact(256, "Simonyan & Zisserman 2014, section 3.1"),
    "momentum": rounded("0.9", 0.9, 0, "Simonyan & Zisserman 2014, section 3.1"),
    "dropout ratio, first two fully connected layers": rounded("0.5", 0.5, 0, "Simonyan & Zisserman 2014, section 3.1"),
    "layers initialised from net A": exact(7, "Simonyan & Zisserman 2014, section 3.1 (first four conv, last three FC)"),
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


# --- notebooks/07_modern_cnns.ipynb: MobileNet, SENet, EfficientNet, Inception-ResNet, Highway ---------------------
_MOBILENET = "Howard et al. 2017"
MOBILENET = {
    "parameters": rounded("4.2M", 4.2e6, 0.1e6, _MOBILENET + ", Table 8"),
    "multiply-adds": rounded("569M", 569e6, 1e6, _MOBILENET + ", Table 8"),
    "top-1 accuracy (%)": rounded("70.6%", 70.6, 0.1, _MOBILENET + ", Table 8"),
    # Table 2, share of each layer type; its parameter shares count weights only (no biases, no batch norm).
    **{
        f"{layer} share of {what} (%)": rounded(f"{value}%", value, 0.01, _MOBILENET + ", Table 2")
        for layer, adds, params in (
            ("Conv 1x1", 94.86, 74.59), ("Conv DW 3x3", 3.06, 1.06), ("Conv 3x3", 1.19, 0.02), ("FC", 0.18, 24.33)
        )
        for what, value in (("multiply-adds", adds), ("parameters", params))
    },
    # Table 6, the width multiplier: (multiply-adds in millions, parameters in millions, top-1 accuracy %).
    **{
        f"width {width} {what}": claim
        for width, adds, params in ((1.0, 569, 4.2), (0.75, 325, 2.6), (0.5, 149, 1.3), (0.25, 41, 0.5))
        for what, claim in (
            ("multiply-adds", rounded(f"{adds}M", adds * 1e6, 1e6, _MOBILENET + ", Table 6")),
            ("parameters", rounded(f"{params}M", params * 1e6, 0.1e6, _MOBILENET + ", Table 6")),
        )
    },
}
MOBILENET_TABLE_6_ACCURACY = {1.0: 70.6, 0.75: 68.4, 0.5: 63.7, 0.25: 50.6}  # ImageNet top-1 %, Table 6

_SENET = "Hu et al. 2017"
SENET = {
    "ResNet-50 parameters": rounded("25.6M", 25.6e6, 0.1e6, _SENET + ", Table 10 (original)"),
    "SE-ResNet-50 parameters": rounded("28.1M", 28.1e6, 0.1e6, _SENET + ", Table 10 (r = 16)"),
    "ResNet-50 multiply-adds": rounded("3.86 GFLOPs", 3.86e9, 0.01e9, _SENET + ", Table 2"),
    "SE-ResNet-50 multiply-adds": rounded("3.87 GFLOPs", 3.87e9, 0.01e9, _SENET + ", Table 2"),
    # Section "Model and Computational Complexity": SE-ResNet-50 "requires ~3.87 GFLOPs, corresponding to a 0.26%
    # relative increase over the original ResNet-50".
    "SE-ResNet-50 relative increase in operations (%)": rounded("0.26%", 0.26, 0.01, _SENET + ", model and computational complexity"),
    "ResNet-50 top-1 error (%)": rounded("24.80%", 24.80, 0.01, _SENET + ", Table 2 (their re-implementation)"),
    "SE-ResNet-50 top-1 error (%)": rounded("23.29%", 23.29, 0.01, _SENET + ", Table 2"),
    "ResNet-50 top-5 error (%)": rounded("7.48%", 7.48, 0.01, _SENET + ", Table 2 (their re-implementation)"),
    "SE-ResNet-50 top-5 error (%)": rounded("6.62%", 6.62, 0.01, _SENET + ", Table 2"),
}

_EFFICIENTNET = "Tan & Le 2019, Table 2"
# Table 2 (final arXiv version): name -> (parameters in millions, FLOPs in billions, top-1 accuracy %), as printed.
EFFICIENTNET_TABLE_2 = {
    "b0": ("5.3M", "0.39B", 77.1), "b1": ("7.8M", "0.70B", 79.1), "b2": ("9.2M", "1.0B", 80.1),
    "b3": ("12M", "1.8B", 81.6), "b4": ("19M", "4.2B", 82.9), "b5": ("30M", "9.9B", 83.6),
    "b6": ("43M", "19B", 84.0), "b7": ("66M", "37B", 84.3),
}


def _printed(text: str, unit: float, source: str) -> Claim:
    """A figure such as "5.3M" or "37B": its value, and a rounding step of one unit in its last digit."""
    digits = text.rstrip("MB")
    step = 10.0 ** -len(digits.partition(".")[2])
    return rounded(text, float(digits) * unit, step * unit, source)


EFFICIENTNET = {
    **{f"{name.upper()} parameters": _printed(p, 1e6, _EFFICIENTNET) for name, (p, _, _) in EFFICIENTNET_TABLE_2.items()},
    **{f"{name.upper()} multiply-adds": _printed(f, 1e9, _EFFICIENTNET) for name, (_, f, _) in EFFICIENTNET_TABLE_2.items()},
    **{
        f"{name.upper()} top-1 accuracy (%)": rounded(f"{acc}%", acc, 0.1, _EFFICIENTNET)
        for name, (_, _, acc) in EFFICIENTNET_TABLE_2.items()
    },
    "alpha (depth)": exact(1.2, "Tan & Le 2019, section 4"),
    "beta (width)": exact(1.1, "Tan & Le 2019, section 4"),
    "gamma (resolution)": exact(1.15, "Tan & Le 2019, section 4"),
}

INCEPTION_RESNET_SOURCE = "Szegedy et al. 2016, Table 2 (single crop, single model, ILSVRC-2012 validation)"
INCEPTION_RESNET_ERRORS = {  # network -> (top-1 error %, top-5 error %)
    "Inception-v3": (21.2, 5.6),
    "Inception-ResNet-v1": (21.3, 5.5),
    "Inception-v4": (20.0, 5.0),
    "Inception-ResNet-v2": (19.9, 4.9),
}
INCEPTION_RESNET = {
    "smallest residual scale": exact(0.1, "Szegedy et al. 2016, section 3.3"),
    "largest residual scale": exact(0.3, "Szegedy et al. 2016, section 3.3"),
    "ensemble top-5 error, test (%)": rounded("3.08%", 3.08, 0.01, "Szegedy et al. 2016, abstract"),
}

HIGHWAY_SOURCE = "Srivastava, Greff, Schmidhuber 2015, Training Very Deep Networks, CIFAR-10 results table"
HIGHWAY_CIFAR10 = {  # layers -> (parameters as printed, test accuracy %)
    19: ("~2.3M", 92.46),
    32: ("~1.25M", 91.20),
}

# ---- XCEPTION (notebooks/06_xception.ipynb) ----
_XCEPTION = "Chollet 2016, Xception"
XCEPTION = {
    "Xception parameters": exact(22_855_952, _XCEPTION + ", Table 3"),
    "Inception V3 parameters": exact(23_626_728, _XCEPTION + ", Table 3"),
    "convolutional layers": exact(36, _XCEPTION + ", section 3"),
    "middle-flow repeats": exact(8, _XCEPTION + ", Figure 5"),
    # Figure 5 labels what flows between the flows: "19x19x728 feature maps", then "2048-dimensional vectors".
    "entry flow output side": exact(19, _XCEPTION + ", Figure 5 (19x19x728)"),
    "entry flow output channels": exact(728, _XCEPTION + ", Figure 5 (19x19x728)"),
    "middle flow output side": exact(19, _XCEPTION + ", Figure 5 (19x19x728)"),
    "middle flow output channels": exact(728, _XCEPTION + ", Figure 5 (19x19x728)"),
    "exit flow output (vector length)": exact(2048, _XCEPTION + ", Figure 5 (2048-dimensional vectors)"),
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


# --- notebooks/04_googlenet.ipynb: GoogLeNet (Szegedy et al. 2014) -------------------------------------------------
_GOOGLENET = "Szegedy et al. 2014"
GOOGLENET_TABLE_1_SOURCE = _GOOGLENET + ", Table 1"
# Table 1, one row per layer: (type, output size, depth, params, ops) as printed; "" where the paper prints nothing.
# Params are printed in K, ops (multiply-adds) in M; the notebook works out which K (1,000 or 1,024) fits.
GOOGLENET_TABLE_1 = {
    "convolution (conv1)": ("7x7/2", "112x112x64", 1, "2.7K", "34M"),
    "max pool 1": ("3x3/2", "56x56x64", 0, "", ""),
    "convolution (conv2, conv3)": ("3x3/1", "56x56x192", 2, "112K", "360M"),
    "max pool 2": ("3x3/2", "28x28x192", 0, "", ""),
    "inception (3a)": ("", "28x28x256", 2, "159K", "128M"),
    "inception (3b)": ("", "28x28x480", 2, "380K", "304M"),
    "max pool 3": ("3x3/2", "14x14x480", 0, "", ""),
    "inception (4a)": ("", "14x14x512", 2, "364K", "73M"),
    "inception (4b)": ("", "14x14x512", 2, "437K", "88M"),
    "inception (4c)": ("", "14x14x512", 2, "463K", "100M"),
    "inception (4d)": ("", "14x14x528", 2, "580K", "119M"),
    "inception (4e)": ("", "14x14x832", 2, "840K", "170M"),
    "max pool 4": ("3x3/2", "7x7x832", 0, "", ""),
    "inception (5a)": ("", "7x7x832", 2, "1072K", "54M"),
    "inception (5b)": ("", "7x7x1024", 2, "1388K", "71M"),
    "avg pool": ("7x7/1", "1x1x1024", 0, "", ""),
    "dropout (40%)": ("", "1x1x1024", 0, "", ""),
    "linear": ("", "1x1x1000", 1, "1000K", "1M"),
}
GOOGLENET = {
    "layers with parameters (depth)": exact(22, _GOOGLENET + ", section 5"),
    "layers, pooling included": exact(27, _GOOGLENET + ", section 5"),
    "multiply-adds at inference": rounded("1.5 billion", 1.5e9, 0.1e9, _GOOGLENET + ", section 1 (the budget)"),
    "AlexNet parameters / GoogLeNet parameters": rounded("12x", 12, 1, _GOOGLENET + ", section 1 (12x fewer)"),
    "auxiliary loss weight": rounded("0.3", 0.3, 0, _GOOGLENET + ", section 5"),
    "top-5 error, ILSVRC 2014 test (%)": rounded("6.67%", 6.67, 0.01, _GOOGLENET + ", Table 2"),
    "torchvision googlenet parameters": exact(6_624_904, _TORCHVISION + " (GoogLeNet_Weights, no auxiliary heads)"),
}
# The authors' follow-up, Szegedy et al. 2015, "Rethinking the Inception Architecture for Computer Vision"
# (Inception-v3, arXiv:1512.00567). Section 1 restates the 12x: "GoogleNet employed only 5 million parameters,
# which represented a 12x reduction with respect to its predecessor AlexNet, which used 60 million parameters."
# Section 4 finds that the auxiliary classifiers do not speed up early training and "act as regularizer"; Table 3
# (single crop, ILSVRC-2012 validation) shows batch-normalising the auxiliary head's FC layer ("BN-auxiliary").
_INCEPTION_V3 = "Szegedy et al. 2015 (Inception-v3)"
GOOGLENET_IN_INCEPTION_V3 = {
    "GoogLeNet parameters": rounded("5 million", 5e6, 1e6, _INCEPTION_V3 + ", section 1"),
    "AlexNet parameters": rounded("60 million", 60e6, 10e6, _INCEPTION_V3 + ", section 1"),
    "AlexNet parameters / GoogLeNet parameters": rounded("12x", 12, 1, _INCEPTION_V3 + ", section 1 (a 12x reduction)"),
    "top-1 error, auxiliary head without batch norm (%)": rounded("21.6%", 21.6, 0.1,
                                                                  _INCEPTION_V3 + ", Table 3 (Factorized 7x7 row)"),
    "top-1 error, auxiliary head batch-normalised (%)": rounded("21.2%", 21.2, 0.1,
                                                                _INCEPTION_V3 + ", Table 3 (BN-auxiliary row)"),
}


# --- notebooks/05_resnet.ipynb: ResNet (He, Zhang, Ren, Sun 2015) --------------------------------------------------
_RESNET = "He et al. 2015"
# Table 1, "FLOPs" row (multiply-adds, section 3.3): depth -> billions as printed.
RESNET_TABLE_1_FLOPS = {18: "1.8", 34: "3.6", 50: "3.8", 101: "7.6", 152: "11.3"}
# Table 1, "output size" column: stage -> side of the square output for a 224x224 input.
RESNET_TABLE_1_OUTPUT = {"conv1": 112, "conv2_x": 56, "conv3_x": 28, "conv4_x": 14, "conv5_x": 7}
# Table 6, CIFAR-10: depth -> (parameters as printed, test error %); 110 layers: best of 5 runs (mean 6.61 ± 0.16).
RESNET_TABLE_6 = {20: ("0.27M", 8.75), 32: ("0.46M", 7.51), 44: ("0.66M", 7.17), 56: ("0.85M", 6.97),
                  110: ("1.7M", 6.43), 1202: ("19.4M", 7.93)}
# Table 2, ImageNet validation, top-1 error (%, 10-crop testing); the residual nets use option A shortcuts, so they
# have exactly their plain counterparts' parameters.
RESNET_TABLE_2 = {"plain-18": 27.94, "plain-34": 28.54, "ResNet-18": 27.88, "ResNet-34": 25.03}
# Table 3, "Error rates (%, 10-crop testing) on ImageNet validation": network -> top-1 error %.
RESNET_TABLE_3_TOP1 = {"ResNet-50": 22.85, "ResNet-152": 21.43}
RESNET = {
    **{f"{net} top-1 error (%)": rounded(f"{error}%", error, 0.01, _RESNET + ", Table 2 (ImageNet validation, 10-crop)")
       for net, error in RESNET_TABLE_2.items()},
    **{f"{net} top-1 error (%)": rounded(f"{error}%", error, 0.01, _RESNET + ", Table 3 (ImageNet validation, 10-crop)")
       for net, error in RESNET_TABLE_3_TOP1.items()},
    **{f"ResNet-{depth} multiply-adds": _printed(f"{flops}B", 1e9, _RESNET + ", Table 1 (FLOPs = multiply-adds)")
       for depth, flops in RESNET_TABLE_1_FLOPS.items()},
    **{f"{stage} output side": exact(side, _RESNET + ", Table 1 (output size)")
       for stage, side in RESNET_TABLE_1_OUTPUT.items()},
    **{f"CIFAR ResNet-{depth} parameters": _printed(params, 1e6, _RESNET + ", Table 6")
       for depth, (params, _) in RESNET_TABLE_6.items()},
    **{f"CIFAR ResNet-{depth} test error (%)": rounded(f"{error}%", error, 0.01, _RESNET + ", Table 6")
       for depth, (_, error) in RESNET_TABLE_6.items()},
    "plain 34-layer baseline multiply-adds": rounded("3.6 billion", 3.6e9, 0.1e9, _RESNET + ", section 3.3"),
    "VGG-19 multiply-adds": rounded("19.6 billion", 19.6e9, 0.1e9, _RESNET + ", section 3.3"),
    "ResNet-152 top-5 error, single model, validation (%)": rounded("4.49%", 4.49, 0.01, _RESNET + ", Table 4"),
    # Section 3.4: "We initialize the weights as in [13] and train all plain/residual nets from scratch", SGD with
    # "a weight decay of 0.0001 and a momentum of 0.9"; no staged initialisation as VGG's.
    "momentum": rounded("0.9", 0.9, 0, _RESNET + ", section 3.4"),
    "top-5 error, ensemble, ILSVRC 2015 test (%)": rounded("3.57%", 3.57, 0.01, _RESNET + ", Table 5 and abstract"),
    "torchvision resnet18 parameters": exact(11_689_512, _TORCHVISION + " (ResNet18_Weights)"),
    "torchvision resnet34 parameters": exact(21_797_672, _TORCHVISION + " (ResNet34_Weights)"),
    "torchvision resnet50 parameters": exact(25_557_032, _TORCHVISION + " (ResNet50_Weights)"),
    "torchvision resnet101 parameters": exact(44_549_160, _TORCHVISION + " (ResNet101_Weights)"),
    "torchvision resnet152 parameters": exact(60_192_808, _TORCHVISION + " (ResNet152_Weights)"),
}

# The challenge's data: ILSVRC-2010 as the AlexNet paper describes it (section 2), the only year whose test labels
# were released; ILSVRC-2012 (the year of AlexNet's win, and the set later papers report on) from the challenge's page,
# whose validation and test data are "150,000 photographs", "a random subset of 50,000" of them the validation set.
_ILSVRC_2012 = "ILSVRC 2012 challenge page, image-net.org/challenges/LSVRC/2012 (data)"
IMAGENET = {
    "classes": exact(1000, _ALEXNET + ", section 2"),
    "ILSVRC-2010 training images": rounded("roughly 1.2 million", 1.2e6, 0.1e6, _ALEXNET + ", section 2"),
    "ILSVRC-2010 validation images": exact(50_000, _ALEXNET + ", section 2"),
    "ILSVRC-2010 test images": exact(150_000, _ALEXNET + ", section 2"),
    "ILSVRC-2012 training images": rounded("1.2 million", 1.2e6, 0.1e6, _ILSVRC_2012),
    "ILSVRC-2012 validation images": exact(50_000, _ILSVRC_2012),
    "ILSVRC-2012 test images": exact(100_000, _ILSVRC_2012 + " (150,000 less the 50,000 validation)"),
}

# ILSVRC classification, top-5 test error (%) of the winning entry, the years the course's papers report.
# (The 2011 and 2013 winners, XRCE and Clarifai, published no paper the course uses: left out, not guessed.)
ILSVRC_WINNERS = {  # year -> (entry, top-5 error %, source)
    2010: ("sparse coding (NEC-UIUC)", 28.2, "Krizhevsky et al. 2012, Table 1 (best ILSVRC-2010 entry)"),
    2012: ("SuperVision (AlexNet, 7 CNNs)", 15.3, "Krizhevsky et al. 2012, Table 2"),
    2014: ("GoogLeNet (7 models)", 6.67, "Szegedy et al. 2014, Table 2"),
    2015: ("ResNet (ensemble)", 3.57, "He et al. 2015, Table 5"),
    2017: ("SENet (ensemble)", 2.251, "Hu et al. 2017, abstract"),
}
