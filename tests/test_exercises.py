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
