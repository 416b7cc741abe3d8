"""Values a notebook records for tests and reports to read back.

``record(name, value)`` stores the value as an output of its own MIME type,
which JupyterLab and nbconvert do not display (bookkeeping, not lesson);
``collect(path)`` finds every recorded value in an executed notebook file;
``check_records(records, checks)`` applies a notebook's
``metadata.course.default_run_checks`` (rules ``equals``, ``at_least``,
``at_most``) to them, for nbval's run (the root conftest) and ``make run``.
A check may also name the parameters it depends on (``"parameters":
["WIDTH"]``): ``make run`` uses that to tell which checks still apply when a
parameters file overrides some (``utils.runner``); the rules ignore it.
"""
from pathlib import Path

import nbformat
from IPython.display import display

MIME = "application/vnd.cnn-course.record+json"


def record(name: str, value):
    """Store ``value`` under ``name`` in the notebook's outputs, silently (JSON-serialisable values)."""
    display({MIME: {"name": name, "value": value}}, raw=True)


def records_in(outputs) -> dict:
    """The recorded values among a list of cell outputs."""
    return {
        out["data"][MIME]["name"]: out["data"][MIME]["value"]
        for out in outputs
        if MIME in out.get("data", {})
    }


def collect(path: str | Path) -> dict:
    """Every value recorded in the executed notebook at ``path``, by name."""
    notebook = nbformat.read(path, as_version=4)
    found = {}
    for cell in notebook.cells:
        found.update(records_in(cell.get("outputs", [])))
    return found


RULES = {
    "equals": (lambda value, bound: value == bound, "expected"),
    "at_least": (lambda value, bound: value >= bound, "expected at least"),
    "at_most": (lambda value, bound: value <= bound, "expected at most"),
}


def check_records(records: dict, checks: dict) -> list[str]:
    """The failed checks, as sentences (an empty list when all pass); an unknown rule is an error."""
    failures = []
    for name, check in checks.items():
        rule = {kind: bound for kind, bound in check.items() if kind != "parameters"}
        unknown = set(rule) - set(RULES)
        if unknown or not rule:
            raise ValueError(f"default_run_checks[{name!r}] has rule(s) {sorted(unknown)}; known rules: {sorted(RULES)}")
        if name not in records:
            failures.append(f"{name} was not recorded")
            continue
        for kind, bound in rule.items():
            holds, words = RULES[kind]
            if not holds(records[name], bound):
                failures.append(f"{name} is {records[name]!r}, {words} {bound!r}")
    return failures
