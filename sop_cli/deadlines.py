"""Deadlines of a run: the manual's timing rules turned into dates and states (pure)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sop_cli.engine import RunState, RunStatus
from sop_cli.models.procedure import (
    AfterEvent,
    AfterStep,
    BeforeEvent,
    CountPerYear,
    EachQuarter,
    InMonths,
    Procedure,
    ResponseShare,
    TimingRule,
    WithinFiscalYear,
    WithinQuarters,
)
from sop_cli.thai_calendar import arabic_digits, fiscal_year_bounds, quarter_bounds
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

    @property
    def is_open(self) -> bool:
        """Not met yet (open or overdue)."""
        return self.status in (OPEN, OVERDUE)


@dataclass(frozen=True)
class _Rule:
    ref: str
    text: str
    timing: TimingRule
    step: int | None


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
            yield _Rule(f"6.{i}", standard.text, standard.timing, standard.step)
    for statement in proc.timings:
        yield _Rule(arabic_digits(statement.ref), statement.text, statement.timing, statement.step)


def _persons(proc: Procedure, step: int | None) -> tuple[str, ...]:
    if step is not None:
        return proc.row_of(step).responsible
    people: list[str] = []
    for row in proc.rows:
        people += [p for p in row.responsible if p not in people]
    return tuple(people)


def _first_completion(state: RunState, step: int) -> dt.date | None:
    dates = [c.date for c in state.history if c.step == step and c.outcome != "rejected"]
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


def _dates(
    rule: _Rule, state: RunState, fy: int, run_index: int, calendar: WorkingCalendar
) -> list[tuple[dt.date | None, str | None, str | None]]:
    """(due, waiting for, detail) of each deadline a rule makes in a fiscal year."""
    t = rule.timing
    if isinstance(t, WithinQuarters):
        return [(quarter_bounds(fy, max(t.quarters))[1], None, None)]
    if isinstance(t, InMonths):
        month = t.months[min(run_index, len(t.months) - 1)]
        return [(_month_end(fy, month), None, f"ครั้งที่ {min(run_index, len(t.months) - 1) + 1}")]
    if isinstance(t, WithinFiscalYear | CountPerYear):
        return [(fiscal_year_bounds(fy)[1], None, None)]
    if isinstance(t, EachQuarter):
        return [(quarter_bounds(fy, q)[1], None, f"ไตรมาส {q}") for q in (1, 2, 3, 4)]
    if isinstance(t, BeforeEvent | AfterEvent | ResponseShare):
        on = state.scheduled.get(t.event)
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
    done = _first_completion(state, t.step)
    if done is None:
        return [(None, f"step {t.step}", None)]
    return [(calendar.add_working_days(done, t.working_days), None, None)]


def _done_on(rule: _Rule, state: RunState, index: int, due: dt.date | None) -> tuple[dt.date | None, str | None]:
    """When the deadline was met (and a detail such as the share returned), or None."""
    t = rule.timing
    if isinstance(t, ResponseShare):
        count = state.counts.get(rule.ref)
        if count is None:
            return None, None
        received, expected, on = count
        share = 100 * received / expected
        return (on if share >= t.percent else None), f"{received}/{expected} ({share:.0f}%)"
    marks = sorted(state.met.get(rule.ref, ()))
    detail: str | None = None
    if isinstance(t, CountPerYear):
        detail = f"{len(marks)}/{t.count}"
        if len(marks) >= t.count:
            return marks[t.count - 1], detail
    elif len(marks) > index:
        return marks[index], detail
    if rule.step is not None and index == 0:
        done = _first_completion(state, rule.step)
        if done is not None:
            return done, detail
    finished = _finished_on(state)
    if finished is not None and not isinstance(t, EachQuarter):
        return finished, detail
    return None, detail


def _state_on(deadline: Deadline, today: dt.date, calendar: WorkingCalendar) -> Deadline:
    if deadline.done_on is not None:
        late = deadline.due is not None and deadline.done_on > deadline.due
        return replace(deadline, status=LATE if late else MET)
    if deadline.due is None:
        return deadline
    left = calendar.working_days_between(today, deadline.due)
    return replace(deadline, days_left=left, status=OVERDUE if deadline.due < today else OPEN)


def run_deadlines(
    proc: Procedure,
    state: RunState,
    fy: int,
    today: dt.date,
    calendar: WorkingCalendar,
    run_index: int = 0,
) -> list[Deadline]:
    """Every deadline of one run (or of a procedure not started, given a fresh state) on `today`.

    `run_index` is the run's place among the procedure's runs of the year: the first inspection
    round is in the first month the manual names, the second in the second.
    """
    if state.status is RunStatus.cancelled:
        return []
    run = state.run if state.status is not RunStatus.not_started else None
    found = []
    for rule in _rules(proc):
        for index, (due, waiting, detail) in enumerate(_dates(rule, state, fy, run_index, calendar)):
            done, done_detail = _done_on(rule, state, index, due)
            deadline = Deadline(
                procedure=proc.number,
                run=run,
                ref=rule.ref,
                text=rule.text,
                kind=rule.timing.kind,
                due=due,
                waiting_for=waiting,
                done_on=done,
                detail=" · ".join(d for d in (detail, done_detail) if d) or None,
                persons=_persons(proc, rule.step),
            )
            found.append(_state_on(deadline, today, calendar))
    for i, monitoring_round in enumerate(proc.monitoring.rounds, start=1):
        ref = f"7.{i}"
        marks = sorted(state.met.get(ref, ()))
        deadline = Deadline(
            procedure=proc.number,
            run=run,
            ref=ref,
            text=f"{proc.monitoring.text} (รอบ {monitoring_round.name})",
            kind="monitoring_round",
            due=quarter_bounds(fy, max(monitoring_round.quarters))[1],
            done_on=marks[0] if marks else None,
            persons=_persons(proc, None),
        )
        found.append(_state_on(deadline, today, calendar))
    return found


def deadline_refs(proc: Procedure) -> list[str]:
    """Refs a user may mark as met (`sop note N --met REF`)."""
    refs = [rule.ref for rule in _rules(proc)]
    refs += [f"7.{i}" for i in range(1, len(proc.monitoring.rounds) + 1)]
    return refs


def share_refs(proc: Procedure) -> list[str]:
    """Refs of the rules tracked by a count of responses (`sop note N --count 42/50`)."""
    return [rule.ref for rule in _rules(proc) if isinstance(rule.timing, ResponseShare)]


def soonest_first(deadlines: list[Deadline]) -> list[Deadline]:
    """Dated deadlines by due date, then those still waiting for a date."""
    return sorted(deadlines, key=lambda d: (d.due is None, d.due or dt.date.max, d.procedure, d.ref))
