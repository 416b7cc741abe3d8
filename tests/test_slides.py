"""make slides: the deck as one offline HTML file, every section in it, nothing fetched from another host."""
import re

import nbformat
import pytest

from utils import slides

DECK = nbformat.read(slides.DECK, as_version=4)
EXTERNAL = re.compile(r"""(?:src|srcset)\s*=\s*["']?\s*(?:https?:)?//|<link[^>]+href\s*=\s*["']?\s*(?:https?:)?//"""
                      r"""|url\(\s*["']?(?:https?:)?//|@import""", re.IGNORECASE)


@pytest.fixture(scope="module")
def page():
    return slides.render(DECK, "deck")


def section_titles(notebook):
    return [c.source.splitlines()[0].lstrip("# ").strip() for c in notebook.cells
            if c.cell_type == "markdown" and c.metadata.get("slideshow", {}).get("slide_type") == "slide"]


def test_every_section_title_is_a_slide(page):
    titles = section_titles(DECK)
    assert len(titles) >= 10
    for title in titles:
        assert f"{title}</h" in page.replace("&amp;", "&"), title


def test_nothing_is_fetched_from_another_host(page):
    assert not EXTERNAL.findall(page)
    assert "Reveal.initialize" in page and "reveal.js 5" in page  # inlined from the installed package
    assert page.count('src="data:image/png;base64,') >= 10  # figures embedded


def test_the_pattern_would_catch_a_cdn():
    assert EXTERNAL.search('<script src="https://unpkg.com/reveal.js/dist/reveal.js"></script>')
    assert EXTERNAL.search('<link rel="stylesheet" href="//cdn.example/reveal.css">')
    assert not EXTERNAL.search('<a href="https://arxiv.org/abs/1512.03385">the paper</a>')  # a link is not a fetch


def test_skipped_cells_and_notes():
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# One", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("x = 1", metadata={"slideshow": {"slide_type": "skip"}}),
        nbformat.v4.new_markdown_cell("say this", metadata={"slideshow": {"slide_type": "notes"}}),
        nbformat.v4.new_markdown_cell("# Two", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell("down", metadata={"slideshow": {"slide_type": "subslide"}}),
    ])
    deck = slides.slides(notebook)
    assert len(deck) == 2 and len(deck[1]) == 2
    assert "x = 1" not in deck[0][0] and '<aside class="notes"><p>say this</p>' in deck[0][0]


def test_build_executes_the_deck(tmp_path):
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Tiny deck", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("print(6 * 7)", metadata={"jupyter": {"source_hidden": True}}),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    deck = tmp_path / "tiny.ipynb"
    nbformat.write(notebook, deck)
    page = slides.build(deck, tmp_path / "tiny.html").read_text()
    assert "<pre>42\n</pre>" in page and "print(6 * 7)" not in page
