"""utils.runner: fingerprints that notice changed code and helpers, a report with every record and check,
`make run` failing on a failed check, checks not applicable under overridden parameters, quiet kernels."""
import re

import nbformat
import pytest

from utils import bench, course, fingerprints, runner
from utils.results import collect


@pytest.fixture
def tiny_repo(tmp_path, monkeypatch):
    """A tiny course: utils/{__init__,a,b}.py where a imports b, and one notebook importing a."""
    (tmp_path / "utils").mkdir()
    (tmp_path / "utils" / "__init__.py").write_text("")
    (tmp_path / "utils" / "a.py").write_text("from utils import b\n")
    (tmp_path / "utils" / "b.py").write_text("X = 1\n")
    (tmp_path / "utils" / "c.py").write_text("Y = 1\n")
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("from utils import a\nprint(1)")])
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    monkeypatch.setattr(course, "ROOT", tmp_path)
    return tmp_path, path


def test_helper_files_follow_imports_transitively(tiny_repo):
    root, path = tiny_repo
    files = fingerprints.helper_files(["from utils import a"])
    assert [f.relative_to(root).as_posix() for f in files] == ["utils/__init__.py", "utils/a.py", "utils/b.py"]


def test_fingerprint_changes_with_code_and_used_helpers_only(tiny_repo):
    root, path = tiny_repo
    first = fingerprints.fingerprint(path)
    (root / "utils" / "c.py").write_text("Y = 2\n")  # not imported: no change
    assert fingerprints.fingerprint(path) == first
    (root / "utils" / "b.py").write_text("X = 2\n")  # imported through a: changes
    second = fingerprints.fingerprint(path)
    assert second != first
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[0].source += "\nprint(2)"
    nbformat.write(notebook, path)
    assert fingerprints.fingerprint(path) not in (first, second)


def test_fingerprint_ignores_comments_and_docstrings(tiny_repo):
    root, path = tiny_repo
    first = fingerprints.fingerprint(path)
    (root / "utils" / "b.py").write_text('"""Module docstring."""\nX = 1  # a comment\n')
    assert fingerprints.fingerprint(path) == first
    (root / "utils" / "b.py").write_text('"""Module docstring."""\nX = 3\n')
    assert fingerprints.fingerprint(path) != first


def test_report_shows_records_checks_and_failures(tmp_path):
    runs = [
        runner.Run("01_a", seconds=12.3, cell_seconds=10.2, peak_mb=900, records={"acc": 0.97, "n": 5},
                   checks={"acc": {"at_least": 0.98}, "lost": {"equals": 1}}, budget_seconds=60),
        runner.Run("02_b", seconds=1.0, cell_seconds=0.6,
                   error="ParameterError: EPOCHS is 0, but it must be an integer of at least 1."),
    ]
    page = runner.write_report(runs, tmp_path, "cpu").read_text()
    assert ("<td>acc</td><td>0.97</td><td>{&quot;at_least&quot;: 0.98}</td>"
            "<td>FAIL: acc is 0.97, expected at least 0.98</td>") in page
    assert "<td>lost</td><td></td><td>{&quot;equals&quot;: 1}</td><td>FAIL: lost was not recorded</td>" in page
    assert "<td>n</td><td>5</td><td></td><td></td>" in page
    assert "FAILED checks: acc, lost" in page and "FAILED: ParameterError: EPOCHS is 0" in page
    assert "2 notebooks, 11 s of cell time in all (budget 60 s); 2 failed check(s)" in page


@pytest.fixture
def tiny_course(tmp_path, monkeypatch):
    """One generated notebook (parameters x=2, y=3) with a check of each kind, and make run's folder in tmp_path."""
    cells = ["x = 2\ny = 3  # parameters",
             "from utils.results import record\nrecord('double', x * 2)\nrecord('triple_y', y * 3)\nrecord('seven', 7)"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.cells[0].metadata["tags"] = ["parameters"]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.metadata["course"] = {"budget_seconds": 5, "default_run_checks": {
        "double": {"equals": 4},  # depends on every parameter (the default)
        "triple_y": {"equals": 9, "parameters": ["y"]},
        "seven": {"equals": 7, "parameters": []}}}
    path = tmp_path / "t.ipynb"
    nbformat.write(notebook, path)
    monkeypatch.setattr(course, "BUILD", tmp_path / "build")
    return path


def report_marks(page: str) -> dict:
    """{recorded name: mark} read back from the report's rows."""
    return dict(re.findall(r"<tr><td>(\w+)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td></tr>", page))


def test_run_fails_on_a_failed_check_and_names_it(tiny_course, capfd):
    notebook = nbformat.read(tiny_course, as_version=4)
    notebook.metadata["course"]["default_run_checks"]["seven"] = {"equals": 8}
    nbformat.write(notebook, tiny_course)
    assert runner.run_course([tiny_course], None, force=False) == 1
    assert "t.ipynb: check seven FAIL: seven is 7, expected 8" in capfd.readouterr().err
    page = (course.BUILD / "run" / "report.html").read_text()
    assert report_marks(page) == {"double": "pass", "triple_y": "pass", "seven": "FAIL: seven is 7, expected 8"}
    assert "FAILED checks: seven" in page
    assert runner.run_course([tiny_course], None, force=False) == 1  # a failed run is not skipped as unchanged


def test_checks_of_overridden_parameters_are_not_applicable(tiny_course, tmp_path):
    parameters = tmp_path / "p.yaml"
    parameters.write_text("t:\n  x: 21\n  y: 3\n")  # x overridden, y at its default
    assert runner.run_course([tiny_course], parameters, force=False) == 0
    page = (course.BUILD / "run" / "report.html").read_text()
    assert report_marks(page) == {"double": runner.NOT_APPLICABLE, "triple_y": "pass", "seven": "pass"}
    assert "parameters changed from their defaults: x" in page


def test_run_prints_no_warnings_and_keeps_its_sockets_to_itself(tiny_course, capfd):
    """Kernels start over IPC: no "Kernel is running over TCP without encryption" line, nor any other warning;
    the sockets live in a private folder, not beside the notebook where another run could meet them."""
    notebook = nbformat.read(tiny_course, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import os\nrecord('beside', sorted(os.listdir('.')))"))
    nbformat.write(notebook, tiny_course)
    assert runner.run_course([tiny_course], None, force=True) == 0
    out, err = capfd.readouterr()
    assert not re.search(r"\bwarn", out + err, re.IGNORECASE), out + err
    beside = collect(course.BUILD / "run" / tiny_course.name)["beside"]
    assert not [name for name in beside if "ipc" in name], beside


def test_execute_times_and_collects_a_real_notebook(tmp_path):
    cells = ["x = 2  # parameters", "from utils.results import record\nrecord('double', x * 2)"]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.cells[0].metadata["tags"] = ["parameters"]
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.metadata["course"] = {"budget_seconds": 5, "default_run_checks": {"double": {"equals": 4}}}
    path = tmp_path / "t.ipynb"
    nbformat.write(notebook, path)
    run = runner.execute(path, tmp_path / "out.ipynb", {"x": 21})
    assert run.error is None and run.records == {"double": 42}
    assert run.checks == {"double": {"equals": 4}} and run.budget_seconds == 5 and run.overridden == ["x"]
    assert run.seconds > run.cell_seconds > 0 and run.peak_mb > 10  # a Python kernel holds tens of MB


def test_gpu_parameters_name_real_parameters_with_valid_kinds():
    """notebooks/gpu.yaml only sets parameters its notebooks have, to values of the same type as their defaults."""
    import yaml

    settings = yaml.safe_load((course.ROOT / "notebooks" / "gpu.yaml").read_text())
    assert settings.pop("all") == {"DEVICE": "cuda"}
    by_name = {path.stem: path for path in course.NOTEBOOKS}
    for name, values in settings.items():
        defaults = runner.parameter_defaults(by_name[name])
        for parameter, value in values.items():
            assert parameter in defaults, f"{name} has no parameter {parameter}"
            assert type(value) is type(defaults[parameter]), (name, parameter, value)


def test_bench_holds_the_cells_time_against_the_budget(tiny_course):
    """One definition of a budget: the cells' summed time (papermill's durations), as nbval's run adds it up."""
    import json

    assert bench.bench([tiny_course]) == 0
    row, = json.loads((course.BUILD / "bench.json").read_text())["notebooks"]
    assert 0 < row["cell s"] < row["wall s"] and row["budget s"] == 5 and row["within budget"]


def test_a_full_size_run_still_checks_the_papers_counts():
    """gpu.yaml changes data, sizes and epochs, not the papers' networks: their counts stay checked
    (``"parameters": []``), while what training measured is not applicable at other sizes."""
    import yaml

    settings = yaml.safe_load((course.ROOT / "notebooks" / "gpu.yaml").read_text())
    shared = settings.pop("all")
    applied, skipped = [], []
    for path in course.NOTEBOOKS:
        run = runner.planned(path, shared | settings.get(path.stem, {}))
        run.records = {name: rule["equals"] for name, rule in run.checks.items() if "equals" in rule}
        marks = run.marks()
        applied += [marks[name] for name in run.checks if name.startswith(("params_", "mult_adds_"))
                    and not name.startswith("params_small")]
        skipped += [marks[name] for name in run.checks if name.startswith(("test_accuracy", "acc_"))]
    assert len(applied) > 40 and set(applied) == {"pass"}
    assert len(skipped) > 10 and set(skipped) == {runner.NOT_APPLICABLE}
