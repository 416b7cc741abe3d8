"""The course as a static website that works offline: build/book/index.html.

    python -m utils.book [OUTPUT_FOLDER]        # make book (default: build/book)

Sphinx with MyST-NB and the book theme (configuration: ``utils/book/conf.py``)
renders copies of the committed, executed notebooks without running them:
the README's introduction and map of the notebooks as the landing page, the
notebooks in lecture order, the lecture deck with a link to its slides, and a
page on running the course yourself (``utils/book/run.md``). Each notebook
page links its notebook file and its student copy (``utils.student``).
Widgets cannot run on a static page: a progress bar becomes a still of its
last state, and an explorer a sentence saying it needs JupyterLab above the
pictures it showed, both read from the widget state saved in the notebook.
MathJax is a local copy from the pinned ``sphinx-mathjax-offline`` package:
no page fetches anything.
The sources are assembled next to the output (``build/book-src/``).
"""
import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
from sphinx.application import Sphinx

from utils import results, slides, student
from utils.course import BUILD, NOTEBOOKS, ROOT

CONF = ROOT / "utils" / "book"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
EXPLORER = ('<p class="course-explorer"><em>An interactive explorer stands here{}: it needs a running Python '
            'kernel. Open this notebook in JupyterLab (<code>make lab</code>) to move its controls.</em></p>')
MATHJAX_PARTS = ["tex-chtml.js", "input/tex/extensions", "output/chtml/fonts/woff-v2", "a11y", "ui", "sre"]


def _model(state: dict, reference: str) -> dict:
    """A widget model's saved state, from its id or its ``IPY_MODEL_<id>`` reference."""
    return state.get(reference.removeprefix("IPY_MODEL_"), {})


def progress_still(box: dict, state: dict) -> str | None:
    """A tqdm bar's last state as HTML; "" for a bar that was hidden when it closed; None if ``box`` is no bar."""
    children = [_model(state, child) for child in box["state"].get("children", [])]
    if [child.get("model_name") for child in children] != ["HTMLModel", "FloatProgressModel", "HTMLModel"]:
        return None
    if _model(state, box["state"]["layout"]).get("state", {}).get("visibility") == "hidden":
        return ""
    left, bar, right = (child["state"] for child in children)
    return (f'<div class="course-progress"><span>{left["value"]}</span>'
            f'<progress value="{bar["value"]}" max="{bar["max"]}"></progress><span>{right["value"]}</span></div>')


def saved_pictures(model: dict, state: dict) -> list[str]:
    """The PNG pictures (base64) in a widget's output areas when the notebook was saved, depth first."""
    if model.get("model_name") == "OutputModel":
        outputs = model["state"].get("outputs", [])
        return [out["data"]["image/png"] for out in outputs if "image/png" in out.get("data", {})]
    return [picture for child in model.get("state", {}).get("children", [])
            for picture in saved_pictures(_model(state, child), state)]


def explorer_still(model: dict, state: dict) -> str:
    """The sentence that an explorer needs JupyterLab, above the pictures it showed when the notebook was saved."""
    pictures = saved_pictures(model, state)
    stills = "".join(f'<img class="course-still" alt="the explorer as saved" src="data:image/png;base64,{png.strip()}">'
                     for png in pictures)
    return EXPLORER.format(", shown below as it was saved" if pictures else "") + stills


def static_outputs(outputs: list, state: dict) -> list:
    """A cell's outputs with every widget replaced by what a static page can show."""
    kept = []
    for output in outputs:
        if results.MIME in output.get("data", {}):
            continue  # a recorded value: bookkeeping for the tests, which JupyterLab does not show either
        view = output.get("data", {}).get(WIDGET_VIEW)
        if view is None:
            kept.append(output)
            continue
        model = _model(state, view["model_id"])
        still = progress_still(model, state) if model else None
        if still != "":
            html = still or explorer_still(model, state)
            kept.append(nbformat.v4.new_output("display_data", data={"text/html": html}))
    return kept


def _links(path: Path) -> str:
    """The note at the top of a page: where the notebook comes from, and where to run it."""
    name = path.relative_to(ROOT).as_posix()
    if path.parent.name == "lectures":
        extra = (f'Present it from <a href="../slides/{path.stem}.html">its slides</a>, one HTML file that needs no '
                 "network (made from these outputs; `make slides` makes it from a fresh run).")
    else:
        extra = (f"Do the exercises in {{download}}`the student copy </_files/student/{name}>`: solutions "
                 f"replaced by stubs, the exercises' outputs cleared, as `make student` writes it into `build/student/`.")
    return (f"```{{note}}\nThis page is `{name}` as committed, with the outputs of its last run: "
            f"{{download}}`download the notebook </_files/{name}>`. {extra} "
            f"To run it, see {{doc}}`/run`.\n```")


def page_notebook(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path`` as its page shows it: the note under its title, widgets made static."""
    notebook = nbformat.read(path, as_version=4)
    state = notebook.metadata.pop("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        cell.outputs = static_outputs(cell.outputs, state)
        if cell.metadata.get("jupyter", {}).get("source_hidden"):
            cell.metadata.setdefault("tags", []).append("hide-input")
    title, _, rest = notebook.cells[0].source.partition("\n")
    notebook.cells[0].source = f"{title}\n\n{_links(path)}\n{rest}"
    return notebook


def _toctree(caption: str, entries: list[str]) -> str:
    return f"\n```{{toctree}}\n:hidden:\n:caption: {caption}\n\n" + "\n".join(entries) + "\n```\n"


def landing_page(readme: str) -> str:
    """The README's introduction and its map of the notebooks, then the tables of contents."""
    sections = re.split(r"(?m)^(?=## )", readme)
    notebook_map = next(section for section in sections if section.startswith("## The notebooks"))
    pages = [path.relative_to(ROOT).with_suffix("").as_posix() for path in NOTEBOOKS]
    return (sections[0] + "Every notebook is readable here with the outputs of its last run; to run them, "
            "see {doc}`run`.\n\n" + notebook_map
            + _toctree("Notebooks", [page for page in pages if page.startswith("notebooks/")])
            + _toctree("Lecture", [page for page in pages if page.startswith("lectures/")])
            + _toctree("Your turn", ["run"]))


def run_page() -> str:
    """utils/book/run.md with the pinned torch and torchvision versions of requirements.txt."""
    pins = dict(re.findall(r"(?m)^(torch|torchvision)==(\S+)", (ROOT / "requirements.txt").read_text()))
    page = (CONF / "run.md").read_text()
    return page.replace("TORCHVISION_VERSION", pins["torchvision"]).replace("TORCH_VERSION", pins["torch"])


def assemble(source: Path) -> None:
    """Every page's source under ``source``, with the notebook files and student copies the pages link."""
    shutil.rmtree(source, ignore_errors=True)
    for path in NOTEBOOKS:
        name = path.relative_to(ROOT)
        for folder in (source, source / "_files"):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(page_notebook(path), source / name)
        shutil.copy(path, source / "_files" / name)
    student.write_student_copies(source / "_files" / "student")
    (source / "index.md").write_text(landing_page((ROOT / "README.md").read_text()))
    (source / "run.md").write_text(run_page())
    shutil.copy(ROOT / "notebooks" / "gpu.yaml", source / "gpu.yaml")


def copy_mathjax(static: Path) -> None:
    """The parts of MathJax 3 the pages use, from the installed sphinx-mathjax-offline package."""
    mathjax = Path(importlib.util.find_spec("sphinx-mathjax-offline").origin).parent / "static" / "mathjax"
    for part in MATHJAX_PARTS:
        target = static / "mathjax" / part
        if (mathjax / part).is_dir():
            shutil.copytree(mathjax / part, target, dirs_exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(mathjax / part, target)


def write_slides(output: Path) -> None:
    """Each deck's slides from its committed outputs (no execution) as utils.slides draws them, linking the pages."""
    for path in NOTEBOOKS:
        if path.parent.name == "lectures":
            notebook = nbformat.read(path, as_version=4)
            (output / "slides").mkdir(parents=True, exist_ok=True)
            title = notebook.cells[0].source.splitlines()[0].lstrip("# ")
            deck = re.sub(r'href="([^":]+)\.ipynb"', r'href="\1.html"', slides.render(notebook, title))  # the pages
            (output / "slides" / f"{path.stem}.html").write_text(deck)


def build(output: Path = BUILD / "book", work: Path | None = None) -> Path:
    """The website into ``output`` (sources into ``work``, default ``<output>-src``); returns its index.html."""
    work = work or output.with_name(f"{output.name}-src")
    assemble(work / "src")
    shutil.rmtree(work / "html", ignore_errors=True)  # built inside work: MyST-NB writes beside its output folder
    app = Sphinx(work / "src", CONF, work / "html", work / "doctrees", "html", freshenv=True, warningiserror=True,
                 status=None)
    app.build()
    if app.statuscode:
        raise SystemExit("the website did not build: see Sphinx's warnings above")
    shutil.rmtree(output, ignore_errors=True)  # no page left over from an earlier build
    shutil.move(work / "html", output)
    copy_mathjax(output / "_static")
    write_slides(output)
    return output / "index.html"


if __name__ == "__main__":
    print(build(*[Path(a).resolve() for a in sys.argv[1:]]))
