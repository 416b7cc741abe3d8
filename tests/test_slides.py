"""make slides: the deck as one offline HTML file per edition, every section in it, nothing fetched from another host;
both editions run the same code, and every figure is legible on a 1280x720 slide."""
import html
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


@pytest.mark.parametrize("language", sorted(slides.EDITIONS))
def test_every_section_title_is_a_slide(language):
    notebook = nbformat.read(slides.EDITIONS[language], as_version=4)
    titles, page = section_titles(notebook), html.unescape(slides.render(notebook, "deck"))
    assert len(titles) >= 10
    for title in titles:
        assert f"{title}</h" in page, title


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


# ---------------------------------------------------------------- both editions, legible, paced

EDITIONS = {language: nbformat.read(path, as_version=4) for language, path in slides.EDITIONS.items()}
TIMING = re.compile(r"⏱ (\d+) (?:min|мин)")


def test_the_editions_run_the_same_code():
    english, russian = EDITIONS["en"], EDITIONS["ru"]
    assert slides.code_cells(english) == slides.code_cells(russian)
    assert [c.cell_type for c in english.cells] == [c.cell_type for c in russian.cells]
    assert 'LANGUAGE = "en"' in english.cells[2].source and 'LANGUAGE = "ru"' in russian.cells[2].source
    markdown = [(a.source, b.source) for a, b in zip(english.cells, russian.cells) if a.cell_type == "markdown"]
    assert sum(a != b for a, b in markdown) >= len(markdown) - 2  # the text is translated (links may stay alike)


def test_code_cells_ignore_only_the_language():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('X = 1\nLANGUAGE = "ru"')])
    other = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('X = 2\nLANGUAGE = "en"')])
    assert slides.code_cells(notebook) == ["X = 1\n"] and slides.code_cells(notebook) != slides.code_cells(other)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_speaker_notes_pace_ninety_minutes(language):
    notes = [c.source for c in EDITIONS[language].cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    minutes = [int(m) for source in notes for m in TIMING.findall(source)]
    assert len(minutes) >= 10 and sum(minutes) == 90, minutes


@pytest.fixture(scope="module", params=["en", "ru"])
def deck_run(request, tmp_path_factory):
    """Run the deck's code in this process, in ``language``: every figure's text sizes, and each live cell's seconds."""
    import os
    import time

    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    sizes, live = {}, {}
    namespace = {}
    cwd = os.getcwd()
    os.chdir(slides.DECK.parent)
    try:
        for index, cell in enumerate(EDITIONS["en"].cells):
            if cell.cell_type != "code":
                continue
            source = re.sub(r'^LANGUAGE = .*$', f'LANGUAGE = "{request.param}"', cell.source, flags=re.M)
            start = time.perf_counter()
            exec(compile(source, f"cell {index}", "exec"), namespace)
            if "live" in cell.metadata.get("tags", []):
                live[index] = time.perf_counter() - start
            for number in plt.get_fignums():
                sizes[(index, number)] = slides.text_sizes(plt.figure(number))
            plt.close("all")
    finally:
        os.chdir(cwd)
        plt.rcdefaults()
        from utils import i18n
        i18n.set_language("en")
    return sizes, live


def test_no_text_on_a_deck_figure_is_below_14_px(deck_run):
    sizes, _ = deck_run
    assert len(sizes) >= 12
    small = {key: [(round(px, 1), text) for px, text in texts if px < slides.MIN_TEXT_PX] for key, texts in sizes.items()}
    assert not {key: texts for key, texts in small.items() if texts}


def test_three_to_five_live_moments_each_under_ten_seconds(deck_run):
    _, live = deck_run
    assert 3 <= len(live) <= 5 and max(live.values()) < 10, live


def test_the_measure_catches_small_text():
    import matplotlib
    import matplotlib.pyplot as plt

    matplotlib.use("Agg")
    fig, ax = plt.subplots(figsize=(11, 5), dpi=slides.DPI)
    ax.set_title("seven points", fontsize=7)
    ax.set_xlabel("fourteen points", fontsize=14)
    sizes = dict((text, px) for px, text in slides.text_sizes(fig))
    plt.close(fig)
    assert sizes["seven points"] < slides.MIN_TEXT_PX < sizes["fourteen points"]
    assert sizes["fourteen points"] == pytest.approx(14 * slides.DPI / 72)


def test_the_transfer_slide_agrees_with_notebook_08():
    from utils import results

    deck = results.collect(slides.DECK)["transfer_rules"]
    run = results.collect(slides.ROOT / "notebooks" / "08_transfer_learning.ipynb")
    assert deck == {str(n): run.get(f"rule {n} held") for n in range(1, 5)}
