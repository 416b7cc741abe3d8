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
    plt.close("all")  # measure the deck's figures only, not those another test left open
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


def test_sync_copies_the_code_and_keeps_the_translation(tmp_path):
    def deck(text, code):
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text),
                                               nbformat.v4.new_code_cell(code)],
                                        metadata={"course": {"default_run_checks": {"x": {"equals": 1}}}})
    english, russian = tmp_path / "deck.ipynb", tmp_path / "deck.ru.ipynb"
    nbformat.write(deck("# Title", 'LANGUAGE = "en"\nx = 2'), english)
    nbformat.write(deck("# Заголовок", 'LANGUAGE = "ru"\nx = 1'), russian)
    slides.sync(english, russian)
    synced = nbformat.read(russian, as_version=4)
    assert synced.cells[0].source == "# Заголовок" and synced.cells[1].source == 'LANGUAGE = "ru"\nx = 2'
    english_deck = nbformat.read(english, as_version=4)
    english_deck.cells.append(nbformat.v4.new_markdown_cell("new, untranslated"))
    nbformat.write(english_deck, english)
    with pytest.raises(ValueError, match="cell for cell"):
        slides.sync(english, russian)


def test_stages_merge_the_boxes_and_keep_every_parameter():
    import matplotlib
    import matplotlib.pyplot as plt

    from utils import counting
    from utils.nets import resnet

    matplotlib.use("Agg")
    model = counting.on_meta(resnet.resnet, 50)
    stage = {"conv1": "stem", "maxpool": "stem", "avgpool": "head", "fc": "head"}
    fig = slides.draw_stages(model, (1, 3, 224, 224), "ResNet-50", lambda name: stage.get(name, name.split(".")[0]))
    texts = [t.get_text() for t in fig.axes[0].texts if t.get_text()]  # the boxes (arrows have no text)
    plt.close(fig)
    assert [t.split("\n")[0] for t in texts] == ["stem", "layer1", "layer2", "layer3", "layer4", "head"]
    assert texts[3].split("\n")[1] == "6 blocks" and texts[3].split("\n")[2] == "1024 x 14 x 14"
    assert f"{counting.count_parameters(model) / 1e6:.2f} M parameters" in fig.axes[0].get_title()
