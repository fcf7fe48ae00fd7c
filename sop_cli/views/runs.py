"""View-models: what actions hand to the renderers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sop_cli.errors import Problem


@dataclass(frozen=True)
class ProcedureSummary:
    """One line of `sop list`."""

    number: int
    short_title: str
    title: str
    work_unit: str
    steps: int
    hours: float


@dataclass(frozen=True)
class CheckResult:
    """Outcome of `sop check`: every problem, or what was found valid."""

    problems: list[Problem]
    procedures: int
    staff: int
    bodies: int
    agencies: int
    runs: int = 0
    events: int = 0
    questions: int = 0  # questions for the office still open (sops/questions.yaml); not a problem
    unconfirmed_agencies: int = 0  # agencies marked `confirmed: false` (sops/agencies.yaml); not a problem

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


@dataclass(frozen=True)
class ClosureView:
    """A step closed in some round: done, approved or rejected."""

    event: str
    round: int
    outcome: str
    by: str
    date: dt.date
    forced: bool = False
    reason: str | None = None
    note: str | None = None
    cycle: int | None = None  # the inspection round it was done in, where steps repeat (procedure ๒)


@dataclass(frozen=True)
class AttachmentView:
    """A note, evidence item or hours entry."""

    event: str
    by: str
    date: dt.date
    note: str | None = None
    evidence: str | None = None
    hours: float | None = None


@dataclass(frozen=True)
class TimelineStep:
    """One step of a run's timeline."""

    number: int
    label: str | None
    text: str
    state: str  # done, pending, skipped or current
    is_decision: bool
    closures: tuple[ClosureView, ...]
    attachments: tuple[AttachmentView, ...]
    repeats: bool = False  # done again in every inspection round (steps ๑๐–๑๔ of procedure ๒)


@dataclass(frozen=True)
class Timeline:
    """Everything `sop status N` shows about one run."""

    procedure: int
    short_title: str
    fy: int
    run: str
    label: str | None
    status: str
    started_by: str | None
    started_on: dt.date | None
    round: int
    steps: tuple[TimelineStep, ...]
    rejections: tuple[ClosureView, ...]
    run_attachments: tuple[AttachmentView, ...]
    hours: float
    planned_hours: float
    cancel_reason: str | None
    problems: tuple[str, ...]
    # The inspection round the run is in and how many the year has (procedures ๑ and ๒); the
    # decision `round` above is another thing: 1 + the rejections so far.
    cycle: int | None = None
    cycles: int = 0


@dataclass(frozen=True)
class LogEntry:
    """One event in `sop log`."""

    event: str
    at: dt.datetime
    date: dt.date
    fy: int
    procedure: int
    run: str
    type: str
    by: str
    summary: str
    voided: bool
    path: str


@dataclass(frozen=True)
class Change:
    """What a mutating command did, for the user to read."""

    procedure: int
    run: str
    fy: int
    lines: tuple[str, ...]
    next_step: int | None
    next_text: str | None
    status: str
    written: tuple[str, ...] = ()  # the files the command created, relative to the workspace
    warnings: tuple[str, ...] = ()  # what the person should know although the command succeeded
