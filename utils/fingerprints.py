"""Fingerprints of notebooks: a hash of a notebook's code cells and of the ``utils`` modules they import, directly
or through other modules (code only: rewording a comment or a docstring changes nothing).

``utils.runner refresh`` stamps each committed notebook with its fingerprint, and ``make run`` skips a notebook
whose fingerprint and parameters did not change; a test compares the stamp with the current code to tell when
committed outputs are older than the code.
"""
import ast
import hashlib
from pathlib import Path

import nbformat

from utils import course


def _imported_utils(source: str) -> set[str]:
    """The ``utils`` modules a piece of code imports (``utils.x`` and ``from utils import x`` alike)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics: fall back to no imports for that cell
        return set()
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "utils":
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.split(".")[0] == "utils")
    return found


def _module_file(name: str) -> Path | None:
    base = course.ROOT.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def helper_files(sources: list[str]) -> list[Path]:
    """The files of every ``utils`` module the sources import, directly or through other modules."""
    pending = set().union(*(_imported_utils(s) for s in sources)) | {"utils"}
    files: set[Path] = set()
    while pending:
        path = _module_file(pending.pop())
        if path and path not in files:
            files.add(path)
            pending |= _imported_utils(path.read_text())
    return sorted(files)


def _code_only(text: str) -> str:
    """The code's syntax tree without comments and docstrings (the raw text where it is not plain Python):
    rewording a comment or a docstring does not make outputs stale."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return text
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def fingerprint(path: Path) -> str:
    """A hash of the notebook's code cells and of the helper modules they use (code only, see _code_only)."""
    notebook = nbformat.read(path, as_version=4)
    sources = [cell.source for cell in notebook.cells if cell.cell_type == "code"]
    digest = hashlib.sha256()
    for text in sources + [file.read_text() for file in helper_files(sources)]:
        digest.update(_code_only(text).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:16]
