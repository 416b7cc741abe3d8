"""The whole course from one command: run, refresh and benchmark every notebook.

    python -m utils.runner run [--parameters notebooks/gpu.yaml] [--force] [NAME ...]   # make run
    python -m utils.runner refresh [NAME ...]                              # make refresh
    python -m utils.runner bench [NAME ...]                                # make bench

- ``run`` executes every notebook and the lecture deck with papermill into
  ``build/run/`` (never over the committed files), with a bar across
  notebooks, and writes ``build/run/report.html``: wall time, peak memory
  and device per notebook, every recorded value beside its check, and links
  to the executed notebooks as HTML. It stops at the first notebook that
  raises, still writing the report, and exits non-zero when a notebook raised
  or one of its checks failed (the report and stderr name them); a notebook
  whose code, helpers and parameters did not change since its last
  successful run with every check passed is skipped unless ``--force``.
  Kernels talk over IPC sockets in a private folder, not TCP, so no
  transport warning is printed.
- Checks and parameters: a notebook's ``default_run_checks`` hold for its
  default parameters. With a parameters file, a notebook run with a
  parameter overridden away from its default (the parameters cell's value)
  reports its checks as "not applicable with these parameters", except a
  check that names what it depends on: ``"parameters": ["WIDTH"]`` (only
  those; ``[]`` for none, e.g. a paper's count of a fixed network) is
  applied whenever none of the named parameters is overridden.
- ``refresh`` re-executes committed notebooks in place from a fresh kernel
  with their default parameters and stamps each with its fingerprint
  (``utils.fingerprints``), so a test can tell when committed outputs are
  older than the code.
- ``bench`` times each default run on this machine against the course's
  budgets (``utils.bench``).

One definition of a time budget (``metadata.course.budget_seconds``): the
summed wall time of a notebook's cells in its default run on the 2-core CPU,
kernel start excluded, about twice the measured run. nbval's run adds up
the same cell times (the root conftest), ``bench`` and ``run`` read them from
papermill's per-cell durations; the whole course's budget is the sum of the
notebooks' (``course_budget``).
"""
import argparse
import ast
import contextlib
import hashlib
import json
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from traitlets.config import Config

from utils import course
from utils.fingerprints import fingerprint

NOT_APPLICABLE = "not applicable with these parameters"


# ---------------------------------------------------------------- execution

class PeakMemory:
    """Samples the resident memory of this process's children (the kernel) while in a ``with`` block."""

    def __init__(self, every: float = 0.2):
        self.every, self.peak_bytes = every, 0
        self._stop = threading.Event()

    def _sample(self):
        me = psutil.Process()
        while not self._stop.wait(self.every):
            for child in me.children(recursive=True):
                try:
                    self.peak_bytes = max(self.peak_bytes, child.memory_info().rss)
                except psutil.Error:
                    pass

    def __enter__(self):
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()


@dataclass
class Run:
    name: str
    seconds: float = 0.0  # wall time, kernel start included
    cell_seconds: float = 0.0  # the cells' summed time: what the budget is for
    peak_mb: float = 0.0
    records: dict = field(default_factory=dict)
    checks: dict = field(default_factory=dict)
    budget_seconds: float | None = None
    overridden: list = field(default_factory=list)  # parameters set away from their defaults
    error: str | None = None
    skipped: bool = False

    def marks(self) -> dict[str, str]:
        """Each check's mark: "pass", "FAIL: <the failure>" or NOT_APPLICABLE (see the module docstring)."""
        from utils.results import check_records  # the same rules nbval applies to the default run

        marks = {}
        for name, rule in self.checks.items():
            if set(rule.get("parameters", self.overridden)) & set(self.overridden):
                marks[name] = NOT_APPLICABLE
                continue
            failures = check_records({k: v for k, v in self.records.items() if k == name}, {name: rule})
            marks[name] = f"FAIL: {'; '.join(failures)}" if failures else "pass"
        return marks

    def failed_checks(self) -> list[str]:
        return [name for name, mark in self.marks().items() if mark.startswith("FAIL")]


def _course_metadata(path: Path) -> dict:
    return nbformat.read(path, as_version=4).metadata.get("course", {})


def parameter_defaults(path: Path) -> dict:
    """The values the notebook's ``parameters`` cell assigns; a value that is not a literal is left out, so any
    value given for it counts as overridden."""
    notebook = nbformat.read(path, as_version=4)
    cells = [c.source for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    defaults = {}
    for node in ast.parse(cells[0] if cells else "").body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                defaults[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return defaults


def planned(path: Path, parameters: dict) -> Run:
    """A Run of ``path`` with ``parameters``, before it runs: its checks, budget and overridden parameters."""
    spec, defaults = _course_metadata(path), parameter_defaults(path)
    overridden = sorted(name for name, value in parameters.items() if defaults.get(name, object()) != value)
    return Run(path.stem, checks=spec.get("default_run_checks", {}), budget_seconds=spec.get("budget_seconds"),
               overridden=overridden)


def cell_seconds(executed: Path) -> float:
    """The summed duration of an executed notebook's cells, from papermill's metadata."""
    cells = nbformat.read(executed, as_version=4).cells
    return sum(cell.metadata.get("papermill", {}).get("duration") or 0.0 for cell in cells)


def course_budget(paths: list[Path]) -> float:
    """The budget of a run of ``paths``: the sum of their notebooks' budgets."""
    return sum(_course_metadata(path).get("budget_seconds", 0) for path in paths)


@contextlib.contextmanager
def quiet_kernel():
    """A kernel configuration for IPC sockets in a private temporary folder: not TCP, so no "Kernel is running over
    TCP without encryption" warning, and never the sockets of another run (jupyter_client's default IPC names are
    relative to the working directory)."""
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as folder:
        yield Config({"KernelManager": {"transport": "ipc", "ip": str(Path(folder) / "ipc")}})


def execute(path: Path, output: Path, parameters: dict | None = None, extra_env: dict | None = None) -> Run:
    """Execute ``path`` with papermill into ``output``; time it, sample its memory, collect its records."""
    import papermill

    from utils.results import collect

    run = planned(path, parameters or {})
    saved = {key: os.environ.get(key) for key in (extra_env or {})}
    os.environ.update(extra_env or {})
    start = time.perf_counter()
    try:
        with PeakMemory() as memory, quiet_kernel() as config:
            papermill.execute_notebook(path, output, parameters=parameters or {}, kernel_name="python3",
                                       cwd=path.parent, progress_bar=False, execution_timeout=1800, config=config)
    except Exception as error:  # papermill's error carries the notebook's own one sentence
        run.error = f"{type(error).__name__}: {getattr(error, 'evalue', error)}"
    finally:
        for key, value in saved.items():
            os.environ.pop(key) if value is None else os.environ.__setitem__(key, value)
    run.seconds, run.peak_mb = time.perf_counter() - start, memory.peak_bytes / 2**20
    if output.exists():
        run.records, run.cell_seconds = collect(output), cell_seconds(output)
    return run


def refresh(paths: list[Path]) -> None:
    """Re-execute each notebook in place from a fresh kernel and stamp its fingerprint."""
    from nbclient import NotebookClient

    for path in paths:
        start = time.perf_counter()
        notebook = nbformat.read(path, as_version=4)
        with quiet_kernel() as config:
            NotebookClient(notebook, timeout=900, kernel_name="python3", config=config,
                           resources={"metadata": {"path": str(path.parent)}}).execute()
        notebook.metadata.setdefault("course", {})["fingerprint"] = fingerprint(path)
        nbformat.write(notebook, path)
        print(f"{path.relative_to(course.ROOT)}: refreshed in {time.perf_counter() - start:.0f} s")


# ---------------------------------------------------------------- report

def _status(run: Run) -> str:
    if run.skipped:
        return "skipped (unchanged)"
    if run.error:
        return f"FAILED: {run.error}"
    failed = run.failed_checks()
    return f"FAILED checks: {', '.join(failed)}" if failed else "ok"


def write_report(runs: list[Run], folder: Path, device: str) -> Path:
    """build/.../report.html: one section per notebook, its numbers and its checks."""
    import html

    rows, sections = [], []
    for run in runs:
        link = f'<a href="{run.name}.html">{run.name}</a>' if (folder / f"{run.name}.html").exists() else run.name
        rows.append(f"<tr><td>{link}</td><td>{run.seconds:.0f}</td><td>{run.cell_seconds:.0f}</td>"
                    f"<td>{run.budget_seconds or ''}</td><td>{run.peak_mb:,.0f}</td>"
                    f"<td>{html.escape(_status(run))}</td></tr>")
        marks = run.marks()
        lines = [
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(repr(run.records[name])) if name in run.records else ''}"
            f"</td><td>{html.escape(json.dumps(run.checks[name])) if name in run.checks else ''}</td>"
            f"<td>{html.escape(marks.get(name, ''))}</td></tr>"
            for name in [*run.records, *(name for name in run.checks if name not in run.records)]
        ]
        changed = f"<p>parameters changed from their defaults: {html.escape(', '.join(run.overridden))}</p>" \
            if run.overridden else ""
        sections.append(f"<h2>{run.name}</h2>{changed}<table><tr><th>recorded</th><th>value</th><th>check</th>"
                        f"<th>mark</th></tr>{''.join(lines)}</table>")
    total = sum(run.cell_seconds for run in runs)
    budget = sum(run.budget_seconds or 0 for run in runs)
    failed = sum(len(run.failed_checks()) for run in runs)
    page = f"""<!doctype html><meta charset="utf-8"><title>Course run</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:auto}}td,th{{padding:2px 8px;text-align:left}}</style>
<h1>Course run on {html.escape(device)}</h1>
<p>{len(runs)} notebooks, {total:.0f} s of cell time in all (budget {budget:.0f} s); {failed} failed check(s).</p>
<table><tr><th>notebook</th><th>wall s</th><th>cell s</th><th>budget s</th><th>peak MB</th><th>status</th></tr>
{''.join(rows)}</table>
{''.join(sections)}"""
    report = folder / "report.html"
    report.write_text(page)
    return report


def _as_html(notebook: Path) -> None:
    from nbconvert import HTMLExporter

    body, _ = HTMLExporter().from_filename(str(notebook))
    notebook.with_suffix(".html").write_text(body)


def run_course(paths: list[Path], parameter_file: Path | None, force: bool) -> int:
    """``make run``: the notebooks into build/run/, a report, a stop at the first failure."""
    import yaml
    from tqdm.auto import tqdm

    from utils.training import pick_device

    parameters = yaml.safe_load(parameter_file.read_text()) if parameter_file else {}
    shared = parameters.pop("all", {})
    folder = course.BUILD / "run"
    folder.mkdir(parents=True, exist_ok=True)
    state_file = folder / "state.json"
    state = json.loads(state_file.read_text()) if state_file.exists() else {}
    runs = []
    for path in tqdm(paths, desc="course", unit="notebook"):
        own = shared | parameters.get(path.stem, {})
        key = hashlib.sha256(f"{fingerprint(path)}{json.dumps(own, sort_keys=True)}".encode()).hexdigest()
        output = folder / path.name
        if not force and state.get(path.stem) == key and output.exists():
            run = planned(path, own)
            run.records, run.skipped = _collect(output), True
            runs.append(run)
            continue
        run = execute(path, output, own)
        runs.append(run)
        if output.exists():
            _as_html(output)
        if run.error:
            print(f"{path.name} failed: {run.error}", file=sys.stderr)
            break
        for name, mark in run.marks().items():
            if mark.startswith("FAIL"):
                print(f"{path.name}: check {name} {mark}", file=sys.stderr)
        if not run.failed_checks():
            state[path.stem] = key
            state_file.write_text(json.dumps(state, indent=1))
    device = shared.get("DEVICE", "auto")
    report = write_report(runs, folder, f"DEVICE={device!r}, which is {pick_device(device).type} on this machine")
    print(f"report: {report}")
    return 1 if any(run.error or run.failed_checks() for run in runs) else 0


def _collect(path: Path) -> dict:
    from utils.results import collect

    return collect(path)


def _paths(names: list[str]) -> list[Path]:
    if not names:
        return course.NOTEBOOKS
    by_name = {path.stem: path for path in course.NOTEBOOKS}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        sys.exit(f"unknown notebook(s) {', '.join(unknown)}; choose from {', '.join(by_name)}")
    return [by_name[name] for name in names]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m utils.runner", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="execute every notebook into build/run/ and write a report")
    run_parser.add_argument("--parameters", type=Path,
                            help="a YAML file: {notebook name or 'all': {PARAMETER: value}}, e.g. notebooks/gpu.yaml")
    run_parser.add_argument("--force", action="store_true", help="re-run notebooks that did not change")
    run_parser.add_argument("names", nargs="*", help="notebook names (default: all)")
    for name, text in (("refresh", "re-execute committed notebooks in place"), ("bench", "time default runs")):
        commands.add_parser(name, help=text).add_argument("names", nargs="*", help="notebook names (default: all)")
    args = parser.parse_args(argv)
    if args.command == "run":
        return run_course(_paths(args.names), args.parameters, args.force)
    if args.command == "refresh":
        refresh(_paths(args.names))
        return 0
    from utils.bench import bench

    return bench(_paths(args.names))


if __name__ == "__main__":
    sys.exit(main())
