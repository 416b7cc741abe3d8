"""make student: solution cells become stubs that keep their names, the exercises' outputs are cleared, checks fail
on stubs, and no stub's docstring gives its answer away."""
import ast
import re

import nbformat
import pytest

from utils import exercises, student
from utils.course import NOTEBOOKS

SOLUTION = '''import math


def count_1x1(name):
    """How many 1x1 convolutions configuration `name` has."""
    table = {"C": 3, "D": 0}
    return table[name]


def ratio(c):
    return 27 * c * c / (49 * c * c)
'''


def test_stub_keeps_imports_signatures_and_docstrings_but_no_solution():
    stub = student.stub_cell(SOLUTION)
    assert "import math" in stub and 'def count_1x1(name):' in stub and "How many 1x1" in stub
    assert "table" not in stub and "27" not in stub
    namespace = {}
    exec(stub, namespace)
    with pytest.raises(exercises.NotDone, match="count_1x1 is not written yet"):
        namespace["count_1x1"]("C")


def test_check_fails_on_the_stub_and_passes_on_the_solution(monkeypatch):
    recorded = []
    monkeypatch.setattr("utils.exercises.record", lambda name, value: recorded.append(value))
    for source in (student.stub_cell(SOLUTION), SOLUTION):
        namespace = {}
        exec(source, namespace)
        exercises.check("1", lambda: namespace["count_1x1"]("C") == 3, right="r", hint="h")
    assert recorded == [False, True]


def test_a_solution_cell_with_other_statements_is_refused():
    with pytest.raises(ValueError, match="only imports and functions"):
        student.stub_cell("answer = 27\n")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_copy_of_each_notebook(path):
    copy = student.student_copy(path)
    nbformat.validate(copy)
    original = nbformat.read(path, as_version=4)
    code = [(o, c) for o, c in zip(original.cells, copy.cells) if o.cell_type == "code"]
    exercise_cells = {i + d for i, (o, _) in enumerate(code) if student.TAG in o.metadata.get("tags", []) for d in (0, 1)}
    for index, (instructor, stubbed) in enumerate(code):  # outputs cleared for the exercises only
        cleared = stubbed.outputs == [] and stubbed.execution_count is None
        assert cleared if index in exercise_cells else stubbed.outputs == instructor.outputs, (path.name, index)
    for index, (instructor, stubbed) in enumerate(code):
        if student.TAG not in instructor.metadata.get("tags", []):
            assert stubbed.source == instructor.source
            continue
        defined = [n.name for n in ast.parse(instructor.source).body if isinstance(n, ast.FunctionDef)]
        assert defined, f"solution cell {index} of {path.name} defines no function"
        for node in ast.parse(stubbed.source).body:  # nothing of the solution's bodies survives
            if isinstance(node, ast.FunctionDef):
                assert ast.unparse(node.body[-1]) == f"not_done({node.name!r})"
        # the check cell right after must call one of the stubbed functions, so on the stub it says "not done yet"
        check = code[index + 1][0].source
        assert "exercises.check(" in check and any(name in check for name in defined), (path.name, index)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_stub_has_a_docstring_that_gives_nothing_away(path):
    # A stub's docstring says what to compute; its numbers must all be in the exercise's own text above it, so
    # that it states no part of the answer ("ResNet-34: basic blocks, [3, 4, 6, 3] per stage" would fail).
    cells = nbformat.read(path, as_version=4).cells
    for index, cell in enumerate(cells):
        if student.TAG not in cell.metadata.get("tags", []):
            continue
        prompt = next(c.source for c in reversed(cells[:index]) if c.cell_type == "markdown")
        for function in (n for n in ast.parse(cell.source).body if isinstance(n, ast.FunctionDef)):
            docstring = ast.get_docstring(function)
            assert docstring, f"{path.name}: {function.name} has no docstring for the student's stub"
            extra = set(re.findall(r"\d+", docstring)) - set(re.findall(r"\d+", prompt))
            assert not extra, f"{path.name}: {function.name}'s docstring states {sorted(extra)}, not in the exercise"
