"""View-models of the monitoring report and the dossier index: what `sop report` lays out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from sop_cli.models.values import Period


@dataclass(frozen=True)
class SummaryRow:
    """One procedure in the summary table and the chart: what was recorded in the period."""

    procedure: int
    short_title: str
    runs: int
    steps_done: int
    steps_total: int
    hours: float
    planned_hours: float
    met: int  # deadlines met on time
    missed: int  # deadlines met late, or passed without being met
    open: int  # deadlines not due yet, or waiting for a date
    rejected: int  # decision rounds rejected
    evidence: int

    @property
    def share_done(self) -> float:
        """Steps done as a share of the steps of its runs (0 to 1)."""
        return self.steps_done / self.steps_total if self.steps_total else 0.0


@dataclass(frozen=True)
class Companion:
    """A file of a document listed under its row: its PDF/A, or an earlier version a correction replaced."""

    role: Literal["pdf", "earlier"]
    version: int
    name: str
    stored: str | None  # the file's path relative to the workspace (in the dossier: inside the dossier)
    sha256: str
    size: int
    event: str
    reason: str | None = None  # why the version after it corrected it (earlier versions only)


@dataclass(frozen=True)
class EvidenceRow:
    """One line of the evidence index: a file, link or generated document, numbered."""

    number: int  # its number in the index, which the procedure sections refer to
    procedure: int
    run: str
    run_label: str | None
    step: int | None
    date: dt.date
    by: str  # the actor's name
    kind: Literal["file", "link", "document"]
    name: str  # the file's original name, the document's name, or the link
    doc_number: str | None  # ที่ of a generated document
    size: int | None
    sha256: str | None
    stored: str | None  # the file's path relative to the workspace
    event: str
    doc_type: str | None = None  # memo, external_letter, order: what a generated document is
    version: int = 1  # a document's latest version: 2 once corrected (`--correct`)
    companions: tuple[Companion, ...] = ()  # its PDF/A and earlier versions, listed with it, not counted apart

    @property
    def pdf(self) -> Companion | None:
        """The PDF/A of this version of the document, if one was written beside it."""
        return next((c for c in self.companions if c.role == "pdf" and c.version == self.version), None)

    @property
    def earlier(self) -> tuple[Companion, ...]:
        """The earlier versions of the document (and their PDF/A), oldest first."""
        return tuple(c for c in self.companions if c.role == "earlier")

    @property
    def events(self) -> tuple[str, ...]:
        """The ids of every event this row stands for: its own and its companions'."""
        return (self.event, *(c.event for c in self.companions))


@dataclass(frozen=True)
class DeadlineView:
    """A deadline's state on the report's day, in the words of the manual."""

    ref: str
    text: str
    status: str  # open, met, late, overdue (sop_cli.deadlines)
    due: dt.date | None
    done_on: dt.date | None
    waiting_for: str | None
    detail: str | None
    run_label: str | None  # the run's label or id, when the procedure has several runs


@dataclass(frozen=True)
class StandardView:
    """A work standard of section 6 with its deadline and the evidence that supports it."""

    ref: str  # 6.1
    text: str
    timed: bool  # the manual gives it a deadline
    deadlines: tuple[DeadlineView, ...]  # of every run, also those due after the period
    steps: tuple[int, ...]  # the steps whose evidence supports it
    steps_done: tuple[int, ...]  # those of them done (in some run) by the end of the period
    steps_skipped: tuple[int, ...]  # those of them a decision passed over (the manual's approve_to)
    basis: Literal["step", "row", "none"]  # linked by the standard itself, by the step table's row, or not
    rows: tuple[str, ...]  # labels of the step table's rows that state this standard
    evidence: tuple[int, ...]  # numbers in the evidence index
    marked: tuple[dt.date, ...]  # days it was marked as met (`sop note N --met 6.1`)


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing that happened to a run: its start, a step closed, its cancellation."""

    date: dt.date
    what: Literal["started", "done", "approved", "rejected", "cancelled"]
    step: int | None
    step_text: str | None
    by: str
    round: int
    reason: str | None = None
    note: str | None = None
    forced: bool = False


@dataclass(frozen=True)
class RunView:
    """One run of a procedure, as it stood at the end of the period."""

    run: str
    label: str | None
    status: str  # open, finished, cancelled
    started_on: dt.date | None
    steps_done: int
    steps_total: int
    round: int
    hours: float
    entries: tuple[TimelineEntry, ...]
    rejections: tuple[TimelineEntry, ...]
    cancel_reason: str | None
    # The inspection round its repeated steps are in (procedure ๒: ครั้งที่ ๑ or ๒); None: once a year.
    cycle: int | None = None


@dataclass(frozen=True)
class MonitoringView:
    """Section 7: how the work is evaluated, and the state of its rounds."""

    text: str
    rounds: tuple[DeadlineView, ...]  # their text is the round's name: รอบ ๖ เดือน
    times_per_year: int | None


@dataclass(frozen=True)
class ProcedureSection:
    """Everything the report says about one procedure."""

    number: int
    short_title: str
    title: str
    active: bool  # anything recorded in the period
    runs: tuple[RunView, ...]
    standards: tuple[StandardView, ...]
    monitoring: MonitoringView
    deadlines_elsewhere: tuple[DeadlineView, ...]  # timing statements outside sections 6 and 7 (2.2, 10)
    late: tuple[DeadlineView, ...]  # met late or overdue in the period
    evidence: tuple[int, ...]  # numbers in the evidence index


@dataclass(frozen=True)
class NoteView:
    """A problem, obstacle or recommendation recorded with `sop note --kind`, for the summary."""

    kind: Literal["problem", "obstacle", "recommendation"]
    procedure: int
    short_title: str
    date: dt.date
    by: str  # the actor's name
    text: str


@dataclass(frozen=True)
class Signer:
    """Who signs a part of the sign-off: a name and position lines, or blanks to write by hand."""

    name: str | None  # None: a dotted line for the name
    positions: tuple[str, ...] = ()


@dataclass(frozen=True)
class SignOff:
    """The report's sign-off: who reports, the group's director, the provincial education officer."""

    reporter: Signer
    director: Signer  # ความเห็นของผู้อำนวยการกลุ่ม
    head: Signer  # ความเห็นของศึกษาธิการจังหวัด


@dataclass(frozen=True)
class PersonHours:
    """One person's working hours in the period: recorded (`--hours`) against planned (`sop plan`)."""

    name: str
    recorded: float
    planned: float | None  # None when the plan could not be made (a year the calendar does not cover)


@dataclass(frozen=True)
class ReportView:
    """The whole monitoring report of a period, ready to lay out."""

    fy: int
    period: Period
    start: dt.date
    end: dt.date
    as_of: dt.date  # the earlier of the period's end and the day of issue
    issued: dt.date
    office: str
    unit: str
    all_procedures: bool  # False when only some were chosen (--sop)
    summary: tuple[SummaryRow, ...]
    sections: tuple[ProcedureSection, ...]
    evidence: tuple[EvidenceRow, ...]
    events: int  # events counted in the period
    notes: tuple[NoteView, ...] = ()  # problems, obstacles and recommendations, by date
    signoff: SignOff = SignOff(Signer(None), Signer(None), Signer(None))
    people: tuple[PersonHours, ...] = ()  # hours per person, recorded against planned

    @property
    def empty(self) -> bool:
        """Nothing was recorded in the period."""
        return self.events == 0
