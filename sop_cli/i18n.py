"""Say things in the person's language: Thai by default, English on request.

Every sentence `sop` shows goes through `_()` (or `ngettext()` when it counts something). The
message ids are English; the Thai catalogue lives in `sop_cli/locale/th/LC_MESSAGES/sop.po` and
ships compiled beside it. Write messages with named placeholders, never f-strings, so that the
catalogue can move the words around:

    _("step {step} of procedure {number} done").format(step=3, number=2)
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LANG_ENV = "SOP_LANG"
LANGUAGES = ("th", "en")
DEFAULT_LANGUAGE = "th"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "sop"

_state: dict[str, object] = {"language": None, "translations": None}


def normalise(lang: str) -> str | None:
    """`th`, `en` (also `TH`, `en_US.UTF-8`, `th-TH`), or None for anything else."""
    code = lang.strip().lower().replace("-", "_").split(".")[0].split("_")[0]
    return code if code in LANGUAGES else None


def set_language(lang: str | None) -> None:
    """Choose the language of this process (None: $SOP_LANG, else Thai, whatever the machine's locale)."""
    chosen = normalise(lang) if lang else None
    if chosen is None:
        chosen = normalise(os.environ.get(LANG_ENV, "")) or DEFAULT_LANGUAGE
    _state["language"] = chosen
    _state["translations"] = None


def language() -> str:
    """The language messages are shown in: `th` or `en`."""
    if _state["language"] is None:
        set_language(None)
    value = _state["language"]
    assert isinstance(value, str)
    return value


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
