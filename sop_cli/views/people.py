"""View-models of the people's commands: leave, a person's work, the year's plan, reminders (plain data)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class LeavePeriod:
    """A leave in force (not cancelled): who is away, when, and who stands in for them."""

    id: str
    person: str  # staff id
    start: dt.date
    end: dt.date
    substitute: str | None = None  # staff id
    acting: str | None = None  # ปฏิบัติราชการแทน or รักษาราชการแทน, as recorded (None: the office's setting)
    reason: str | None = None
    path: str = ""  # the file, relative to the workspace

    def covers(self, day: dt.date) -> bool:
        """Whether `day` is a day of this leave."""
        return self.start <= day <= self.end


@dataclass(frozen=True)
class LeaveChange:
    """What `sop leave` recorded."""

    lines: tuple[str, ...]
    written: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkItem:
    """One thing a person has to do: a deadline, a decision to bring, or the step they hold.

    `kind` is `deadline`, `decision` or `step`; `days_left` counts working days (negative when
    overdue) and is None for work without a date. `for_person` is set when the holder is away
    and the person sees the item as their substitute.
    """

    kind: str
    procedure: int
    title: str  # the procedure's short title
    run: str | None
    label: str | None
    what: str  # the manual's words: the deadline's text, or the step's
    action: str  # the next action, written out, with the command that records it
    holders: tuple[str, ...]  # staff ids
    ref: str | None = None  # a deadline's ref (6.4, 7.1, 10)
    step: int | None = None
    due: dt.date | None = None
    days_left: int | None = None
    status: str = "open"  # open or overdue, for a deadline
    detail: str | None = None
    for_person: str | None = None  # staff id of the person on leave this item belongs to


@dataclass(frozen=True)
class TodoList:
    """`sop todo`: a person's work on one day, most urgent first."""

    person: str  # staff id
    name: str
    fy: int
    today: dt.date
    items: tuple[WorkItem, ...]
    standing_in_for: tuple[LeavePeriod, ...] = ()  # leaves during which the person is the substitute
    away: LeavePeriod | None = None  # the person's own leave today
    names: dict[str, str] = field(default_factory=dict)  # staff id → short name, for the holders
    within: int | None = None  # only deadlines due within this many working days were kept
    later: int = 0  # items left out by `within`: later deadlines, dates not set, work not started


@dataclass(frozen=True)
class Duty:
    """One piece of the year's work, in no language: what `sop todo` and `sop remind` are made of.

    `kind` is `deadline` (an open deadline), `decision` (a run waiting at a decision step),
    `step` (the current step of a run) or `start` (a procedure with no run yet, its first step).
    """

    kind: str
    procedure: int
    title: str
    holders: tuple[str, ...]  # staff ids
    what: str
    run: str | None = None
    label: str | None = None
    runs: int = 1  # live runs of the procedure: with several, commands need --run
    ref: str | None = None
    step: int | None = None
    due: dt.date | None = None
    days_left: int | None = None
    status: str = "open"
    detail: str | None = None
    waiting_for: str | None = None  # an event name, or "step K"
    rule: str | None = None  # the deadline's kind of rule (response_share is met by a count)
    deciders: tuple[str, ...] = ()  # who decides, by name (a decision step)


@dataclass(frozen=True)
class WorkYear:
    """Every duty of a fiscal year on a day, with the roster it names (for names and aliases)."""

    fy: int
    today: dt.date
    duties: tuple[Duty, ...]
    # staff id → (short name, display name, aliases): enough to resolve --person without the catalog.
    roster: dict[str, tuple[str, str, tuple[str, ...]]]
