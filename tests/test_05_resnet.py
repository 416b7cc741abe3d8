"""notebooks/05_resnet.ipynb: a quick run, counts checked independently, the degradation ordering on two seeds,
and its one-sentence parameter errors."""
import os
from pathlib import Path

import nbformat
import pytest
import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from torch.utils.data import TensorDataset

from tests.notebook_runs import ROOT, assert_one_sentence, parameter_error, run_notebook
from utils import counting, training
from utils import data as datasets
from utils.nets import resnet as zoo

QUICK = {
    "TRAIN_SIZE": 300,
    "IMAGE_SIZE": 8,
    "WIDTH": 2,
    "EPOCHS": 1,
    "DECAY_EPOCHS": 0,
    "COMPARE_SIZE": 32,
    "TIMED_BATCH": 1,
}
QUICK_RUN_SECONDS = 120  # on 2 CPU cores; counting ResNet-18..152 and two torchvision models take most of it


def conv_bn(c_in: int, c_out: int, k: int) -> int:
    """A bias-free k x k convolution and its batch norm (scale and shift per map)."""
    return k * k * c_in * c_out + 2 * c_out


def cifar_parameters(depth: int) -> int:
    """Section 4.2's 6n+2 network, 16/32/64 maps, option A shortcuts (no parameters), FC to 10 classes."""
    n = (depth - 2) // 6
    total, c_in = conv_bn(3, 16, 3), 16
    for c in (16, 32, 64):
        total += conv_bn(c_in, c, 3) + (2 * n - 1) * conv_bn(c, c, 3)
        c_in = c
    return total + 64 * 10 + 10


def default_parameters() -> dict:
    """The notebook's own parameters cell, executed."""
    notebook = nbformat.read(ROOT / "notebooks" / "05_resnet.ipynb", as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    namespace: dict = {}
    exec(cell.source, namespace)
    return namespace


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    # A randomly initialised ResNet-18 file stands in for torchvision's cached ImageNet weights, so the quick run
    # goes through the "weights cached" branch (the default run, offline, goes through the other).
    home = tmp_path_factory.mktemp("torch_home")
    checkpoints = home / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    url = torchvision.models.ResNet18_Weights.IMAGENET1K_V1.url
    torch.save(torchvision.models.resnet18().state_dict(), checkpoints / Path(url).name)
    saved = os.environ.get("TORCH_HOME")
    os.environ["TORCH_HOME"] = str(home)
    try:
        return run_notebook("05_resnet", tmp_path_factory.mktemp("resnet"), **QUICK)
    finally:
        if saved is None:
            del os.environ["TORCH_HOME"]
        else:
            os.environ["TORCH_HOME"] = saved


def test_imagenet_parameters_equal_torchvision(quick_run):
    records, _ = quick_run
    for depth in (18, 34, 50, 101, 152):
        theirs = counting.on_meta(getattr(torchvision.models, f"resnet{depth}"))
        assert records[f"params_resnet{depth}"] == counting.count_parameters(theirs), depth
    assert [records[f"params_resnet{d}"] for d in (18, 34, 50, 101, 152)] == [
        11_689_512, 21_797_672, 25_557_032, 44_549_160, 60_192_808
    ]


def test_resnet50_multiply_adds_v1_and_v15(quick_run):
    records, _ = quick_run
    torchvision_50 = counting.count_macs(counting.on_meta(torchvision.models.resnet50), (1, 3, 224, 224))
    assert records["mult_adds_resnet50_torchvision"] == torchvision_50
    assert abs(torchvision_50 - torchvision.models.ResNet50_Weights.IMAGENET1K_V1.meta["_ops"] * 1e9) < 1e6
    # v1 runs the first 1x1 of conv3_1, conv4_1, conv5_1 on a quarter of the pixels: c_in x c_out per pixel saved.
    saved = sum(c_in * c_out * (s * s - (s // 2) ** 2) for c_in, c_out, s in ((256, 128, 56), (512, 256, 28), (1024, 512, 14)))
    assert records["mult_adds_resnet50_v1"] == torchvision_50 - saved


def test_cifar_parameters_by_formula(quick_run):
    records, _ = quick_run
    for depth in (20, 32, 44, 56, 110, 1202):
        assert records[f"params_cifar_resnet{depth}"] == cifar_parameters(depth), depth


def test_cached_weights_branch(quick_run):
    # That the zoo's networks load torchvision's state dicts with identical outputs is tested directly in
    # tests/test_nets_resnet.py, not read back from a value the notebook records after asserting it.
    records, _ = quick_run
    assert records["imagenet_weights"] is True  # the stand-in cached file was found and loaded


def test_quick_run_trains_and_checks_exercises(quick_run):
    records, seconds = quick_run
    for name in ("plain20", "plain56", "resnet20", "resnet56"):
        assert 0.0 <= records[f"train_error_{name}"] <= 1.0
    assert isinstance(records["degradation_reproduced"], bool)
    exercises = {name: value for name, value in records.items() if name.startswith("exercise ")}
    assert len(exercises) == 4 and all(exercises.values()), exercises
    assert seconds < QUICK_RUN_SECONDS, f"the quick run took {seconds:.0f} s"


def final_training_errors(p: dict, seed: int) -> dict[str, float]:
    """Section 1's four runs with the notebook's default parameters and `seed`, using the zoo's networks."""
    split = datasets.load(p["DATASET"])
    images, labels = datasets.take(split.train, p["TRAIN_SIZE"]).tensors
    size = (p["IMAGE_SIZE"], p["IMAGE_SIZE"])
    train = TensorDataset(F.interpolate(images, size=size, mode="bilinear", antialias=True), labels)
    few_test = TensorDataset(train.tensors[0][:10], train.tensors[1][:10])  # evaluation does not change training
    errors = {}
    for name, builder, depth in (("plain20", zoo.cifar_plain, 20), ("plain56", zoo.cifar_plain, 56),
                                 ("resnet20", zoo.cifar_resnet, 20), ("resnet56", zoo.cifar_resnet, 56)):
        training.seed_everything(seed)
        model = builder(depth, num_classes=10, in_channels=1, width=p["WIDTH"])
        optimizer = torch.optim.SGD(model.parameters(), lr=p["LR"], momentum=0.9, weight_decay=1e-4)
        schedule = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[p["EPOCHS"] - p["DECAY_EPOCHS"]], gamma=0.1)
        history = training.fit(model, train, few_test, epochs=p["EPOCHS"], device=torch.device("cpu"),
                               optimizer=optimizer, scheduler=schedule, batch_size=p["BATCH_SIZE"], seed=seed)
        errors[name] = float(1 - history["train accuracy"].iloc[-1])
    return errors


@pytest.fixture
def one_thread():
    """One CPU thread: a seeded run then repeats bit for bit. With two threads the reductions add up in another
    order; measured on 2 cores, seed 1 then ends with residual-56 at 0.056 against residual-20's 0.050, while
    seeds 0 and 2 keep the ordering, and the plain pair keeps it on every seed."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("seed", [0, 1])
def test_degradation_ordering_holds_on_two_seeds(seed, one_thread):
    errors = final_training_errors(default_parameters(), seed)
    assert errors["plain56"] > errors["plain20"], errors
    assert errors["resnet56"] <= errors["resnet20"], errors


@pytest.mark.parametrize(
    "bad, words",
    [
        ({"DEVICE": "tpu"}, ["DEVICE", "'tpu'", "'cpu'"]),
        ({"SEED": -1}, ["SEED", "-1", "at least 0"]),
        ({"DATASET": "cifar10"}, ["DATASET", "'cifar10'", "'mnist5k'"]),
        ({"TRAIN_SIZE": 10**6}, ["TRAIN_SIZE", "1000000", "only 4,000"]),
        ({"IMAGE_SIZE": 14}, ["IMAGE_SIZE", "14", "multiple of 4"]),
        ({"IMAGE_SIZE": 4}, ["IMAGE_SIZE", "4", "from 8 to 64"]),
        ({"WIDTH": 0}, ["WIDTH", "0", "from 1 to 64"]),
        ({"EPOCHS": 1.5}, ["EPOCHS", "1.5", "integer"]),
        ({"LR": 0}, ["LR", "0", "above 0"]),
        ({"DECAY_EPOCHS": -1}, ["DECAY_EPOCHS", "-1", "at least 0"]),
        ({"DECAY_EPOCHS": 7}, ["DECAY_EPOCHS", "7", "at most EPOCHS (6)"]),
        ({"BATCH_SIZE": 0}, ["BATCH_SIZE", "0", "at least 1"]),
        ({"COMPARE_SIZE": 16}, ["COMPARE_SIZE", "16", "from 32 to 224"]),
        ({"TIMED_BATCH": 100}, ["TIMED_BATCH", "100", "from 1 to 64"]),
    ],
    ids=lambda value: "-".join(f"{k}={v}" for k, v in value.items()) if isinstance(value, dict) else None,
)
def test_bad_parameter_gives_one_sentence(bad, words):
    assert_one_sentence("05_resnet", bad, words)


def test_independent_counts_are_sane():
    # Guard the test's own arithmetic against PyTorch's count of one layer and one stem.
    assert conv_bn(3, 16, 3) == counting.count_parameters(nn.Sequential(nn.Conv2d(3, 16, 3, bias=False), nn.BatchNorm2d(16)))
    assert cifar_parameters(8) == counting.count_parameters(zoo.cifar_resnet(8))


def test_bad_parameter_stops_the_notebook_with_one_sentence(tmp_path):
    sentence = parameter_error("05_resnet", tmp_path, WIDTH=0)
    assert sentence == "WIDTH is 0, but it must be an integer from 1 to 64."
