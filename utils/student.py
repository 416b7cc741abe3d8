"""Student copies of the notebooks: every solution replaced by a stub, the exercises' outputs cleared.

    python -m utils.student [OUTPUT_FOLDER]      # make student (default: build/student)

The committed notebooks are the instructor's version. In a student copy each
cell tagged ``solution`` keeps its imports and the signature and docstring of
every function it defines, and the body becomes
``not_done("name")`` (``utils.exercises``), so the check cell after it runs
unchanged and says "not done yet" until the student writes the function. A
solution cell holding anything but imports and functions is refused: the
stub could not keep its names. Only the solution cells and the check cells
after them lose their outputs: the figures, tables and explorers the prose
talks about stay, as the course's own run left them.
"""
import ast
import copy
import sys
from pathlib import Path

import nbformat

from utils.course import BUILD, NOTEBOOKS, ROOT

TAG = "solution"
STUB_IMPORT = "from utils.exercises import not_done"


def _stub(function: ast.FunctionDef) -> str:
    """``def name(args):`` with its docstring and a body that raises NotDone."""
    docstring = ast.get_docstring(function)
    body = [ast.Expr(ast.Constant(docstring))] if docstring else []
    body.append(ast.Expr(ast.Call(ast.Name("not_done", ast.Load()), [ast.Constant(function.name)], [])))
    stub = copy.deepcopy(function)
    stub.body = body
    return ast.unparse(ast.fix_missing_locations(stub))


def stub_cell(source: str) -> str:
    """The student's version of a solution cell: imports kept, each function's body a NotDone stub."""
    parts = [STUB_IMPORT]
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            parts.append(ast.unparse(node))
        elif isinstance(node, ast.FunctionDef):
            parts.append(_stub(node))
        else:
            raise ValueError(f"a solution cell may hold only imports and functions, not:\n{ast.unparse(node)}")
    return "\n\n\n".join(parts) + "\n"


def student_copy(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` with solutions stubbed and the outputs of solutions and their checks cleared."""
    notebook = nbformat.read(path, as_version=4)
    cells = notebook.cells
    for solution, check in [(c, cells[i + 1]) for i, c in enumerate(cells) if TAG in c.metadata.get("tags", [])]:
        solution.source = stub_cell(solution.source)
        for cell in (solution, check):
            cell.outputs, cell.execution_count = [], None
    return notebook


def write_student_copies(folder: Path) -> list[Path]:
    """A student copy of every notebook and the deck, under ``folder`` with the course's layout."""
    written = []
    for path in NOTEBOOKS:
        target = folder / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(student_copy(path), target)
        written.append(target)
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else BUILD / "student"
    for written in write_student_copies(out):
        print(written)
