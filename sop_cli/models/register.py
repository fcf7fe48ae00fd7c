"""Model the office's registers: the numbers issued (one immutable entry each), received letters, withdrawals."""

from __future__ import annotations

import datetime as dt
import re
from typing import Final, Literal

from pydantic import Field, model_validator

from sop_cli.i18n import _
from sop_cli.models.base import Frozen, Id, Text
from sop_cli.models.document_kinds import DOCUMENTS
from sop_cli.models.document_kinds import DocKind as DocKind  # re-exported: the register is where people look
from sop_cli.models.document_kinds import Series as Series
from sop_cli.models.records import RunId, Sha256
from sop_cli.thai_calendar import arabic_digits, be_year

REGISTER_SCHEMA_VERSION: Final = 1  # written into every register file; readers accept this version

# The reason written on a number whose command stopped after the office's server had it.
INTERRUPTED = "interrupted"

# The series each kind of document may take its number from.
_KIND_SERIES: dict[str, tuple[Series, ...]] = {kind: spec.series for kind, spec in DOCUMENTS.items()}


def series_of(kind: DocKind, circular: bool = False) -> Series:
    """The series a kind of document takes its number from (a letter to many: the circular series)."""
    series = DOCUMENTS[kind].series
    return Series.circular if circular and Series.circular in series else series[0]


def printed_number(series: Series, number: int, year: int, code: str) -> str:
    """The number as printed: `ศธ 0288/123`, a circular `ศธ 0288/ว 12`, an order `12/2570`, received `รับ 12`."""
    if series is Series.order:
        return f"{number}/{year}"
    if series is Series.circular:
        return f"{code}/ว {number}"
    if series is Series.incoming:
        return f"รับ {number}"
    return f"{code}/{number}"


_ORDER = re.compile(r"(\d{1,6})\s*/\s*(\d{4})")
_CIRCULAR = re.compile(r"(?:.*/\s*)?ว\.?\s*(\d{1,6})")
_INCOMING = re.compile(r"(?:เลข)?รับ(?:ที่)?\s*(\d{1,6})")
_OUTGOING = re.compile(r"(?:.*/\s*)?(\d{1,6})")


def parse_number(text: str) -> tuple[Series, int, int | None] | None:
    """(series, number, year if the text names it) of a number as people write it, or None.

    `12` and `ศธ ๐๒๘๘/๑๒` are outgoing, `ศธ ๐๒๘๘/ว ๑๒` and `ว12` circular, `๓/๒๕๖๙` an order of
    2569, `รับ 12` (or `เลขรับ 12`) a received letter.
    """
    plain = arabic_digits(text).strip()
    order = _ORDER.fullmatch(plain)
    if order and 2500 <= int(order.group(2)) <= 2700:
        return Series.order, int(order.group(1)), int(order.group(2))
    for pattern, series in ((_INCOMING, Series.incoming), (_CIRCULAR, Series.circular), (_OUTGOING, Series.outgoing)):
        found = pattern.fullmatch(plain)
        if found:
            return series, int(found.group(1)), None
    return None


class PdfCopy(Frozen):
    """The PDF/A written beside a document, as e-saraban systems take it."""

    document: Text  # path of the .pdf: relative to the workspace when inside it
    sha256: Sha256
    size: int = Field(ge=0)


class RegisterEntry(Frozen):
    """One issued number (or one version of it): what, when, by whom, for which run and step, and which file."""

    schema_version: Literal[1]
    series: Series
    year: int = Field(ge=2500, le=2700)  # Buddhist Era calendar year of `issued`
    number: int = Field(ge=1)
    printed: Text  # as the document prints it: ศธ ๐๒๘๘/๑๒๓, ศธ ๐๒๘๘/ว ๑๒, ๑๒/๒๕๗๐
    kind: DocKind
    subject: Text
    to: Text | None = None  # the addressee (เรียน …), for memos and letters
    issued: dt.date
    at: dt.datetime  # when the number was taken (for a corrected version: when it was written)
    by: Id
    # The absent holder of the step whose work `by` did as their substitute (sop leave --substitute).
    stands_in_for: Id | None = None
    procedure: int = Field(ge=1, le=99)
    fy: int | None = Field(default=None, ge=2500, le=2700)
    run: RunId | None = None  # None: generated with --no-run
    step: int | None = Field(default=None, ge=1)
    document: Text  # path of the .docx: relative to the workspace when inside it
    sha256: Sha256
    size: int = Field(ge=0)
    # The agencies a circular goes to (their names), in the order of the distribution list.
    distribution: tuple[Text, ...] = ()
    pdf: PdfCopy | None = None  # the PDF/A written beside the .docx
    # A corrected document reissued under the same number: its version, the register file of the
    # version it replaces (which stays, as history) and why.
    version: int = Field(default=1, ge=1)
    corrects: Text | None = None
    reason: Text | None = None

    @model_validator(mode="after")
    def _consistent(self) -> RegisterEntry:
        allowed = _KIND_SERIES[self.kind]
        if self.series not in allowed:
            raise ValueError(
                _("a {kind} takes its number from the {value} series").format(kind=self.kind, value=allowed[0].value)
            )
        if be_year(self.issued) != self.year:
            raise ValueError(
                _("issued on {isoformat}, so its year is {be_year}").format(
                    isoformat=self.issued.isoformat(), be_year=be_year(self.issued)
                )
            )
        if (self.version > 1) != (self.corrects is not None) or (self.corrects is None) != (self.reason is None):
            raise ValueError(_("a corrected version (version 2 or later) names the entry it corrects and the reason"))
        return self


class ReceivedEntry(Frozen):
    """One letter the office received (ทะเบียนหนังสือรับ): its incoming number, sender, their number and date, the copy."""

    schema_version: Literal[1]
    series: Literal[Series.incoming]
    year: int = Field(ge=2500, le=2700)  # Buddhist Era calendar year of `received`
    number: int = Field(ge=1)
    printed: Text  # the incoming number as the office writes it: รับ ๑๒
    received: dt.date
    at: dt.datetime  # when the number was taken
    by: Id
    sender: Text  # จาก: the agency (or person) that sent it
    their_number: Text  # ที่ of the letter, as the sender printed it
    their_date: dt.date  # ลงวันที่ of the letter
    subject: Text
    procedure: int = Field(ge=1, le=99)
    fy: int | None = Field(default=None, ge=2500, le=2700)
    run: RunId | None = None  # None: recorded with --no-run
    step: int | None = Field(default=None, ge=1)
    started: bool = False  # the letter started the run (sop receive --start)
    name: Text  # the file's name as the office had it
    document: Text  # path of the copy: relative to the workspace
    sha256: Sha256
    size: int = Field(ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> ReceivedEntry:
        if be_year(self.received) != self.year:
            raise ValueError(
                _("received on {isoformat}, so its year is {be_year}").format(
                    isoformat=self.received.isoformat(), be_year=be_year(self.received)
                )
            )
        if self.their_date > self.received:
            raise ValueError(_("the letter cannot be dated after the day it was received"))
        return self


class Withdrawal(Frozen):
    """A number withdrawn (ยกเลิกเลข): it stays in the register, marked, and is never issued again."""

    schema_version: Literal[1]
    series: Series
    year: int = Field(ge=2500, le=2700)
    number: int = Field(ge=1)
    # The register file of the entry withdrawn: after a merge, two entries may share one number.
    # None: a number below the highest that no entry holds (a gap), withdrawn so that it is explained.
    entry: Text | None = None
    reason: Text
    at: dt.datetime
    by: Id
