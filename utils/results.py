"""Values a notebook records for tests and reports to read back.

``record(name, value)`` shows the value as an output with its own MIME type;
``collect(path)`` finds every recorded value in an executed notebook file.
"""
from pathlib import Path

import nbformat
from IPython.display import display

MIME = "application/vnd.cnn-course.record+json"


def record(name: str, value):
    """Show ``name = value`` and store it in the notebook's outputs (JSON-serialisable values)."""
    display({MIME: {"name": name, "value": value}, "text/plain": f"{name} = {value!r}"}, raw=True)


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
