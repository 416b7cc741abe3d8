"""The course as a student meets it: JupyterLab in headless Chromium, Run All, and the slideshow.

JupyterLab serves a copy of notebooks/ and lectures/ (Run All never writes over the committed files) on
loopback; Debian's Chromium, driven by the pinned playwright package, plays the student. In CI the LeNet,
VGG and transfer-learning notebooks run in full (LeNet's feature-map slider and VGG's architecture explorer
are moved), every other notebook and the deck are opened and checked to render; `make test-browser` runs
every notebook in full. Screenshots go to build/browser/.
"""
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.notebook_runs import chromium_or_skip, find_chromium, no_browser_in_ci
from utils.course import NOTEBOOKS, ROOT

CHROMIUM = chromium_or_skip(find_chromium())  # None only in CI, where the browser fixture fails the test
SHOTS = ROOT / "build" / "browser"
RUN_ALL = {p.stem for p in NOTEBOOKS} if os.environ.get("COURSE_BROWSER_ALL") else {"01_lenet", "03_vgg",
                                                                                    "08_transfer_learning"}
NEWS = "Jupyter news"  # JupyterLab's first-opening question: "... notified about official Jupyter news?"
TOKEN = "course-browser-test"

playwright = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_lab(root: Path, settings: Path | None = None) -> tuple[subprocess.Popen, str]:
    """JupyterLab on loopback serving ``root``; ``settings`` replaces the installed settings folder."""
    port = free_port()
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip", "127.0.0.1", "--port", str(port),
               f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
               "--LabApp.expose_app_in_browser=True", "--allow-root"]
    if settings is not None:
        command.append(f"--LabApp.app_settings_dir={settings}")
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("JupyterLab did not answer on loopback within a minute")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    for folder in ("notebooks", "lectures"):
        shutil.copytree(ROOT / folder, root / folder)
    server, url = start_lab(root)
    yield root, url
    server.terminate()
    server.wait()


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        no_browser_in_ci()
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync"])
        yield chromium
        chromium.close()


def open_notebook(browser, url: str, path: str):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(f"{url}/lab/tree/{path}?reset&token={TOKEN}")  # reset: only this notebook open
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
    page.wait_for_function("""() => { const w = window.jupyterapp.shell.currentWidget;
        return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel
            && w.sessionContext.session.kernel.status === 'idle'; }""", timeout=120_000)
    return page


def output_state(page) -> dict:
    return page.evaluate("""() => { const nb = window.jupyterapp.shell.currentWidget.node; return {
        errors: nb.querySelectorAll('.jp-OutputArea [data-mime-type="application/vnd.jupyter.error"]').length,
        images: [...nb.querySelectorAll('.jp-OutputArea-output img')].map(i => i.complete && i.naturalWidth > 0),
        bars: [...nb.querySelectorAll('.jp-OutputArea .progress-bar')].map(b => b.className),
        cells: nb.querySelectorAll('.jp-Notebook .jp-Cell').length,
    }; }""")


def image_outputs(path: Path) -> int:
    notebook = nbformat.read(path, as_version=4)
    return sum("image/png" in o.get("data", {}) for c in notebook.cells if c.cell_type == "code" for o in c.outputs)


def move_feature_map_slider(page) -> tuple[str, str]:
    """The explorer's picture before and after pressing → on its image slider."""
    explorer = page.locator(".course-explorer").filter(has=page.locator(".noUi-handle")).first
    explorer.scroll_into_view_if_needed()
    before = explorer.locator("img").first.get_attribute("src")
    explorer.locator(".noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("([el, src]) => { const i = el.querySelector('img'); return i && i.src !== src; }",
                           arg=[explorer.element_handle(), before], timeout=60_000)
    return before, explorer.locator("img").first.get_attribute("src")


def pick_vgg_configuration(page, name: str) -> tuple[str, str]:
    """The architecture explorer's diagram before and after choosing configuration ``name``."""
    explorer = page.locator(".course-explorer").filter(has=page.locator("option", has_text="A-LRN")).first
    explorer.scroll_into_view_if_needed()
    before = explorer.locator("img").first.get_attribute("src")
    explorer.locator("select").first.select_option(name)
    page.wait_for_function("([el, src]) => { const i = el.querySelector('img'); return i && i.src !== src; }",
                           arg=[explorer.element_handle(), before], timeout=60_000)
    return before, explorer.locator("img").first.get_attribute("src")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_in_the_browser(served, browser, path):
    root, url = served
    relative = path.relative_to(ROOT).as_posix()
    page = open_notebook(browser, url, relative)
    assert page.get_by_text(NEWS).count() == 0, "JupyterLab greets the student with its news pop-up"
    if path.stem in RUN_ALL:
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_timeout(3000)
        page.wait_for_function("""() => {
            const nb = window.jupyterapp.shell.currentWidget.node;
            const busy = [...nb.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'));
            return !busy && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'; }""",
                               timeout=900_000, polling=1000)
    state = output_state(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{path.stem}.png"))
    assert state["errors"] == 0
    assert state["cells"] == len(nbformat.read(path, as_version=4).cells)
    assert state["images"] and all(state["images"]), "every figure is rendered"
    assert len(state["images"]) >= image_outputs(path)
    assert all("progress-bar-success" in bar for bar in state["bars"]), state["bars"]  # every bar finished
    if path.stem == "01_lenet" and path.stem in RUN_ALL:
        before, after = move_feature_map_slider(page)
        assert before != after
    if path.stem == "03_vgg" and path.stem in RUN_ALL:  # the architecture explorer redraws for another network
        before, after = pick_vgg_configuration(page, "B")
        assert before != after
    page.close()


def test_jupyterlab_news_pop_up_appears_without_the_course_settings(tmp_path, browser):
    """The check above can fail: with an empty settings folder, JupyterLab asks about its news."""
    (tmp_path / "notebooks").mkdir()
    shutil.copy(ROOT / "notebooks" / "01_lenet.ipynb", tmp_path / "notebooks")
    server, url = start_lab(tmp_path, settings=tmp_path / "no-settings")
    try:
        page = open_notebook(browser, url, "notebooks/01_lenet.ipynb")
        page.get_by_text(NEWS).first.wait_for(timeout=30_000)
    finally:
        server.terminate()
        server.wait()


def test_installed_settings_are_the_courses():
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert installed.read_text() == (ROOT / "utils" / "jupyterlab" / "overrides.json").read_text(), \
        "make lab installs the course's JupyterLab settings"


def test_rise_slideshow_starts_and_advances(served, browser):
    root, url = served
    page = open_notebook(browser, url, "lectures/cnn_architectures.ipynb")
    with page.context.expect_page(timeout=60_000) as opened:
        page.evaluate("window.jupyterapp.commands.execute('RISE:slideshow')")
    show = opened.value
    frame_url = lambda: next(f for f in show.frames if "/rise/" in f.url)  # noqa: E731
    show.wait_for_function("() => true")
    slide = lambda: frame_url().locator(".reveal .slides > section.present").inner_text()  # noqa: E731
    frame_url().wait_for_selector(".reveal .slides > section.present", timeout=60_000)
    first = slide()
    assert "CONVOLUTIONAL NETWORK ARCHITECTURES" in first.upper()
    show.keyboard.press("ArrowRight")
    show.wait_for_timeout(1500)
    second = slide()
    SHOTS.mkdir(parents=True, exist_ok=True)
    show.screenshot(path=str(SHOTS / "slideshow.png"))
    assert second != first and "LENET-5" in second.upper()
