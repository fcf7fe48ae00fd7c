"""Typed values of the command line's options: parsed once in `cli/`, taken as they are by the actions.

The actions never see `42/50` or `"year"`: `cli/values.py` turns each option's text into one of
these (a mistake is a usage error of the option), so the core checks meaning, never syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path


class Period(StrEnum):
    """The period of a monitoring report (manual section 7): the first half or the whole fiscal year."""

    half = "half"
    year = "year"


class ExportFormat(StrEnum):
    """Formats of `sop export`."""

    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    html = "html"


@dataclass(frozen=True)
class Count:
    """Responses returned of expected (`--count 42/50`): 0 <= received <= expected, expected >= 1."""

    received: int
    expected: int


@dataclass(frozen=True)
class DeadlineRef:
    """A rule's ref as `sop due` shows it (`--met 6.4`, `--ref 7.1`), in Arabic digits, not yet checked."""

    text: str


@dataclass(frozen=True)
class Evidence:
    """An evidence argument, checked: a local regular file to copy, or an http(s) link."""

    source: Path | None = None
    link: str | None = None
