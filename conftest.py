"""Budgets and checks for the default run of every notebook, applied while nbval executes it.

It sits at the root so that its hooks see the notebooks in notebooks/ and lectures/.

nbval runs each notebook with its default parameters, cell by cell. This
hook adds up the cells' wall time and gathers the values the notebook
records (``utils.results.record``). After the last cell it checks them
against the notebook's own metadata, ``metadata["course"]``:

    "budget_seconds": 60,                              # on the 2-core CI CPU
    "default_run_checks": {"test_accuracy": {"at_least": 0.97},
                           "params_lenet5_1998": {"equals": 60000}}

so the notebook's default run is executed once and checked three ways:
outputs (nbval), time, and recorded results. Time fails the run only for a
gross overrun (more than ``GROSS_OVERRUN`` times the budget: the sign of a
default that trains full size by mistake); anything less is reported in the
summary, because a busy or slower machine is not a fault of the code. The
budgets themselves are a benchmark, measured on a quiet machine: a budget is
the cells' summed time, kernel start excluded, as here (one definition for
nbval, ``make run`` and ``make bench``: see ``utils.runner``).
"""
import time

import pytest
from nbval.plugin import IPyNbCell

from utils.results import check_records, records_in

GROSS_OVERRUN = 3
_default_runs: dict = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    if not isinstance(item, IPyNbCell):
        return (yield)
    run = _default_runs.setdefault(item.path, {"seconds": 0.0, "records": {}})
    start = time.perf_counter()
    result = yield
    run["seconds"] += time.perf_counter() - start
    run["records"].update(records_in(item.test_outputs or []))
    notebook = item.parent.nb
    if item.cell_num == sum(cell.cell_type == "code" for cell in notebook.cells) - 1:
        spec = notebook.metadata["course"]
        run["budget"] = spec["budget_seconds"]
        assert run["seconds"] <= GROSS_OVERRUN * spec["budget_seconds"], (
            f"{item.path.name} ran for {run['seconds']:.0f} s, over {GROSS_OVERRUN} times its budget of "
            f"{spec['budget_seconds']} s: does its default run train at full size?"
        )
        failures = check_records(run["records"], spec.get("default_run_checks", {}))
        assert not failures, f"{item.path.name} default run: " + "; ".join(failures)
    return result


def pytest_terminal_summary(terminalreporter):
    """One line per notebook: the default run's cell time against its budget."""
    if _default_runs:
        terminalreporter.section("notebook default runs (cell time / budget)")
        for path, run in sorted(_default_runs.items()):
            budget = f"{run['budget']} s" if "budget" in run else "not reached"
            over = " (over budget: measure it with `make bench` on a quiet machine)" if run["seconds"] > run.get("budget", 1e9) else ""
            terminalreporter.write_line(f"{path.name}: {run['seconds']:.0f} s of {budget}{over}")
