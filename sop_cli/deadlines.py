"""Deadlines of a run: the manual's timing rules turned into dates and states (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sop_cli.engine import RunState, RunStatus, holder_ids
from sop_cli.models.procedure import (
    AfterEvent,
    AfterStep,
    BeforeEvent,
    CountPerYear,
    EachMonth,
    EachQuarter,
    InMonths,
    Procedure,
    ResponseShare,
    TimingRule,
    WithinFiscalYear,
    WithinQuarters,
)
from sop_cli.models.settings import default_academic_year_end
from sop_cli.thai_calendar import BE_OFFSET, MONTHS, arabic_digits, fiscal_year_bounds, quarter_bounds
from sop_cli.views.status import SOON_WORKING_DAYS as SOON_WORKING_DAYS
from sop_cli.working_days import WorkingCalendar

OPEN, MET, LATE, OVERDUE = "open", "met", "late", "overdue"


@dataclass(frozen=True)
class Deadline:
    """One dated (or waiting) obligation of a run, with its state on `today`."""

    procedure: int
    run: str | None  # None: the procedure has no run in the fiscal year yet
    ref: str  # 6.4 (a work standard), 7.1 (a monitoring round), 2.2 or 10 (another timing statement)
    text: str  # the manual's wording
    kind: str
    due: dt.date | None
    waiting_for: str | None = None  # the named event or step whose date is not known yet
    status: str = OPEN
    done_on: dt.date | None = None
    detail: str | None = None
    persons: tuple[str, ...] = ()
    days_left: int | None = None  # working days from today to the due date; negative when overdue
    # The inspection cycle it belongs to (ครั้งที่ ๑, ๒ of procedures ๑ and ๒); None: owed once a year.
    cycle: int | None = None

    @property
    def is_open(self) -> bool:
        """Not met yet (open or overdue)."""
        return self.status in (OPEN, OVERDUE)


# Kinds of deadline that fall due on a day rather than by it: an evaluation "เมื่อสิ้นปีการศึกษา" is
# done at the end of the academic year, so doing it afterwards is not late.
AT_THE_DATE = ("academic_year_end",)


@dataclass(frozen=True)
class _Rule:
    ref: str
    text: str
    timing: TimingRule
    step: int | None
    per_cycle: bool = False


def event_names(proc: Procedure) -> list[str]:
    """The named events whose dates the procedure's rules depend on (for `sop schedule`)."""
    names: list[str] = []
    for rule in _rules(proc):
        name = getattr(rule.timing, "event", None)
        if name and name not in names:
            names.append(name)
    return names


def _rules(proc: Procedure) -> Iterator[_Rule]:
    for i, standard in enumerate(proc.standards, start=1):
        if standard.timing is not None:
            yield _Rule(f"6.{i}", standard.text, standard.timing, standard.step, standard.per_cycle)
    for statement in proc.timings:
        yield _Rule(arabic_digits(statement.ref), statement.text, statement.timing, statement.step, statement.per_cycle)


def _persons(proc: Procedure, state: RunState, step: int | None) -> tuple[str, ...]:
    # Who actually holds the work (`sop assign`), else the manual's responsible persons.
    return holder_ids(proc, state, step)


def _first_completion(state: RunState, step: int, cycle: int | None = None) -> dt.date | None:
    """The first day `step` was done or approved (in `cycle`, when given)."""
    dates = [
        c.date
        for c in state.history
        if c.step == step and c.outcome != "rejected" and (cycle is None or c.cycle == cycle)
    ]
    return min(dates) if dates else None


def _finished_on(state: RunState) -> dt.date | None:
    if state.status is not RunStatus.finished or not state.history:
        return None
    return max(c.date for c in state.history)


def _month_end(fy: int, month: int) -> dt.date:
    start, _ = fiscal_year_bounds(fy)
    year = start.year if month >= 10 else start.year + 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def _fiscal_months(fy: int) -> list[tuple[int, int]]:
    """(year, month) of each month of fiscal year `fy`, October first."""
    start, _ = fiscal_year_bounds(fy)
    return [(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1) for i in range(12)]


def _event_date(proc: Procedure, rule: _Rule, state: RunState, cycle: int | None) -> dt.date | None:
    """The date of the event a rule counts from, in `cycle` when the rule is owed per cycle."""
    t = rule.timing
    assert isinstance(t, BeforeEvent | AfterEvent | ResponseShare)
    if isinstance(t, BeforeEvent) and t.step is not None:
        repeated = proc.cycles is not None and proc.cycles.repeats(t.step)
        done = _first_completion(state, t.step, cycle if repeated else None)
        if done is not None:
            return done  # the step is the event: the day it happened
    if cycle is not None:
        return state.cycle_scheduled.get((t.event, cycle))
    return state.scheduled.get(t.event)


def _dates(
    proc: Procedure,
    rule: _Rule,
    state: RunState,
    fy: int,
    run_index: int,
    calendar: WorkingCalendar,
    cycle: int | None,
) -> list[tuple[dt.date | None, str | None, str | None]]:
    """(due, waiting for, detail) of each deadline a rule makes in a fiscal year (in one cycle)."""
    t = rule.timing
    if isinstance(t, WithinQuarters):
        return [(quarter_bounds(fy, max(t.quarters))[1], None, None)]
    if isinstance(t, InMonths):
        if cycle is not None:
            return [(_month_end(fy, t.months[min(cycle, len(t.months)) - 1]), None, None)]
        month = t.months[min(run_index, len(t.months) - 1)]
        return [(_month_end(fy, month), None, f"ครั้งที่ {min(run_index, len(t.months) - 1) + 1}")]
    if isinstance(t, WithinFiscalYear | CountPerYear):
        return [(fiscal_year_bounds(fy)[1], None, None)]
    if isinstance(t, EachQuarter):
        return [(quarter_bounds(fy, q)[1], None, f"ไตรมาส {q}") for q in (1, 2, 3, 4)]
    if isinstance(t, EachMonth):
        return [
            (_month_end(fy, month), None, f"{MONTHS[month - 1]} {year + BE_OFFSET}")
            for year, month in _fiscal_months(fy)
        ]
    if isinstance(t, BeforeEvent | AfterEvent | ResponseShare):
        on = _event_date(proc, rule, state, cycle)
        if on is None:
            return [(None, t.event, None)]
        if isinstance(t, BeforeEvent):
            due = (
                on - dt.timedelta(days=t.days)
                if t.days is not None
                else calendar.add_working_days(on, -(t.working_days or 0))
            )
        else:
            due = calendar.add_working_days(on, t.working_days)
        return [(due, None, None)]
    assert isinstance(t, AfterStep)
    repeated = proc.cycles is not None and proc.cycles.repeats(t.step)
    done = _first_completion(state, t.step, cycle if repeated else None)
    if done is None:
        return [(None, f"step {t.step}", None)]
    return [(calendar.add_working_days(done, t.working_days), None, None)]


def _share(percent: float, tally: tuple[int, int, dt.date] | None) -> tuple[dt.date | None, str | None]:
    """When a count reached `percent` (None if it has not), and the count as text."""
    if tally is None:
        return None, None
    received, expected, on = tally
    share = 100 * received / expected
    return (on if share >= percent else None), f"{received}/{expected} ({share:.0f}%)"


def _done_on(
    proc: Procedure, rule: _Rule, state: RunState, fy: int, index: int, cycle: int | None
) -> tuple[dt.date | None, str | None]:
    """When the deadline was met (and a detail such as the share returned), or None."""
    t = rule.timing
    tally = state.counts.get(rule.ref) if cycle is None else state.cycle_counts.get((rule.ref, cycle))
    if isinstance(t, ResponseShare):
        return _share(t.percent, tally)
    marks = sorted(state.met.get(rule.ref, ()))
    if cycle is not None:
        assert proc.cycles is not None
        marks = [day for day in marks if proc.cycles.cycle_of(fy, day) == cycle]
    if isinstance(t, BeforeEvent) and t.percent is not None and tally is not None:
        # A completeness condition ("ครบทุกหน่วย ร้อยละ ๑๐๐"): the count says whether it was met.
        return _share(t.percent, tally)
    detail: str | None = None
    if isinstance(t, CountPerYear):
        detail = f"{len(marks)}/{t.count}"
        if len(marks) >= t.count:
            return marks[t.count - 1], detail
    elif isinstance(t, EachMonth):
        # Each month's meeting is met by a mark dated in that month.
        year, month = _fiscal_months(fy)[index]
        in_month = [day for day in marks if (day.year, day.month) == (year, month)]
        return (in_month[0] if in_month else None), None
    elif len(marks) > index:
        return marks[index], detail
    if rule.step is not None and index == 0:
        repeated = proc.cycles is not None and proc.cycles.repeats(rule.step)
        done = _first_completion(state, rule.step, cycle if repeated else None)
        if done is not None:
            return done, detail
    finished = _finished_on(state)
    # A finished run has met its yearly obligations; a cycle's own obligations (the inspection
    # visit of August) and each period's are met only by their own records.
    if finished is not None and cycle is None and not isinstance(t, EachQuarter | EachMonth):
        return finished, detail
    return None, detail


def _state_on(deadline: Deadline, today: dt.date, calendar: WorkingCalendar) -> Deadline:
    if deadline.done_on is not None:
        late = deadline.due is not None and deadline.done_on > deadline.due and deadline.kind not in AT_THE_DATE
        return replace(deadline, status=LATE if late else MET)
    if deadline.due is None:
        return deadline
    left = calendar.working_days_between(today, deadline.due)
    return replace(deadline, days_left=left, status=OVERDUE if deadline.due < today else OPEN)


def _cycle_detail(cycle: int | None) -> str | None:
    # The manual's own words for the inspection rounds: "ครั้งที่ ๑ เดือนกุมภาพันธ์ ครั้งที่ ๒ เดือนสิงหาคม".
    return f"ครั้งที่ {cycle}" if cycle is not None else None


def run_deadlines(
    proc: Procedure,
    state: RunState,
    fy: int,
    today: dt.date,
    calendar: WorkingCalendar,
    run_index: int = 0,
    academic_year_end: dt.date | None = None,
) -> list[Deadline]:
    """Every deadline of one run (or of a procedure not started, given a fresh state) on `today`.

    A procedure with cycles (the inspection rounds of ๑ and ๒) owes its per-cycle rules once in
    each cycle of the one run; its other rules once a year. `run_index` is the run's place among
    the procedure's runs of the year: it only chooses the month of an `in_months` rule that is not
    per cycle. `academic_year_end` is the office's date for "เมื่อสิ้นปีการศึกษา" in `fy`
    (sop.toml [calendar]; the default when None).
    """
    if state.status is RunStatus.cancelled:
        return []
    run = state.run if state.status is not RunStatus.not_started else None
    found = []
    for rule in _rules(proc):
        cycles: list[int | None] = [None]
        if rule.per_cycle and proc.cycles is not None:
            cycles = list(range(1, proc.cycles.count + 1))
        for cycle in cycles:
            for index, (due, waiting, detail) in enumerate(_dates(proc, rule, state, fy, run_index, calendar, cycle)):
                done, done_detail = _done_on(proc, rule, state, fy, index, cycle)
                parts = (_cycle_detail(cycle), detail, done_detail)
                deadline = Deadline(
                    procedure=proc.number,
                    run=run,
                    ref=rule.ref,
                    text=rule.text,
                    kind=rule.timing.kind,
                    due=due,
                    waiting_for=waiting,
                    done_on=done,
                    detail=" · ".join(d for d in parts if d) or None,
                    persons=_persons(proc, state, rule.step),
                    cycle=cycle,
                )
                found.append(_state_on(deadline, today, calendar))
    found += _monitoring(proc, state, fy, today, calendar, run, academic_year_end)
    return found


def _monitoring(
    proc: Procedure,
    state: RunState,
    fy: int,
    today: dt.date,
    calendar: WorkingCalendar,
    run: str | None,
    academic_year_end: dt.date | None,
) -> list[Deadline]:
    """The evaluations of section 7: its rounds, or its number of evaluations a year."""
    found = []
    monitoring = proc.monitoring
    for i, monitoring_round in enumerate(monitoring.rounds, start=1):
        ref = f"7.{i}"
        marks = sorted(state.met.get(ref, ()))
        if monitoring_round.at is not None:
            due = academic_year_end or default_academic_year_end(fy)
            kind: str = monitoring_round.at
        else:
            due = quarter_bounds(fy, max(monitoring_round.quarters))[1]
            kind = "monitoring_round"
        deadline = Deadline(
            procedure=proc.number,
            run=run,
            ref=ref,
            text=f"{monitoring.text} (รอบ {monitoring_round.name})",
            kind=kind,
            due=due,
            done_on=marks[0] if marks else None,
            persons=_persons(proc, state, None),
        )
        found.append(_state_on(deadline, today, calendar))
    if monitoring.times_per_year is not None and not monitoring.rounds:
        # "จำนวน ๒ ครั้ง/ปีงบประมาณ" names no time: that many evaluations by the end of the year.
        marks = sorted(state.met.get("7", ()))
        wanted = monitoring.times_per_year
        deadline = Deadline(
            procedure=proc.number,
            run=run,
            ref="7",
            text=monitoring.text,
            kind="count_per_year",
            due=fiscal_year_bounds(fy)[1],
            done_on=marks[wanted - 1] if len(marks) >= wanted else None,
            detail=f"{len(marks)}/{wanted}",
            persons=_persons(proc, state, None),
        )
        found.append(_state_on(deadline, today, calendar))
    return found


def deadline_refs(proc: Procedure) -> list[str]:
    """Refs a user may mark as met (`sop note N --met REF`)."""
    refs = [rule.ref for rule in _rules(proc)]
    refs += [f"7.{i}" for i in range(1, len(proc.monitoring.rounds) + 1)]
    if proc.monitoring.times_per_year is not None and not proc.monitoring.rounds:
        refs.append("7")
    return refs


def share_refs(proc: Procedure) -> list[str]:
    """Refs of the rules tracked by a count of responses (`sop note N --count 42/50`)."""
    return [rule.ref for rule in _rules(proc) if isinstance(rule.timing, ResponseShare)]


def count_refs(proc: Procedure) -> list[str]:
    """Refs a count may be recorded for: the shares of responses, and the completeness conditions
    ("ครบทุกหน่วยรับตรวจ (ร้อยละ ๑๐๐)", met by a count that reaches the share, or by `--met REF`)."""
    return share_refs(proc) + [
        rule.ref for rule in _rules(proc) if isinstance(rule.timing, BeforeEvent) and rule.timing.percent is not None
    ]


def soonest_first(deadlines: list[Deadline]) -> list[Deadline]:
    """Dated deadlines by due date, then those still waiting for a date."""
    return sorted(deadlines, key=lambda d: (d.due is None, d.due or dt.date.max, d.procedure, d.ref))
