"""The course website (`make book`) as a reader meets it: every notebook a page with all its figures, offline.

The site is built once for this module into a temporary folder, from the committed notebooks. The browser test
serves it on loopback to Debian's Chromium (driven by the pinned playwright package, as in test_browser.py),
visits every page of the table of contents and the slides they link, and fails on any request that would leave
the machine.
"""
import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import nbformat
import pytest
from bs4 import BeautifulSoup

from tests.notebook_runs import find_chromium, no_browser_in_ci
from utils import book
from utils.course import NOTEBOOKS, ROOT

CHROMIUM = find_chromium()
OFFLINE_FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-quic"]
pytestmark = pytest.mark.filterwarnings("ignore:.*Check CHANGES for Sphinx API modifications")  # the theme's, MyST's


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    book.build(folder / "book", folder / "book-src")
    return folder / "book"


def page_of(site: Path, notebook: Path) -> BeautifulSoup:
    return BeautifulSoup((site / notebook.relative_to(ROOT).with_suffix(".html")).read_text(), "html.parser")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_has_a_page_with_every_figure(site, path):
    notebook = nbformat.read(path, as_version=4)
    page = page_of(site, path)
    assert page.h1.get_text().rstrip("#") == notebook.cells[0].source.splitlines()[0].lstrip("# ")
    images = sum(any(mime.startswith("image/") for mime in output.get("data", {}))
                 for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs)
    assert len(page.select("div.cell_output img:not(.course-still)")) == images  # stills: explorers' saved pictures


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_page_links_its_notebook_and_the_exercises_or_the_slides(site, path):
    page = site / path.relative_to(ROOT).with_suffix(".html")
    hrefs = [unquote(a["href"]) for a in page_of(site, path).select(".admonition.note a[href]")]
    linked = [nbformat.read(page.parent / href, as_version=4) for href in hrefs if href.endswith(".ipynb")]
    assert nbformat.read(path, as_version=4) in linked  # the committed notebook itself, outputs included
    if path.parent.name == "lectures":
        assert f"../slides/{path.stem}.html" in hrefs and (site / "slides" / f"{path.stem}.html").is_file()
    else:
        students = [nb for nb in linked if any("not_done(" in cell.source for cell in nb.cells)]
        assert students  # the student copy: solutions stubbed, and those cells without outputs
        assert not any(cell.get("outputs") for cell in students[0].cells if "solution" in cell.metadata.get("tags", []))


def test_widgets_become_stills_or_a_sentence_and_no_widget_manager_is_loaded(site):
    state = {
        "bar": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_l", "IPY_MODEL_p", "IPY_MODEL_r"],
                                                     "layout": "IPY_MODEL_shown"}},
        "hidden": {"model_name": "HBoxModel", "state": {"children": ["IPY_MODEL_l", "IPY_MODEL_p", "IPY_MODEL_r"],
                                                        "layout": "IPY_MODEL_gone"}},
        "explorer": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_l", "IPY_MODEL_o"]}},
        "blank": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_l"]}},
        "o": {"model_name": "OutputModel", "state": {"outputs": [{"output_type": "display_data",
                                                                  "data": {"image/png": "iVBORw0K\n"}}]}},
        "l": {"model_name": "HTMLModel", "state": {"value": "epochs: 100%"}},
        "p": {"model_name": "FloatProgressModel", "state": {"value": 6.0, "max": 6.0}},
        "r": {"model_name": "HTMLModel", "state": {"value": "6/6 [00:10&lt;00:00]"}},
        "shown": {"model_name": "LayoutModel", "state": {}},
        "gone": {"model_name": "LayoutModel", "state": {"visibility": "hidden"}},
    }
    widget = [{"output_type": "display_data", "data": {book.WIDGET_VIEW: {"model_id": m}, "text/plain": "VBox()"},
               "metadata": {}} for m in ("bar", "hidden", "explorer", "blank")]
    bar, explorer, blank = [o["data"]["text/html"] for o in book.static_outputs(widget, state)]
    assert "epochs: 100%" in bar and '<progress value="6.0" max="6.0">' in bar and "6/6 [00:10&lt;00:00]" in bar
    assert "JupyterLab" in explorer and explorer.endswith('src="data:image/png;base64,iVBORw0K">')
    assert "JupyterLab" in blank and "<img" not in blank
    for path in NOTEBOOKS:
        text = (site / path.relative_to(ROOT).with_suffix(".html")).read_text()
        assert "widget-view+json" not in text and "require.js" not in text and "html-manager" not in text


def test_no_page_names_a_resource_on_the_network(site):
    for html in site.rglob("*.html"):
        page = BeautifulSoup(html.read_text(), "html.parser")
        sources = [tag.get("src") for tag in page.select("script[src], img[src]")]
        sources += [tag.get("href") for tag in page.select("link[href]") if "stylesheet" in tag.get("rel", [])]
        assert [s for s in sources if urlparse(s).scheme not in ("", "data") or s.startswith("//")] == [], html


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The site on a loopback static server, as any static host would serve it."""
    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:  # in CI a missing browser fails the test; a student's make test skips it, saying why
        if os.environ.get("CI") == "true":
            no_browser_in_ci()
        pytest.skip("no Chromium (chromium or chromium-browser on the PATH, or /usr/bin/chromium): install Debian's "
                    "chromium package (.ci/run does) to run the browser test of the website")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:  # closes the browser on the way out
        yield p.chromium.launch(executable_path=str(CHROMIUM), args=OFFLINE_FLAGS)


def test_a_reader_visits_every_page_offline_and_finds_degradation(site, served, browser):
    outside, broken, errors = [], [], []
    context = browser.new_context()

    def local_only(route):
        if route.request.url.startswith(served):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    context.route("**/*", local_only)
    context.on("response", lambda r: broken.append(r.url) if r.status >= 400 else None)
    page = context.new_page()
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{served}/index.html")
    toc = page.eval_on_selector_all("nav.bd-docs-nav a.reference.internal", "as => as.map(a => a.href)")
    expected = [f"{served}/{p.relative_to(ROOT).with_suffix('.html').as_posix()}" for p in NOTEBOOKS]
    assert set(expected) | {f"{served}/run.html"} <= set(toc)

    links, ids, visited = set(), {}, [f"{served}/index.html", *toc]
    for url in visited:
        page.goto(url, wait_until="load")
        images = page.eval_on_selector_all("img", "is => is.map(i => [i.src, i.complete && i.naturalWidth > 0])")
        assert [src for src, loaded in images if not loaded] == [], url
        ids[url] = set(page.eval_on_selector_all("[id]", "es => es.map(e => e.id)"))
        hrefs = page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)")
        links |= {h for h in hrefs if h.startswith(served)}
        visited += [h for h in hrefs if "/slides/" in h and h not in visited]
    for link in links:
        target = urlparse(link)
        file = site / unquote(target.path).lstrip("/")
        assert file.is_file() or (file / "index.html").is_file(), f"broken link {link}"
        anchored = target.fragment and not target.fragment.startswith("/")  # "#/..." is a slide, not an anchor
        if anchored and f"{served}{target.path}" in ids:
            assert unquote(target.fragment) in ids[f"{served}{target.path}"], f"broken anchor {link}"

    page.goto(f"{served}/search.html?q=degradation")
    page.wait_for_selector("ul.search li a[href*='notebooks/05_resnet.html']", timeout=30_000)
    assert outside == [], "requests that would leave the machine"
    assert broken == [], "files the pages asked for that the site does not have"
    assert errors == [], "script errors on the pages"


def test_the_cpu_only_install_names_the_pinned_versions(site):
    pins = [line for line in (ROOT / "requirements.txt").read_text().splitlines()
            if line.startswith(("torch==", "torchvision=="))]
    command = "pip install {} {} --index-url https://download.pytorch.org/whl/cpu".format(*pins)
    assert len(pins) == 2 and command in (ROOT / "README.md").read_text()
    assert command in BeautifulSoup((site / "run.html").read_text(), "html.parser").get_text()
