"""parameters and device choice: each bad value gives one sentence naming it."""
import pytest
import torch

from utils import data, training
from utils.errors import ParameterError
from utils.parameters import check_at_most, check_choice, check_float, check_int, check_list


def test_unknown_choice_names_parameter_value_and_options():
    with pytest.raises(ParameterError, match=r"^DATASET is 'cifar', but it must be one of 'a', 'b'\.$"):
        check_choice("DATASET", "cifar", ["a", "b"])


@pytest.mark.parametrize("bad", [0, -3, 2.5, "3", True])
def test_epochs_must_be_a_positive_integer(bad):
    with pytest.raises(ParameterError, match=r"^EPOCHS is .*, but it must be an integer of at least 1\.$"):
        check_int("EPOCHS", bad)


def test_good_values_pass_through():
    assert check_int("EPOCHS", 3) == 3
    assert check_choice("DEVICE", "cpu", training.DEVICES) == "cpu"
    assert check_float("LR", 0.1, 0, 1) == 0.1


def test_float_range():
    with pytest.raises(ParameterError, match="LR is 0, but it must be a number above 0 and at most 1"):
        check_float("LR", 0, 0, 1)


def test_error_renders_as_one_line_in_ipython():
    error = ParameterError("EPOCHS is 0, but it must be an integer of at least 1.")
    assert error._render_traceback_() == ["ParameterError: EPOCHS is 0, but it must be an integer of at least 1."]


def test_unknown_device():
    with pytest.raises(ParameterError, match="DEVICE is 'gpu', but it must be one of 'auto', 'cpu', 'cuda', 'mps'"):
        training.pick_device("gpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a CUDA device")
def test_cuda_asked_for_where_there_is_none():
    with pytest.raises(ParameterError, match="DEVICE is 'cuda', but this machine has no cuda device; use 'auto' or 'cpu'"):
        training.pick_device("cuda")


def test_auto_picks_an_available_device():
    expected = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    assert training.pick_device("auto").type == expected


def test_unknown_dataset():
    with pytest.raises(ParameterError, match="DATASET is 'imagenet', but it must be one of 'mnist5k', 'digits', 'mnist'"):
        data.load("imagenet")


def test_int_with_an_upper_bound():
    assert check_int("SHIFT", 8, minimum=0, maximum=8) == 8
    with pytest.raises(ParameterError, match=r"^SHIFT is 9, but it must be an integer from 0 to 8\.$"):
        check_int("SHIFT", 9, minimum=0, maximum=8)


def test_multiple_of():
    assert check_int("SIZE", 64, minimum=32, multiple_of=32) == 64
    with pytest.raises(ParameterError, match=r"^SIZE is 100, but it must be an integer of at least 32 and a multiple of 32\.$"):
        check_int("SIZE", 100, minimum=32, multiple_of=32)


def test_float_ends_open_and_closed():
    assert check_float("MOMENTUM", 0, 0, 1, include_low=True, include_high=False) == 0.0
    with pytest.raises(ParameterError, match=r"^MOMENTUM is 1, but it must be a number at least 0 and below 1\.$"):
        check_float("MOMENTUM", 1, 0, 1, include_low=True, include_high=False)
    with pytest.raises(ParameterError, match="a number above 0 and at most 1"):
        check_float("LR", "0.1", 0, 1)


def test_choice_does_not_take_true_for_one():
    assert check_choice("WEIGHTS", True, (True, False)) is True
    with pytest.raises(ParameterError, match="WIDTH is True"):
        check_choice("WIDTH", True, (1, 2))


def test_at_most_names_the_other_parameter():
    assert check_at_most("LABELLED", 5, 10, "POOL") == 5
    with pytest.raises(ParameterError, match=r"^LABELLED is 11, but it must be at most POOL \(10\)\.$"):
        check_at_most("LABELLED", 11, 10, "POOL")


def test_list_of_checked_items():
    positive = lambda name, v: v == "all" or check_int(name, v)  # noqa: E731
    assert check_list("SWEEP", (1, "all"), positive, describe="positive integers or 'all'") == [1, "all"]
    for bad in ([], "all", [0], [1, 2.5]):
        with pytest.raises(ParameterError, match=r"but it must be a non-empty list of positive integers or 'all'\.$"):
            check_list("SWEEP", bad, positive, describe="positive integers or 'all'")
