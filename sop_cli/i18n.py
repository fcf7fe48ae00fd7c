"""Say things in the person's language: Thai by default, English on request.

Every sentence `sop` shows goes through `_()` (or `ngettext()` when it counts something). The
message ids are English; the Thai catalogue lives in `sop_cli/locale/th/LC_MESSAGES/sop.po` and
ships compiled beside it (`sop.mo`). Write messages with named placeholders, never f-strings, so
that the catalogue can move the words around:

    _("step {step} of procedure {number} done").format(step=3, number=2)

Never call `_()` while a module is being imported: the language is chosen in `cli.main`, after
the command modules are imported. A text that must be written down at import time (a module-level
table, an option's help) is marked with `N_()`, which returns it unchanged so that extraction
finds it, and is translated with `_()` where it is used.
"""

from __future__ import annotations

import gettext
from pathlib import Path

LANG_ENV = "SOP_LANG"
LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sop"

_state: dict[str, object] = {"language": None, "translations": None}


def normalise(lang: str) -> str | None:
    """`th`, `en` (also `TH`, `en_US.UTF-8`, `th-TH`, `thai`, `english`), or None for anything else."""
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    code = {"thai": "th", "english": "en"}.get(code, code)
    return code if code in LANGUAGES else None


def set_language(lang: str | None) -> None:
    """Choose the language of this process: `th`, `en`, or None for the default (Thai).

    Thai is the default whatever the machine's locale says: office computers are often set to
    English while their users read Thai.
    """
    chosen = normalise(lang) if lang else None
    _state["language"] = chosen or DEFAULT_LANGUAGE
    _state["translations"] = None


def language() -> str:
    """The language messages are shown in: `th` or `en`."""
    if _state["language"] is None:
        set_language(None)
    value = _state["language"]
    assert isinstance(value, str)
    return value


def chosen() -> bool:
    """Whether a language was chosen (or used) in this process; False right after the imports."""
    return _state["language"] is not None


def _translations() -> gettext.NullTranslations:
    found = _state["translations"]
    if isinstance(found, gettext.NullTranslations):
        return found
    lang = language()
    loaded: gettext.NullTranslations
    if lang == "en":
        loaded = gettext.NullTranslations()  # the message ids are the English text
    else:
        loaded = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    _state["translations"] = loaded
    return loaded


def _(message: str) -> str:
    """`message` in the chosen language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message for `count`, in the chosen language."""
    return _translations().ngettext(singular, plural, count)


# `N_` is the name gettext's tools know for "mark now, translate later".
def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it now (it is translated where used)."""
    return message
