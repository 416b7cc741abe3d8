"""The language of the words the course's figures and the lecture deck print: English, or Russian.

The messages are kept as a gettext catalogue (``utils/locale/<language>/LC_MESSAGES/course.po``),
read with Babel, so a translator edits them with any .po editor. ``set_language("ru")`` switches
every later ``_()``; English needs no catalogue (a message is its own English text).

    from utils.i18n import _
    _("{count:,} parameters").format(count=60_000)
"""
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "ru")
_current = {"language": "en"}


@cache
def catalogue(language: str) -> dict[str, str]:
    """The translated messages of ``language`` (msgid -> msgstr), empty for English."""
    if language == "en":
        return {}
    from babel.messages.pofile import read_po

    with open(LOCALE / language / "LC_MESSAGES" / "course.po", "rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and m.string}


def set_language(language: str) -> None:
    """Print every later message in ``language`` ('en' or 'ru')."""
    if language not in LANGUAGES:
        raise ValueError(f"LANGUAGE is {language!r}, but it must be one of {', '.join(map(repr, LANGUAGES))}.")
    _current["language"] = language


def language() -> str:
    return _current["language"]


def _(message: str) -> str:
    """``message`` in the current language (itself where the catalogue has no translation)."""
    return catalogue(_current["language"]).get(message, message)
