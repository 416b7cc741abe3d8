"""Validation of notebook parameters, with one-sentence errors."""
from collections.abc import Iterable


class ParameterError(ValueError):
    """A notebook parameter has a value the notebook cannot use."""

    def _render_traceback_(self):
        # IPython shows this instead of a traceback: the sentence is the message.
        return [f"ParameterError: {self}"]


def check_choice(name: str, value, allowed: Iterable):
    """Return ``value`` if it is one of ``allowed``."""
    allowed = list(allowed)
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise ParameterError(f"{name} is {value!r}, but it must be one of {options}.")
    return value


def check_int(name: str, value, minimum: int = 1, maximum: int | None = None):
    """Return ``value`` if it is an integer from ``minimum`` to ``maximum`` (no upper bound if None)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ParameterError(f"{name} is {value!r}, but it must be an integer of at least {minimum}.")
    if maximum is not None and value > maximum:
        raise ParameterError(f"{name} is {value!r}, but it must be an integer from {minimum} to {maximum}.")
    return value


def check_float(name: str, value, low: float, high: float):
    """Return ``value`` if it is a number with ``low < value <= high``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low < value <= high:
        raise ParameterError(f"{name} is {value!r}, but it must be a number above {low} and at most {high}.")
    return float(value)
