"""Run a course notebook with papermill into a temporary folder, never over the committed file.

``parameter_error`` runs the whole notebook in a kernel and returns the
sentence it stopped with (end to end, a few seconds each).
``validation_error`` runs only the notebook's own parameters cell and the
validation cell after it, in this process: the same code, in milliseconds,
for checking every bad value. ``find_chromium`` finds the browser the
browser test drives, as ``.ci/run`` looks for it.
"""
import ast
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import papermill
import pytest

from utils.course import ROOT
from utils.errors import CourseError
from utils.results import collect



def run_notebook(name: str, out_dir: Path, **parameters) -> tuple[dict, float]:
    """Execute notebooks/<name>.ipynb with ``parameters``; return its records and wall seconds."""
    output = out_dir / f"{name}.ipynb"
    start = time.perf_counter()
    papermill.execute_notebook(
        ROOT / "notebooks" / f"{name}.ipynb",
        output,
        parameters=parameters,
        kernel_name="python3",
        cwd=ROOT / "notebooks",
        progress_bar=False,
        execution_timeout=900,  # a cell that hangs fails the test instead of stalling the suite
    )
    return collect(output), time.perf_counter() - start


def parameter_error(name: str, out_dir: Path, **parameters) -> str:
    """Run with bad ``parameters`` and return the one-sentence error the notebook stopped with."""
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        run_notebook(name, out_dir, **parameters)
    assert failure.value.ename in [error.__name__ for error in CourseError.__subclasses__()], failure.value.ename
    return failure.value.evalue


def validation_error(name: str, **parameters) -> str:
    """Run the parameters cell, override ``parameters``, run the validation cell; return its error."""
    notebook = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    code = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    first = next(i for i, cell in enumerate(notebook.cells) if "parameters" in cell.metadata.get("tags", []))
    index = code.index(notebook.cells[first].source)
    namespace: dict = {}
    exec(code[index], namespace)
    namespace.update(parameters)
    with pytest.raises(CourseError) as failure:
        exec(code[index + 1], namespace)
    return str(failure.value)


def assert_one_sentence(name: str, bad: dict, words: list[str]) -> None:
    """The notebook's validation cell stops ``bad`` with one sentence that contains each of ``words``."""
    sentence = validation_error(name, **bad)
    missing = [word for word in words if word not in sentence]
    assert not missing, (missing, sentence)
    assert "\n" not in sentence and not re.search(r"\.\s+[A-Z]", sentence), f"not one sentence: {sentence}"


def _wrong_answers(solved: dict) -> list[dict]:
    """The wrong answers every check must refuse: zero, the student stub, one that raises, one off by one."""
    from utils import exercises

    def raising(*args, **kwargs):
        return [][0]  # a student's bug: IndexError

    def off_by_one(f):
        return lambda *args, **kwargs: f(*args, **kwargs) + 1

    return [{n: (lambda *args, **kwargs: 0) for n in solved},
            {n: (lambda *args, **kwargs: exercises.not_done(n)) for n in solved},
            {n: raising for n in solved},
            {n: off_by_one(f) for n, f in solved.items()}]


def exercise_outcomes(name: str, namespace: dict, setup=(), shortcuts: dict | None = None) -> list[list[bool]]:
    """Run each exercise's check on its solution, then on the wrong answers (zero, the stub, an answer that
    raises, one off by one) and on the ``shortcuts`` named for its functions; return each exercise's outcomes
    in that order. A check that raised instead of answering would stop the student's Run All: it fails here.

    ``namespace``: what the checks need from the notebook's imports; ``setup``: snippets identifying notebook
    cells the checks rely on, run first; ``shortcuts``: function name -> answers a student might take that do
    not do what the exercise asks (a constant, a library call)."""
    from utils import exercises

    found: list[list[bool]] = []
    cells = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells
    namespace = {"exercises": exercises, **namespace}
    for snippet in setup:
        exec(next(c.source for c in cells if c.cell_type == "code" and snippet in c.source), namespace)
    pairs = [(cell.source, cells[i + 1].source) for i, cell in enumerate(cells)
             if "solution" in cell.metadata.get("tags", [])]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("utils.exercises.record", lambda _, value: found[-1].append(value))
        for solution, check in pairs:
            found.append([])
            names = [node.name for node in ast.parse(solution).body if isinstance(node, ast.FunctionDef)]
            exec(solution, namespace)
            exec(check, namespace)
            solved = {n: namespace[n] for n in names}
            taken = [{n: f} for n in names for f in (shortcuts or {}).get(n, [])]
            for answer in [*_wrong_answers(solved), *taken]:
                namespace.update({**solved, **answer})
                exec(check, namespace)
            namespace.update(solved)
    return found


def assert_exercises(name: str, namespace: dict, count: int, setup=(), shortcuts: dict | None = None) -> None:
    """``count`` exercises; each check passes its solution and refuses every wrong answer and shortcut."""
    outcomes = exercise_outcomes(name, namespace, setup, shortcuts)
    assert len(outcomes) == count, outcomes
    assert all(o == [True] + [False] * (len(o) - 1) for o in outcomes), outcomes
    assert sum(len(o) for o in outcomes) == 5 * count + sum(len(v) for v in (shortcuts or {}).values()), outcomes


CHROMIUM_FALLBACK = Path("/usr/bin/chromium")  # Debian's package, where it is not on the PATH


def find_chromium(path: str | None = None, fallback: Path | None = None) -> Path | None:
    """Chromium on the PATH (``chromium``, or Ubuntu's ``chromium-browser``), else ``fallback`` (by default
    CHROMIUM_FALLBACK); None if neither."""
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name, path=path):
            return Path(found)
    fallback = fallback or CHROMIUM_FALLBACK
    return fallback if fallback.exists() else None


def chromium_or_skip(found: Path | None, environ=os.environ) -> Path | None:
    """``found``, or a skip saying why on a student's machine; in CI (``CI=true``) None, for the test to fail."""
    if found is None and environ.get("CI") != "true":
        pytest.skip(f"no Chromium (chromium or chromium-browser on the PATH, or {CHROMIUM_FALLBACK}): install "
                    "Debian's chromium package (.ci/run does) to run the browser test", allow_module_level=True)
    return found


def no_browser_in_ci() -> None:
    """The one sentence that fails a CI run without Chromium: a CI run must not pass with the browser test skipped."""
    pytest.fail(f"CI=true but there is no Chromium (chromium or chromium-browser on the PATH, or {CHROMIUM_FALLBACK}), "
                "so the browser test cannot run: install Debian's chromium package (.ci/run does).", pytrace=False)
