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
    warnings: tuple[str, ...] = ()  # what the person should know although it succeeded


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


@dataclass(frozen=True)
class PlanItem:
    """A row of the manual (or a step, where the manual gives hours per step) laid on the calendar."""

    procedure: int
    title: str
    label: str  # as the manual prints it: the row's (๑-๒), or the step's (๒.๔) when `per_step`
    steps: tuple[int, ...]
    text: str  # the first step's words
    hours: float  # the manual's hours of this item (its share, when the steps repeat in every cycle)
    holders: tuple[str, ...]  # staff ids; empty when the manual names bodies only
    bodies: tuple[str, ...]  # the row's bodies, by name
    start: dt.date
    end: dt.date
    days: int  # working days it is spread over
    cycle: int | None = None  # the inspection cycle, where the steps repeat
    anchor: dt.date | None = None  # the fixed date it must be done by
    anchor_text: str | None = None  # what that date is: the manual's words
    late: bool = False  # it cannot be done by its fixed date (the run started after it, or too little time)
    squeezed: bool = False  # less time than its hours need: spread thinner over the days there are
    per_step: bool = False  # the manual gives this step its own hours (else the item is a whole row)


@dataclass(frozen=True)
class Milestone:
    """A fixed date of a procedure: a deadline (quarter end, report round) or a scheduled event."""

    procedure: int
    date: dt.date
    ref: str  # the deadline's ref, or the scheduled event's name
    text: str
    holders: tuple[str, ...]
    event: bool = False  # a day people must be somewhere (a visit, a meeting), not only a due date


@dataclass(frozen=True)
class PersonLoad:
    """One person's planned hours in each month of the fiscal year, against their capacity."""

    person: str  # staff id; "" for the hours of rows that name no person
    name: str
    hours: tuple[float, ...]  # per month, as sop.toml reads the manual's hours
    other: tuple[float, ...]  # per month, in the other reading
    capacity: tuple[float, ...]  # per month: working days, less leave, × hours a day
    leave_days: tuple[int, ...]  # working days of leave per month

    @property
    def total(self) -> float:
        """Planned hours of the year."""
        return sum(self.hours)

    @property
    def over(self) -> tuple[int, ...]:
        """Indexes of the months planned above capacity."""
        return tuple(i for i, (h, c) in enumerate(zip(self.hours, self.capacity, strict=True)) if h > c + 1e-9)


@dataclass(frozen=True)
class PlanWarning:
    """Something the director must look at: an overload, two fixed events on one day, work without a person."""

    kind: str  # over_capacity, collision, day_off, unassigned, late
    person: str | None = None
    month: tuple[int, int] | None = None  # (year, month)
    hours: float | None = None
    capacity: float | None = None
    date: dt.date | None = None
    procedures: tuple[int, ...] = ()
    what: tuple[str, ...] = ()  # the events or rows concerned


@dataclass(frozen=True)
class YearPlan:
    """`sop plan`: every procedure's rows on the fiscal year's calendar and each person's load."""

    fy: int
    hours_a_day: float
    hours_are: str  # person or elapsed: how the manual's hours were read
    months: tuple[tuple[int, int], ...]  # (year, month) of the twelve months, October first
    working_days: tuple[int, ...]  # per month
    items: tuple[PlanItem, ...]
    milestones: tuple[Milestone, ...]
    loads: tuple[PersonLoad, ...]
    warnings: tuple[PlanWarning, ...]
    manual_hours: float  # the manual's hours of the procedures planned
    names: dict[str, str] = field(default_factory=dict)  # staff id → display name


@dataclass(frozen=True)
class DigestChange:
    """Something recorded since a person's last digest, on work they hold."""

    date: dt.date
    at: dt.datetime
    procedure: int
    title: str
    by: str  # a name
    summary: str


@dataclass(frozen=True)
class Digest:
    """One person's reminder of the day: overdue, due soon, decisions waiting, what changed."""

    person: str
    name: str
    today: dt.date
    within: int  # working days counted as "due soon"
    overdue: tuple[WorkItem, ...]
    soon: tuple[WorkItem, ...]
    decisions: tuple[WorkItem, ...]
    changes: tuple[DigestChange, ...]
    since: dt.datetime | None  # the last digest (None: the first one, which covers the last week)
    standing_in_for: tuple[LeavePeriod, ...] = ()
    names: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing to say: no reminder goes out."""
        return not (self.overdue or self.soon or self.decisions or self.changes)


@dataclass(frozen=True)
class Reminder:
    """What `sop remind` did for one person: sent, written to a file, or why not."""

    person: str
    name: str
    outcome: str  # preview, sent, written, already_sent, nothing, no_address
    subject: str
    body: str
    to: str | None = None
    path: str | None = None  # the file written, relative to the workspace when inside it
