"""Validation of notebook parameters: one vocabulary, one-sentence errors.

Every notebook checks its ``parameters`` cell with these functions right
after it, so a bad value stops the run with a ``ParameterError`` that names
the parameter, the value and what is allowed. Each check returns the value,
so it can be used inline: ``size = check_int("SIZE", SIZE, multiple_of=32)``.
"""
from collections.abc import Callable, Iterable

from utils.errors import ParameterError


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_choice(name: str, value, allowed: Iterable):
    """Return ``value`` if it is one of ``allowed``."""
    allowed = list(allowed)
    same_kind = [a for a in allowed if a == value and isinstance(a, bool) == isinstance(value, bool)]  # True is not 1
    if not same_kind:
        options = ", ".join(repr(a) for a in allowed)
        raise ParameterError(f"{name} is {value!r}, but it must be one of {options}.")
    return value


def check_int(name: str, value, minimum: int = 1, maximum: int | None = None, multiple_of: int | None = None):
    """Return ``value`` if it is an integer from ``minimum`` to ``maximum`` (no upper bound if None),
    and a multiple of ``multiple_of`` when given."""
    wanted = f"an integer of at least {minimum}" if maximum is None else f"an integer from {minimum} to {maximum}"
    if multiple_of is not None:
        wanted += f" and a multiple of {multiple_of}"
    if (
        not _is_int(value)
        or value < minimum
        or (maximum is not None and value > maximum)
        or (multiple_of is not None and value % multiple_of)
    ):
        raise ParameterError(f"{name} is {value!r}, but it must be {wanted}.")
    return value


def check_float(name: str, value, low: float, high: float, *, include_low: bool = False, include_high: bool = True):
    """Return ``value`` as a float if it lies between ``low`` and ``high``; by default
    ``low < value <= high`` (``include_low`` and ``include_high`` close or open each end)."""
    above = f"at least {low}" if include_low else f"above {low}"
    below = f"at most {high}" if include_high else f"below {high}"
    inside = (low <= value if include_low else low < value) and (value <= high if include_high else value < high) \
        if _is_number(value) else False
    if not inside:
        raise ParameterError(f"{name} is {value!r}, but it must be a number {above} and {below}.")
    return float(value)


def check_at_most(name: str, value, limit, limit_name: str):
    """Return ``value`` if it is at most another parameter's value ``limit`` (named ``limit_name``)."""
    if value > limit:
        raise ParameterError(f"{name} is {value!r}, but it must be at most {limit_name} ({limit!r}).")
    return value


def check_list(name: str, value, item: Callable[[str, object], object], *, describe: str):
    """Return ``value`` as a list if it is a non-empty list or tuple whose every element passes
    ``item(name, element)``; ``describe`` says what the elements must be, for the error."""
    if not isinstance(value, (list, tuple)) or not value:
        raise ParameterError(f"{name} is {value!r}, but it must be a non-empty list of {describe}.")
    for element in value:
        try:
            item(name, element)
        except ParameterError:
            raise ParameterError(f"{name} is {value!r}, but it must be a non-empty list of {describe}.") from None
    return list(value)
