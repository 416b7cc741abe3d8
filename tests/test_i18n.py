"""utils.i18n: the words utils draws, in English or Russian, and a catalogue that covers every message."""
import ast

import matplotlib
import nbformat
import pytest

from utils import counting, diagrams, i18n, slides
from utils.nets import resnet

matplotlib.use("Agg")


def messages(source: str) -> set[str]:
    """The literal messages passed to ``_()`` or ``slides.say()`` in a piece of Python."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if name in ("_", "say") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


@pytest.fixture
def russian():
    i18n.set_language("ru")
    yield
    i18n.set_language("en")


def test_every_message_has_a_russian_translation():
    deck = nbformat.read(slides.DECK, as_version=4)
    used = set().union(*(messages(c.source) for c in deck.cells if c.cell_type == "code"))
    for module in (diagrams, slides, __import__("utils.viz").viz):
        used |= messages(open(module.__file__).read())
    assert len(used) >= 60
    assert not sorted(used - set(i18n.catalogue("ru")))


def test_english_is_the_message_itself_and_russian_comes_from_the_catalogue(russian):
    assert i18n._("input channel") == "входной канал"
    i18n.set_language("en")
    assert i18n._("input channel") == "input channel" and i18n._("no such message") == "no such message"


def test_a_figure_speaks_the_chosen_language(russian):
    fig = diagrams.draw_block(counting.on_meta(resnet.resnet, 18).layer1[0], (1, 64, 56, 56), "блок")
    assert "параметров" in fig._suptitle.get_text() and "parameters" not in fig._suptitle.get_text()
    matplotlib.pyplot.close(fig)


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="LANGUAGE is 'de', but it must be one of 'en', 'ru'"):
        i18n.set_language("de")
