"""Model the office's register of issued numbers: one immutable entry per number."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from sop_cli.models.base import Frozen, Id, Text
from sop_cli.models.records import RunId, Sha256
from sop_cli.thai_calendar import be_year

REGISTER_SCHEMA_VERSION = 1

DocKind = Literal["memo", "external_letter", "order"]


class Series(StrEnum):
    """The two running series; both restart on 1 January (the regulation, not the fiscal year)."""

    outgoing = "out"  # ทะเบียนหนังสือส่ง: memos and external letters share it
    order = "order"  # คำสั่ง: numbered n/BE-year


def series_of(kind: DocKind) -> Series:
    """The series a kind of document takes its number from."""
    return Series.order if kind == "order" else Series.outgoing


def printed_number(series: Series, number: int, year: int, code: str) -> str:
    """The number as printed after ที่: `ศธ 0288/123` or, for an order, `12/2570`."""
    return f"{number}/{year}" if series is Series.order else f"{code}/{number}"


class RegisterEntry(Frozen):
    """One issued number: what, when, by whom, for which run and step, and which file."""

    schema_version: Literal[1]
    series: Series
    year: int = Field(ge=2500, le=2700)  # Buddhist Era calendar year of `issued`
    number: int = Field(ge=1)
    printed: Text  # as the document prints it: ศธ ๐๒๘๘/๑๒๓, ๑๒/๒๕๗๐
    kind: DocKind
    subject: Text
    to: Text | None = None  # the addressee (เรียน …), for memos and letters
    issued: dt.date
    at: dt.datetime  # when the number was taken
    by: Id
    procedure: int = Field(ge=1, le=99)
    fy: int | None = Field(default=None, ge=2500, le=2700)
    run: RunId | None = None  # None: generated with --no-run
    step: int | None = Field(default=None, ge=1)
    document: Text  # path of the .docx: relative to the workspace when inside it
    sha256: Sha256
    size: int = Field(ge=0)

    @model_validator(mode="after")
    def _consistent(self) -> RegisterEntry:
        if series_of(self.kind) is not self.series:
            raise ValueError(f"a {self.kind} takes its number from the {series_of(self.kind).value} series")
        if be_year(self.issued) != self.year:
            raise ValueError(f"issued on {self.issued.isoformat()}, so its year is {be_year(self.issued)}")
        return self


class Withdrawal(Frozen):
    """A number withdrawn (ยกเลิกเลข): it stays in the register, marked, and is never issued again."""

    schema_version: Literal[1]
    series: Series
    year: int = Field(ge=2500, le=2700)
    number: int = Field(ge=1)
    # The register file of the entry withdrawn: after a merge, two entries may share one number.
    entry: Text
    reason: Text
    at: dt.datetime
    by: Id
