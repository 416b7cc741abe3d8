"""The lecture deck as one self-contained HTML file that needs no network to show.

    python -m utils.slides [DECK] [OUTPUT]        # make slides

The deck (``lectures/cnn_architectures.ipynb``) is executed from a fresh
kernel, so every table and chart on the slides is computed by this run, then
written as a reveal.js presentation: reveal.js, its notes plugin and its
theme come from an installed package (``sphinx-revealjs`` ships them) and
are inlined, figures are embedded as data, and nothing is fetched from a
CDN. Cell metadata decides the slides, as in RISE: ``slide``, ``subslide``,
``fragment``, ``skip``, ``notes`` (speaker notes, key ``s``); a code cell
whose input is collapsed (``jupyter.source_hidden``) shows only its result.
"""
import base64
import html
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.filters import markdown2html_mistune

ROOT = Path(__file__).resolve().parents[1]
DECK = ROOT / "lectures" / "cnn_architectures.ipynb"
THEME = "white"


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
    style = ".reveal{font-size:26px}.reveal h1{font-size:1.9em}.reveal h2{font-size:1.4em}" \
            ".reveal img{max-height:640px;max-width:100%;margin:0}.reveal table{font-size:0.6em}" \
            ".reveal pre{font-size:0.5em}.reveal ul{font-size:0.95em}"
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
<script>Reveal.initialize({{hash: true, slideNumber: true, width: 1280, height: 800, plugins: [RevealNotes]}});</script>
</body></html>
"""


def build(deck: Path = DECK, output: Path | None = None) -> Path:
    """Execute ``deck`` from a fresh kernel and write its slides to ``output`` (build/slides/<deck>.html)."""
    from nbclient import NotebookClient

    notebook = nbformat.read(deck, as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(deck.parent)}}).execute()
    output = output or ROOT / "build" / "slides" / f"{deck.stem}.html"
    output.parent.mkdir(parents=True, exist_ok=True)
    title = next((c.source.lstrip("# ").splitlines()[0] for c in notebook.cells if c.cell_type == "markdown"), deck.stem)
    output.write_text(render(notebook, title))
    return output


if __name__ == "__main__":
    arguments = [Path(a) for a in sys.argv[1:]]
    print(build(*arguments))
