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

Two options sharpen a check. ``formula=True``: the exercise asks for a
formula, so while the answer runs, ``utils.counting``'s counters refuse to
count (compute the expected values before the check). ``mistakes``: a
mapping from a hint to a test that recognises a common wrong answer (no
biases, a missing layer); a wrong answer gets the hint of the first mistake
it matches, else the general hint.
"""
from collections.abc import Callable
from contextlib import contextmanager, nullcontext

from utils import counting
from utils.errors import CourseError, reason
from utils.results import record

COUNTERS = ("count_parameters", "count_macs", "on_meta")


class NotDone(CourseError):
    """The student has not written this exercise's answer yet."""


def not_done(name: str):
    """What a student stub raises: ``name`` has not been written yet."""
    raise NotDone(f"{name} is not written yet: write it in the cell above, then run this check again.")


class NotAFormula(CourseError):
    """A formula exercise's answer called one of the course's counters."""


@contextmanager
def counters_refused():
    """While the block runs, ``counting.count_parameters``, ``count_macs`` and ``on_meta`` raise NotAFormula."""
    saved = {name: getattr(counting, name) for name in COUNTERS}

    def refuse(name):
        def refused(*args, **kwargs):
            raise NotAFormula(f"this exercise asks for a formula, and counting.{name} is not one")
        return refused

    try:
        for name in COUNTERS:
            setattr(counting, name, refuse(name))
        yield
    finally:
        for name, function in saved.items():
            setattr(counting, name, function)


def _recognised(mistakes: dict[str, Callable[[], bool]], hint: str) -> str:
    """The hint of the first mistake whose test holds (a test that raises does not hold), else ``hint``."""
    for mistake_hint, matches in mistakes.items():
        try:
            if matches():
                return mistake_hint
        except Exception:  # the answer raised on this test: not this mistake
            continue
    return hint


def check(exercise: str, passed: Callable[[], bool], *, right: str, hint: str, formula: bool = False,
          mistakes: dict[str, Callable[[], bool]] | None = None) -> None:
    """Run the student's answer through ``passed``; print right, or wrong with a hint; record the outcome.

    It returns nothing, so the check cell shows only its sentence."""
    try:
        with counters_refused() if formula else nullcontext():
            outcome = bool(passed())
        sentence = f"Right: {right}" if outcome else f"Not yet: {_recognised(mistakes or {}, hint)}"
    except NotDone as error:
        outcome, sentence = False, f"Not done yet: {error}"
    except NotAFormula as error:
        outcome, sentence = False, f"Not yet: {error}; {hint}"
    except Exception as error:  # a student's bug is a wrong answer, not a traceback that stops Run All
        outcome, sentence = False, f"Not yet: your answer raised {reason(error)}; {hint}"
    print(f"Exercise {exercise}: {sentence}")
    record(f"exercise {exercise}", outcome)
