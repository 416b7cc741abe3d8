"""Every committed notebook has the shape the course relies on."""
import nbformat
import pytest

from utils.course import NOTEBOOKS, ROOT



@pytest.fixture(params=NOTEBOOKS, ids=lambda p: p.name)
def notebook(request):
    return nbformat.read(request.param, as_version=4)


def test_there_are_notebooks():
    assert (ROOT / "notebooks" / "01_lenet.ipynb") in NOTEBOOKS


def test_one_parameters_cell(notebook):
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"


def test_python3_kernel(notebook):
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.metadata["kernelspec"]["language"] == "python"


def test_no_error_outputs(notebook):
    errors = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []


def test_executed_in_order(notebook):
    counts = [c.execution_count for c in notebook.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "re-run the notebook from a fresh kernel before committing"


def test_has_a_time_budget(notebook):
    assert notebook.metadata["course"]["budget_seconds"] > 0


def test_outputs_stay_small():
    for path in NOTEBOOKS:
        assert path.stat().st_size < 2_000_000, f"{path.name} is {path.stat().st_size:,} bytes; shrink its figures"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_outputs_are_as_new_as_the_code(path):
    """`make refresh` stamps each notebook with a hash of its code and the helpers it imports."""
    from utils.fingerprints import fingerprint

    stamped = nbformat.read(path, as_version=4).metadata.get("course", {}).get("fingerprint")
    assert stamped == fingerprint(path), (
        f"{path.name}'s outputs are older than its code or the utils modules it uses: run `make refresh NB={path.stem}`"
    )


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent.name == "notebooks"], ids=lambda p: p.name)
def test_three_to_five_exercises_that_check_themselves(path):
    notebook = nbformat.read(path, as_version=4)
    checks = [c for c in notebook.cells if c.cell_type == "code" and "exercises.check(" in c.source]
    solutions = [c for c in notebook.cells if "solution" in c.metadata.get("tags", [])]
    assert 3 <= len(checks) <= 5 and len(solutions) == len(checks), (len(checks), len(solutions))


def test_no_module_imported_twice(notebook):
    # One name per module and one import per name: `zoo` and `xception_zoo` for one module make a reader wonder
    # whether they differ.
    import ast

    names: dict[str, set[str]] = {}
    imported = []
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    module = f"{node.module}.{alias.name}" if isinstance(node, ast.ImportFrom) else alias.name
                    names.setdefault(module, set()).add(alias.asname or alias.name)
                    imported.append(module)
    assert {m: n for m, n in names.items() if len(n) > 1} == {}
    assert sorted({m for m in imported if imported.count(m) > 1}) == []


def test_the_package_docstring_names_every_module():
    """A newcomer finds every helper module from ``utils/__init__.py``."""
    import utils

    modules = sorted(path.stem for path in (ROOT / "utils").glob("*.py") if path.stem != "__init__")
    assert len(modules) > 20
    assert [name for name in modules if f"``{name}``" not in utils.__doc__] == []


def test_the_course_folders_are_defined_once():
    """``utils.course`` says where the course lives; no other module works it out again."""
    others = [path.name for path in (ROOT / "utils").rglob("*.py")
              if path.name != "course.py" and "resolve().parents" in path.read_text()]
    assert others == []


@pytest.mark.parametrize("path", [p for p in NOTEBOOKS if p.parent.name == "notebooks"], ids=lambda p: p.name)
def test_the_lesson_comes_first_then_the_audit_the_exercises_and_the_summary(path):
    """The shape of every notebook: the lesson line, then one section checking the paper, exercises, a summary."""
    import re

    cells = nbformat.read(path, as_version=4).cells
    sections = [line[3:] for cell in cells if cell.cell_type == "markdown"
                for line in cell.source.splitlines() if line.startswith("## ")]
    last_three = [re.sub(r"^\d+\. ", "", title) for title in sections[-3:]]
    assert len(sections) >= 6 and last_three[1:] == ["Exercises", "Summary"], sections
    assert re.fullmatch(r"Checked against the papers?", last_three[0]), sections


def test_a_code_cell_fits_on_a_screen(notebook):
    """One idea per cell: no code cell longer than a screen (55 lines), so prose sits between the steps."""
    long = [(index, len(cell.source.splitlines())) for index, cell in enumerate(notebook.cells)
            if cell.cell_type == "code" and len(cell.source.splitlines()) > 55]
    assert long == []
