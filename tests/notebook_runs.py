"""Run a course notebook with papermill into a temporary folder, never over the committed file."""
import time
from pathlib import Path

import papermill
import pytest

from utils.results import collect

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("lectures/*.ipynb")])


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
    )
    return collect(output), time.perf_counter() - start


def parameter_error(name: str, out_dir: Path, **parameters) -> str:
    """Run with bad ``parameters`` and return the one-sentence error the notebook stopped with."""
    with pytest.raises(papermill.PapermillExecutionError) as failure:
        run_notebook(name, out_dir, **parameters)
    assert failure.value.ename in ("ParameterError", "DatasetUnavailable"), failure.value.ename
    return failure.value.evalue
