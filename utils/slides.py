"""The lecture deck, in English and in Russian, as self-contained HTML files that need no network to show.

    python -m utils.slides                        # make slides: both editions into build/slides/
    python -m utils.slides sync                   # copy the English deck's code cells into the Russian edition

The deck (``lectures/cnn_architectures.ipynb``) is executed from a fresh
kernel, so every table and chart on the slides is computed by this run, then
written as a reveal.js presentation: reveal.js, its notes plugin and its
theme come from an installed package (``sphinx-revealjs`` ships them) and
are inlined, figures are embedded as data, and nothing is fetched from a
CDN. Cell metadata decides the slides, as in RISE: ``slide``, ``subslide``,
``fragment``, ``skip``, ``notes`` (speaker notes, key ``s``); a code cell
whose input is collapsed (``jupyter.source_hidden``) shows only its result.

The two editions (``EDITIONS``) run the same code cells; only the ``LANGUAGE``
parameter differs, which picks the words ``utils`` prints (``utils.i18n``).
Their markdown (bullets, speaker notes) is each edition's own. ``STYLE`` is
the deck's one figure style, drawn for a 1280x720 slide: a figure shows at
most ``FIGURE_BOX`` pixels, and no text on it is smaller than ``MIN_TEXT_PX``
at that size (``tests/test_slides.py`` measures every figure).
"""
import base64
import html
import re
import sys
from pathlib import Path

import nbformat

from utils.course import BUILD, ROOT

DECK = ROOT / "lectures" / "cnn_architectures.ipynb"
EDITIONS = {"en": DECK, "ru": DECK.with_suffix(".ru.ipynb")}
THEME = "white"
SLIDE = (1280, 720)  # reveal.js's canvas, pixels
FIGURE_BOX = (1200, 600)  # the largest a figure shows on a slide, pixels (CSS max-width, max-height)
MIN_TEXT_PX = 14
DPI = 100
STYLE = {"figure.dpi": DPI, "savefig.dpi": DPI, "figure.figsize": (11, 5), "font.size": 17,
         "axes.titlesize": 18, "axes.labelsize": 17, "xtick.labelsize": 15, "ytick.labelsize": 15,
         "legend.fontsize": 15, "figure.titlesize": 19}


def style(language: str = "en") -> None:
    """Set the deck's figure style (``STYLE``) and the language of the words ``utils`` draws."""
    import matplotlib.pyplot as plt

    from utils import i18n

    plt.rcParams.update(STYLE)
    i18n.set_language(language)


def say(template: str, **numbers) -> None:
    """Show ``template`` (markdown, translated by ``utils.i18n``) with ``numbers`` filled in."""
    from IPython.display import Markdown, display

    from utils.i18n import _

    display(Markdown(_(template).format(**numbers)))


def text_sizes(fig) -> list[tuple[float, str]]:
    """Every text drawn on ``fig`` as (its height in pixels once shown on a slide, the text): the figure as
    the notebook saves it (tight bounding box, at its dpi), scaled down to fit ``FIGURE_BOX``."""
    import io

    from matplotlib.backends.backend_agg import RendererAgg
    from PIL import Image

    drawn, original = [], RendererAgg.draw_text

    def record(renderer, gc, x, y, text, prop, *args, **kwargs):
        drawn.append((prop.get_size_in_points(), text))
        return original(renderer, gc, x, y, text, prop, *args, **kwargs)

    buffer = io.BytesIO()
    RendererAgg.draw_text = record
    try:
        fig.savefig(buffer, format="png", dpi=fig.dpi, bbox_inches="tight")
    finally:
        RendererAgg.draw_text = original
    width, height = Image.open(buffer).size
    scale = min(1.0, FIGURE_BOX[0] / width, FIGURE_BOX[1] / height)
    return [(points * fig.dpi / 72 * scale, text) for points, text in drawn if text.strip()]


def _count(n: int) -> str:
    return f"{n / 1e6:.2f} M" if n >= 1e6 else f"{n:,}"


def draw_stages(model, input_size: tuple[int, ...], title: str, stage_of=lambda name: name.split(".")[0],
                per_line: int = 4):
    """The network at stage level, legible on a slide: the boxes of ``utils.diagrams.network_rows`` merged by
    ``stage_of(row name)`` (consecutive rows of one stage become one box), each box with the stage's name, its
    output shape, how many blocks it holds, and its parameters."""
    import math
    import textwrap

    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    from utils import counting, diagrams
    from utils.i18n import _

    stages: list[dict] = []
    for name, row in diagrams.network_rows(model, input_size).iterrows():
        key = stage_of(name)
        if not stages or stages[-1]["name"] != key:
            stages.append({"name": key, "parameters": 0, "blocks": 0, "kind": row["kind"]})
        stage = stages[-1]
        stage["parameters"] += row["total parameters"]
        stage["blocks"] += row["repeat"]
        stage["shape"] = row["shape"]
        stage["label"] = row["layer"].split(": ", 1)[-1]
    lines = math.ceil(len(stages) / per_line)
    fig, ax = plt.subplots(figsize=(11, 1.55 * lines + 0.5))
    ax.set(xlim=(0, per_line), ylim=(lines, 0))
    ax.axis("off")
    for i, stage in enumerate(stages):
        x, y = i % per_line, i // per_line
        ax.add_patch(FancyBboxPatch((x + 0.05, y + 0.06), 0.8, 0.88, boxstyle="round,pad=0.01",
                                    facecolor=diagrams.COLOURS[stage["kind"]], edgecolor="#555555"))
        what = stage["label"] if stage["blocks"] == 1 else _("{n} blocks").format(n=stage["blocks"])
        text = "\n".join([stage["name"], textwrap.shorten(what, 16, placeholder="…"),
                          diagrams.shape_label(stage["shape"]), _("{count} params").format(count=_count(stage["parameters"]))])
        ax.text(x + 0.45, y + 0.5, text, ha="center", va="center", fontsize=STYLE["xtick.labelsize"])
        if x < per_line - 1 and i < len(stages) - 1:
            ax.annotate("", (x + 1.05, y + 0.5), (x + 0.85, y + 0.5), arrowprops={"arrowstyle": "->"})
    ax.set_title(_("{title}: {total} parameters, {macs} multiply-adds").format(
        title=title, total=_count(counting.count_parameters(model)),
        macs=diagrams.macs_label(counting.count_macs(model, input_size))))
    fig.tight_layout()
    return fig


def two_towers(model, title: str):
    """AlexNet's weight layers as two towers, one per GPU, half of each layer's units in each: a layer split
    in two groups reads its own tower only (straight arrows), every other layer reads both (crossed arrows)."""
    import matplotlib.pyplot as plt
    from torch import nn

    from utils.i18n import _

    layers = [m for m in model.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]
    names = [f"conv{i + 1}" for i, m in enumerate(layers) if isinstance(m, nn.Conv2d)]
    names += [f"fc{len(names) + i + 1}" for i in range(len(layers) - len(names))]
    fig, ax = plt.subplots(figsize=(11, 3.6))
    ax.set(xlim=(-0.5, len(layers) - 0.5), ylim=(-0.6, 1.6))
    ax.axis("off")
    for i, (name, layer) in enumerate(zip(names, layers)):
        units = getattr(layer, "out_channels", None) or layer.out_features
        for tower in (0, 1):
            ax.text(i, tower, f"{name}\n{units // 2:,}", ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.3", "facecolor": "#9ecae1" if name.startswith("conv") else "#c7e9c0"})
            if i:
                reads = [tower] if getattr(layer, "groups", 1) == 2 else [0, 1]
                for source in reads:
                    ax.annotate("", (i - 0.3, tower), (i - 0.7, source), arrowprops={"arrowstyle": "->", "color": "#555555"})
    ax.text(-0.45, 1.45, _("GPU 1"), va="bottom")
    ax.text(-0.45, -0.45, _("GPU 2"), va="top")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def reveal_folder() -> Path:
    """reveal.js as shipped inside the sphinx-revealjs package."""
    import sphinx_revealjs

    return Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"


def _output_html(output) -> str:
    """One cell output as HTML: images embedded, HTML kept, text preformatted."""
    if output.output_type == "stream":
        return f"<pre>{html.escape(output.text)}</pre>"
    if output.output_type not in ("display_data", "execute_result"):
        return ""
    data = output.get("data", {})
    if "image/png" in data:
        return f'<img src="data:image/png;base64,{data["image/png"].strip()}">'
    if "image/svg+xml" in data:
        svg = data["image/svg+xml"]
        return f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    if "text/html" in data:
        return data["text/html"]
    if "text/markdown" in data:
        return _markdown(data["text/markdown"])
    if "text/plain" in data and not any(key.startswith("application/") for key in data):
        return f"<pre>{html.escape(data['text/plain'])}</pre>"
    return ""


def _markdown(text: str) -> str:
    """Markdown as HTML, without the pilcrow anchor links nbconvert adds to headings."""
    from nbconvert.filters import markdown2html_mistune

    return re.sub(r'<a class="anchor-link"[^>]*>[^<]*</a>', "", markdown2html_mistune(text))


def _cell_html(cell) -> str:
    if cell.cell_type == "markdown":
        return _markdown(cell.source)
    hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
    code = "" if hidden else f'<pre><code class="language-python">{html.escape(cell.source)}</code></pre>'
    return code + "".join(_output_html(o) for o in cell.outputs)


def slides(notebook: nbformat.NotebookNode) -> list[list[str]]:
    """The deck as slides of subslides, each a list of HTML fragments (speaker notes as <aside>)."""
    deck: list[list[str]] = []
    for cell in notebook.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
        if kind == "skip":
            continue
        body = _cell_html(cell)
        if kind == "notes":
            body = f'<aside class="notes">{body}</aside>'
        elif kind == "fragment":
            body = f'<div class="fragment">{body}</div>'
        if kind == "slide" or not deck:
            deck.append([body])
        elif kind == "subslide":
            deck[-1].append(body)
        else:
            deck[-1][-1] += body
    return deck


def _inline_css(path: Path) -> str:
    return re.sub(r"@import url\([^)]*\);?", "", path.read_text())  # theme fonts are left to the browser


def render(notebook: nbformat.NotebookNode, title: str) -> str:
    """A standalone reveal.js page for the executed ``notebook``."""
    reveal = reveal_folder()
    sections = "\n".join(
        "<section>" + "".join(f"<section>{sub}</section>" for sub in slide) + "</section>" for slide in slides(notebook)
    )
    width, height = FIGURE_BOX
    style = (".reveal{font-size:26px}.reveal h1{font-size:1.9em}.reveal h2{font-size:1.4em}"
             f".reveal img{{max-height:{height}px;max-width:{width}px;margin:0}}.reveal table{{font-size:0.62em}}"
             ".reveal pre{font-size:0.62em}.reveal ul{font-size:0.95em}")
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>{_inline_css(reveal / "dist" / "reset.css")}</style>
<style>{_inline_css(reveal / "dist" / "reveal.css")}</style>
<style>{_inline_css(reveal / "dist" / "theme" / f"{THEME}.css")}</style>
<style>{style}</style></head>
<body><div class="reveal"><div class="slides">
{sections}
</div></div>
<script>{(reveal / "dist" / "reveal.js").read_text()}</script>
<script>{(reveal / "plugin" / "notes" / "notes.js").read_text()}</script>
<script>Reveal.initialize({{hash: true, slideNumber: true, transition: 'none', margin: 0, width: {SLIDE[0]}, height: {SLIDE[1]}, plugins: [RevealNotes]}});</script>
</body></html>
"""


def build(deck: Path = DECK, output: Path | None = None) -> Path:
    """Execute ``deck`` from a fresh kernel and write its slides to ``output`` (build/slides/<deck>.html)."""
    from nbclient import NotebookClient

    notebook = nbformat.read(deck, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(deck.parent)}}).execute()
    output = output or BUILD / "slides" / f"{deck.stem}.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    title = next((c.source.lstrip("# ").splitlines()[0] for c in notebook.cells if c.cell_type == "markdown"), deck.stem)
    output.write_text(render(notebook, title))
    return output


def code_cells(notebook: nbformat.NotebookNode) -> list[str]:
    """The sources of the code cells, the parameters cell without its LANGUAGE line."""
    return [re.sub(r"^LANGUAGE = .*\n?", "", c.source, flags=re.M) for c in notebook.cells if c.cell_type == "code"]


def sync(source: Path = EDITIONS["en"], edition: Path = EDITIONS["ru"], language: str = "ru") -> None:
    """Copy ``source``'s code cells into ``edition`` (cell for cell), keeping the edition's markdown and LANGUAGE."""
    english, translated = nbformat.read(source, as_version=4), nbformat.read(edition, as_version=4)
    kinds = [c.cell_type for c in english.cells], [c.cell_type for c in translated.cells]
    if kinds[0] != kinds[1]:
        raise ValueError(f"{edition.name} does not follow {source.name} cell for cell; translate the new cells first.")
    for mine, theirs in zip(english.cells, translated.cells):
        if mine.cell_type == "code":
            theirs.source = re.sub(r"^LANGUAGE = .*$", f'LANGUAGE = "{language}"', mine.source, flags=re.M)
            theirs.metadata = mine.metadata
    translated.metadata.setdefault("course", {})["default_run_checks"] = english.metadata["course"]["default_run_checks"]
    nbformat.write(translated, edition)


if __name__ == "__main__":
    if sys.argv[1:] == ["sync"]:
        sync()
    else:
        for path in EDITIONS.values():
            print(build(path))
