"""The offline slides in a real browser: every slide of both editions fits a 1280x720 frame.

The HTML is what ``make slides`` writes, rendered here from the committed, executed decks (nothing is run).
Chromium is Debian's (``/usr/bin/chromium``), driven by the pinned playwright package; without it the test is
skipped, except in CI (``CI=true``), where a missing browser is a failure.
"""
import os
import shutil
from pathlib import Path

import nbformat
import pytest

from utils import slides

ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-quic"]


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("CI=true but no Chromium was found (shutil.which('chromium'), /usr/bin/chromium)")
    pytest.skip("no Chromium on the PATH or at /usr/bin/chromium: install Debian's chromium package to walk the slides")


# Every slide, horizontal and vertical, with the size of its content against the frame's.
WALK = """() => {
  const out = [];
  const frame = Reveal.getConfig();
  Reveal.getHorizontalSlides().forEach((column, h) => {
    const rows = column.querySelectorAll(':scope > section');
    const count = Math.max(rows.length, 1);
    for (let v = 0; v < count; v++) {
      Reveal.slide(h, v);
      const slide = Reveal.getCurrentSlide();
      const heading = slide.querySelector('h1, h2, h3');
      const sizes = [...slide.querySelectorAll('*')]
        .filter(el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && el.closest('aside') === null)
        .map(el => parseFloat(getComputedStyle(el).fontSize) * Reveal.getScale());
      out.push({h, v, height: slide.scrollHeight, width: slide.scrollWidth, smallest: Math.min(...sizes, 99),
                title: heading ? heading.textContent : column.querySelector('h1, h2, h3')?.textContent || ''});
    }
  });
  return {slides: out, width: frame.width, height: frame.height};
}"""


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    executable = chromium()
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


def overflowing(browser, notebook, path: Path) -> tuple[int, list]:
    """Walk every slide of ``notebook``'s HTML at 1280x720: every slide (with its smallest text, in displayed
    pixels), and those larger than the frame."""
    path.write_text(slides.render(notebook, "deck"))
    page = browser.new_page(viewport={"width": slides.SLIDE[0], "height": slides.SLIDE[1]})
    page.goto(path.as_uri())
    page.wait_for_function("() => window.Reveal && Reveal.isReady()")
    page.wait_for_load_state("load")  # the embedded figures have their sizes
    walked = page.evaluate(WALK)
    page.close()
    assert (walked["width"], walked["height"]) == slides.SLIDE
    return walked["slides"], [(s["h"], s["v"], s["title"], s["width"], s["height"]) for s in walked["slides"]
                              if s["height"] > walked["height"] or s["width"] > walked["width"]]


@pytest.mark.parametrize("language", sorted(slides.EDITIONS))
def test_no_slide_overflows_1280x720_and_no_text_is_below_14_px(browser, language, tmp_path):
    walked, over = overflowing(browser, nbformat.read(slides.EDITIONS[language], as_version=4), tmp_path / "deck.html")
    assert len(walked) >= 25
    assert not over, f"slides larger than {slides.SLIDE[0]}x{slides.SLIDE[1]} (h, v, title, width, height): {over}"
    small = [(s["h"], s["v"], s["title"], round(s["smallest"], 1)) for s in walked if s["smallest"] < slides.MIN_TEXT_PX]
    assert not small, f"text smaller than {slides.MIN_TEXT_PX} px on (h, v, title, px): {small}"


def test_the_walk_catches_an_overflowing_slide_and_small_text(browser, tmp_path):
    long_list = "\n".join(f"- point {i}" for i in range(40))
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell('## Fits\n<span style="font-size:9px">tiny</span>',
                                      metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_markdown_cell(f"## Too long\n{long_list}", metadata={"slideshow": {"slide_type": "slide"}}),
    ])
    walked, over = overflowing(browser, notebook, tmp_path / "deck.html")
    assert len(walked) == 2 and [(h, title) for h, _, title, _, _ in over] == [(1, "Too long")]
    assert walked[0]["smallest"] == 9 and walked[1]["smallest"] >= slides.MIN_TEXT_PX
