"""``make bench``: each notebook's default run timed on this machine, against the course's budgets.

Time (the cells' summed wall time, as nbval adds it up), peak resident memory of the kernel, and training
throughput against a matrix multiply timed in the same run; a table, and ``build/bench.json``. Run it on a
quiet machine: the budgets are a benchmark, not a coin toss.
"""
import json
import os
import sys
import time
from pathlib import Path

from utils import course
from utils.runner import course_budget, execute
from utils.training import BENCH_VARIABLE  # set in the kernel: fit then records its throughput

MEMORY_BUDGET_MB = 3 * 1024  # every notebook's peak resident memory, on the 2-core CPU


def matmul_macs_per_second(size: int = 1024, repeats: int = 20) -> float:
    """Multiply-adds per second of a float32 matrix product on this machine: the yardstick."""
    import torch

    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return repeats * size**3 / (time.perf_counter() - start)


def bench(paths: list[Path]) -> int:
    """``make bench``: each default run timed against its budget; a table and build/bench.json."""
    import pandas as pd

    folder = course.BUILD / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    yardstick = matmul_macs_per_second()
    rows = []
    for path in paths:
        run = execute(path, folder / path.name, extra_env={BENCH_VARIABLE: "1"})
        fits = [v for k, v in run.records.items() if k.startswith("bench fit ")]
        macs, seconds = sum(f["macs"] for f in fits), sum(f["seconds"] for f in fits)
        rows.append({
            "notebook": path.stem, "wall s": round(run.seconds, 1), "cell s": round(run.cell_seconds, 1),
            "budget s": run.budget_seconds,
            "peak MB": round(run.peak_mb), "budget MB": MEMORY_BUDGET_MB,
            "training GMAC/s": round(macs / seconds / 1e9, 2) if seconds else None,
            "of matmul": round(macs / seconds / yardstick, 3) if seconds else None,
            "within budget": run.error is None and run.cell_seconds <= (run.budget_seconds or 0)
            and run.peak_mb <= MEMORY_BUDGET_MB,
            "error": run.error,
        })
    table = pd.DataFrame(rows).set_index("notebook")
    total, wall = table["cell s"].sum(), table["wall s"].sum()
    print(table.drop(columns="error").to_string())
    print(f"\nwhole course: {total:.0f} s of cell time ({wall:.0f} s wall) of its {course_budget(paths):.0f} s budget; "
          f"matmul yardstick {yardstick / 1e9:.1f} GMAC/s")
    (course.BUILD / "bench.json").write_text(json.dumps(
        {"notebooks": rows, "total_cell_seconds": total, "total_wall_seconds": wall, "matmul_gmacs": yardstick / 1e9,
         "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]}}, indent=1))
    return 0 if table["within budget"].all() else 1
