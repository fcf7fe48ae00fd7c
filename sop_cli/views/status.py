"""The view-models of `sop status`: one row per procedure or run, and its next deadline (plain data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# A deadline is "due soon" (yellow in `sop status`, `sop due` and the HTML page) within this many
# working days.
SOON_WORKING_DAYS = 5


@dataclass(frozen=True)
class DeadlineView:
    """The next deadline of a status row, as plain data."""

    ref: str
    text: str
    due: dt.date | None
    waiting_for: str | None
    days_left: int | None
    status: str
    cycle: int | None = None  # the inspection round it belongs to (ครั้งที่ ๑, ๒); None: once a year


@dataclass(frozen=True)
class StatusRow:
    """One line of `sop status`: a procedure, or one of its runs in the fiscal year."""

    procedure: int
    short_title: str
    runs: int
    run: str | None = None
    label: str | None = None
    status: str = "not_started"
    current_step: int | None = None
    current_text: str | None = None
    done: int = 0
    total: int = 0
    hours: float = 0.0
    planned_hours: float = 0.0
    holders: tuple[str, ...] = ()
    last_activity: dt.date | None = None
    rejected_rounds: int = 0
    problems: int = 0
    next_deadline: DeadlineView | None = None
    deadline_problem: str | None = None  # why deadlines cannot be computed (no holiday calendar)
    started_on: dt.date | None = None
    damaged: tuple[str, ...] = ()  # event files of the run that do not load, as `path:line:col: message`
    # The inspection round the run's repeated steps are in (procedure ๒: ครั้งที่ ๑ or ๒); None for a
    # procedure whose steps are done once a year (its rounds show in its deadlines' `cycle`).
    cycle: int | None = None
