"""utils.exercises: one sentence per check, right, wrong with a hint, or not done yet, and recorded."""
import pytest

from utils import exercises
from utils.results import MIME


def run(capsys, passed):
    recorded = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("utils.exercises.record", lambda name, value: recorded.append(value))
        assert exercises.check("1", passed, right="well done.", hint="look again.") is None  # shows no bare value
    return recorded[0], capsys.readouterr().out


def test_right_wrong_and_not_done(capsys):
    assert run(capsys, lambda: 2 + 2 == 4) == (True, "Exercise 1: Right: well done.\n")
    assert run(capsys, lambda: 2 + 2 == 5) == (False, "Exercise 1: Not yet: look again.\n")

    def stub():
        exercises.not_done("count_1x1")

    outcome, printed = run(capsys, stub)
    assert outcome is False
    assert printed.startswith("Exercise 1: Not done yet: count_1x1 is not written yet")


def test_an_answer_that_raises_is_wrong_with_the_error_named(capsys):
    outcome, printed = run(capsys, lambda: [].startswith("conv1-"))
    assert outcome is False
    assert printed == ("Exercise 1: Not yet: your answer raised AttributeError: 'list' object has no attribute "
                       "'startswith'; look again.\n")


def test_outcome_is_recorded(monkeypatch):
    shown = []
    monkeypatch.setattr("utils.results.display", lambda data, raw: shown.append(data))
    exercises.check("2", lambda: True, right="yes.", hint="no.")
    assert shown[0][MIME] == {"name": "exercise 2", "value": True}


def test_a_formula_exercise_refuses_the_counters_and_restores_them(capsys):
    from torch import nn

    from utils import counting

    expected = counting.count_parameters(nn.Linear(3, 4))
    recorded = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("utils.exercises.record", lambda name, value: recorded.append(value))
        exercises.check("1", lambda: counting.count_parameters(nn.Linear(3, 4)) == expected, right="r.", hint="h.",
                        formula=True)
        exercises.check("2", lambda: 3 * 4 + 4 == expected, right="r.", hint="h.", formula=True)
    printed = capsys.readouterr().out
    assert recorded == [False, True]
    assert printed.splitlines()[0] == ("Exercise 1: Not yet: this exercise asks for a formula, and "
                                       "counting.count_parameters is not one; h.")
    assert counting.count_parameters(nn.Linear(3, 4)) == 16  # restored after the check


def test_a_recognised_mistake_gets_its_own_hint(capsys):
    mistakes = {"no biases.": lambda: answer() == 12, "off by one.": lambda: abs(answer() - 16) == 1}
    for value, expected in ((12, "no biases."), (17, "off by one."), (3, "general."), (16, None)):
        answer = lambda: value  # noqa: E731
        printed = printed_by(capsys, lambda: answer() == 16, mistakes)
        assert printed == (f"Exercise 1: Not yet: {expected}\n" if expected else "Exercise 1: Right: well done.\n")


def printed_by(capsys, passed, mistakes):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("utils.exercises.record", lambda name, value: None)
        exercises.check("1", passed, right="well done.", hint="general.", mistakes=mistakes)
    return capsys.readouterr().out
