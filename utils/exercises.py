"""Exercises that check themselves.

A notebook's exercise is two cells: a **solution** cell (tagged ``solution``)
that defines the function(s) the exercise asks for, and a **check** cell that
calls ``check``. ``make student`` turns each solution cell into stubs with
the same names whose body raises ``NotDone``; the check cell is unchanged, so
it reports "not done yet" on the stub and "right" on a working answer.

    check("1. VGG-C's 1x1 layers", lambda: count_1x1("C") == 3,
          right="C closes blocks 3, 4 and 5 with a 1x1 convolution.",
          hint="count the entries of TABLE_1['C'] that start with 'conv1-'.")

Every check prints one sentence (right, or wrong with a hint) and records its
outcome as ``exercise <name>`` (``utils.results``), so tests can read it. An
answer that raises is a wrong answer like any other: the check names the
error and gives the hint, and the notebook runs on to the next exercise.
"""
from collections.abc import Callable

from utils.errors import CourseError, reason
from utils.results import record


class NotDone(CourseError):
    """The student has not written this exercise's answer yet."""


def not_done(name: str):
    """What a student stub raises: ``name`` has not been written yet."""
    raise NotDone(f"{name} is not written yet: write it in the cell above, then run this check again.")


def check(exercise: str, passed: Callable[[], bool], *, right: str, hint: str) -> None:
    """Run the student's answer through ``passed``; print right, or wrong with ``hint``; record the outcome.

    It returns nothing, so the check cell shows only its sentence."""
    try:
        outcome = bool(passed())
        sentence = f"Right: {right}" if outcome else f"Not yet: {hint}"
    except NotDone as error:
        outcome, sentence = False, f"Not done yet: {error}"
    except Exception as error:  # a student's bug is a wrong answer, not a traceback that stops Run All
        outcome, sentence = False, f"Not yet: your answer raised {reason(error)}; {hint}"
    print(f"Exercise {exercise}: {sentence}")
    record(f"exercise {exercise}", outcome)
