"""The base of every model read from a file, and the small types they share."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from sop_cli.i18n import _


class Frozen(BaseModel):
    """Base for every model read from a file: immutable, unknown keys rejected."""

    # defer_build: a command served from the cache never validates, so it never pays for the schema.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


# C0 controls (but tab and newline), DEL and C1 controls: an escape sequence moves the cursor or
# rewrites a terminal's title, and XML (.docx, .xlsx) cannot hold most of them at all.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_LINE_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f]")


def control_character(text: str, *, multiline: bool = True) -> str | None:
    """Describe the first control character of `text` (tab and newline allowed when `multiline`), or None."""
    found = (_CONTROLS if multiline else _LINE_CONTROLS).search(text)
    if found is None:
        return None
    char = found.group()
    names = {"\t": _("a tab"), "\n": _("a line break"), "\r": _("a carriage return"), "\x1b": _("an escape character")}
    return _("{what} (U+{code}) at character {position}").format(
        what=names.get(char, _("a control character")), code=f"{ord(char):04X}", position=found.start() + 1
    )


def _no_controls(text: str) -> str:
    found = control_character(text)
    if found is not None:
        raise ValueError(
            _("contains {found}; remove it (text may hold tabs and line breaks, no other control)").format(found=found)
        )
    return text


def _one_line(text: str) -> str:
    found = control_character(text, multiline=False)
    if found is not None:
        raise ValueError(
            _("contains {found}; remove it (a name or path is one line without controls)").format(found=found)
        )
    return text


Text = Annotated[str, Field(min_length=1), AfterValidator(_no_controls)]
Line = Annotated[str, Field(min_length=1), AfterValidator(_one_line)]  # names and paths: one line
Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

# Characters that show nothing (or only move text around) and spaces that look like a space.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_SPACES = re.compile(r"\s+")


def normalise_label(label: str) -> str:
    """The label as people read it, to compare labels: NFC, invisible characters dropped, spaces as one space.

    `ครั้งที่ 1`, `ครั้งที่ 1` followed by a zero-width space and `ครั้งที่` with a no-break space
    before `1` look the same on screen and on paper: they are one label.
    """
    text = unicodedata.normalize("NFC", label)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()
