"""Lay a fiscal year's work on the calendar (pure): the manual's rows on working days, their hours on people.

Each procedure's rows (or steps, where the manual gives a step its own hours) are laid in order
between the start of its run (or of the fiscal year) and the end of the year:

- A row holding a step that a rule of the manual ties to a date (step ๕ of procedure ๑ within
  quarter 1, step ๑๑ of procedure ๒ in February and August, step ๔ of procedure ๗ by the year's
  end), or a step that is itself a scheduled event (the coordination meeting), is laid backward
  from that fixed date: it ends on the last working day on or before it.
- The rows before it are laid forward from the start; the rows after the last fixed date too.
- Where steps repeat in each inspection cycle (๑๐–๑๔ of procedure ๒), each cycle has its own copy
  with its share of the hours, and the copy's last rows end by the monitoring round that follows
  the cycle (the six-month report of 31 March, the annual one of 30 September).
- A row lasts its hours over the working day's hours (shared among its holders when the hours are
  person-hours); where the days before a fixed date are too few, the rows share the days there
  are (`squeezed`), and where the fixed date is already past, they are laid forward and marked late.

Each row's hours are spread evenly over its working days and over its holders (person-hours:
each holder carries a share; elapsed hours: each holder is busy for all of them). During a leave
a person's hours go to their substitute; their capacity is the month's working days less their
leave, times the hours of a working day. The other fixed dates (quarter ends, report rounds,
scheduled visits and meetings) are milestones; two scheduled events on one day for one person,
or one on a day off, are warned about.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sop_cli.deadlines import run_deadlines
from sop_cli.engine import RunState, holder_ids, new_run
from sop_cli.models.procedure import BeforeEvent, Procedure, Row
from sop_cli.thai_calendar import arabic_digits, fiscal_year_bounds, quarter_bounds
from sop_cli.views.people import LeavePeriod, Milestone, PersonLoad, PlanItem, PlanWarning, YearPlan
from sop_cli.working_days import WorkingCalendar

READINGS = ("person", "elapsed")
NOBODY = ""  # the load of rows whose manual names bodies only


@dataclass(frozen=True)
class PlanSetup:
    """Everything the plan depends on besides the procedures: the year, the calendar, the people."""

    fy: int
    calendar: WorkingCalendar
    hours_a_day: float
    hours_are: str  # person or elapsed
    academic_year_end: dt.date
    staff: dict[str, str]  # staff id → display name, in the roster's order
    bodies: dict[str, str] = field(default_factory=dict)  # body id → name
    leaves: tuple[LeavePeriod, ...] = ()


@dataclass
class _Unit:
    """One item being laid: what it is, its fixed date, and (once laid) its working days."""

    proc: Procedure
    label: str
    steps: tuple[int, ...]
    hours: float
    holders: tuple[str, ...]
    bodies: tuple[str, ...]
    per_step: bool
    cycle: int | None = None
    anchor: dt.date | None = None
    anchor_text: str | None = None
    first: int = 0  # index of its first working day in the year
    last: int = 0
    late: bool = False
    squeezed: bool = False


class _Days:
    """The working days of the fiscal year, by index: positions are plain integers."""

    def __init__(self, fy: int, calendar: WorkingCalendar) -> None:
        first, last = fiscal_year_bounds(fy)
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        self.days = [d for d in days if calendar.is_working_day(d)]

    def at_or_after(self, day: dt.date) -> int:
        """Index of the first working day on or after `day` (the year's last when none)."""
        return min(bisect.bisect_left(self.days, day), len(self.days) - 1)

    def at_or_before(self, day: dt.date) -> int:
        """Index of the last working day on or before `day` (-1 when it is before the year's first)."""
        return bisect.bisect_right(self.days, day) - 1


# --- the items of a procedure ---------------------------------------------------------------------


def _units_of_row(proc: Procedure, row: Row, state: RunState, bodies: dict[str, str]) -> list[_Unit]:
    per_step = row.hours is None and len(row.steps) > 1 and all(s.hours is not None for s in row.steps)
    # A step numbered within its row (๒.๑ of procedure ๘) is named with its row's number.
    parts: list[tuple[tuple[int, ...], float, str]] = [
        ((s.number,), s.hours or 0.0, f"{row.label}.{s.label}" if s.label else proc.step_label(s.number))
        for s in row.steps
    ]
    if not per_step:
        parts = [(tuple(s.number for s in row.steps), row.total_hours, row.label)]
    units = []
    for steps, hours, label in parts:
        holders: list[str] = []
        for number in steps:
            holders += [p for p in holder_ids(proc, state, number) if p not in holders]
        named = tuple(bodies.get(b, b) for b in row.responsible_bodies)
        units.append(_Unit(proc, label, steps, hours, tuple(holders), named, per_step))
    return units


def _units(proc: Procedure, state: RunState, bodies: dict[str, str]) -> list[_Unit]:
    """The procedure's items in the order they are done, a copy of the repeated ones for each cycle."""
    units = [u for row in proc.rows for u in _units_of_row(proc, row, state, bodies)]
    cycles = proc.cycles
    if cycles is None or cycles.first_step is None:
        return units
    repeated = [u for u in units if all(cycles.repeats(n) for n in u.steps)]
    if not repeated:
        return units
    at = units.index(repeated[0])
    before = [u for u in units[:at] if u not in repeated]
    after = [u for u in units[at:] if u not in repeated]
    copies = [replace(u, hours=u.hours / cycles.count, cycle=c) for c in range(1, cycles.count + 1) for u in repeated]
    return before + copies + after


def _rule_steps(proc: Procedure) -> dict[str, int]:
    """The step each dated rule of the manual ties to, by the rule's ref."""
    found = {f"6.{i}": s.step for i, s in enumerate(proc.standards, start=1) if s.step is not None}
    found |= {arabic_digits(t.ref): t.step for t in proc.timings if t.step is not None}
    return found


def _event_steps(proc: Procedure) -> dict[str, int]:
    """Named events that are a step of the procedure (the coordination meeting is step ๕ of ๑)."""
    rules = [s.timing for s in proc.standards] + [t.timing for t in proc.timings]
    return {r.event: r.step for r in rules if isinstance(r, BeforeEvent) and r.step is not None}


def _anchor(units: list[_Unit], proc: Procedure, step: int, cycle: int | None, day: dt.date, text: str) -> None:
    """Tie the unit holding `step` (its copy of `cycle`, where the step repeats) to a fixed date."""
    repeats = proc.cycles is not None and proc.cycles.repeats(step)
    for unit in units:
        if step in unit.steps and (not repeats or cycle is None or unit.cycle == cycle):
            if unit.anchor is None or day < unit.anchor:
                unit.anchor, unit.anchor_text = day, text
            return


def _fixed_dates(setup: PlanSetup, proc: Procedure, state: RunState, units: list[_Unit]) -> list[Milestone]:
    """Tie units to their fixed dates; return the procedure's other fixed dates as milestones."""
    first, _ = fiscal_year_bounds(setup.fy)
    deadlines = run_deadlines(proc, state, setup.fy, first, setup.calendar, academic_year_end=setup.academic_year_end)
    by_ref = _rule_steps(proc)
    milestones = []
    for d in deadlines:
        if d.due is None:
            continue
        step = by_ref.get(d.ref)
        text = d.text + (f" ({d.detail})" if d.detail else "")
        if step is not None:
            _anchor(units, proc, step, d.cycle, d.due, text)
        milestones.append(Milestone(proc.number, d.due, d.ref, text, d.persons))
    event_steps = _event_steps(proc)
    dated: dict[tuple[str, int | None], dt.date] = {(name, None): on for name, on in state.scheduled.items()}
    dated |= {(name, cycle): on for (name, cycle), on in state.cycle_scheduled.items()}
    seen: set[tuple[str, dt.date]] = set()
    for (name, cycle), on in sorted(dated.items(), key=lambda kv: (kv[1], kv[0][0])):
        if (name, on) in seen:
            continue
        seen.add((name, on))
        if name in event_steps:
            _anchor(units, proc, event_steps[name], cycle, on, name)
        holders = holder_ids(proc, state, event_steps.get(name))
        milestones.append(Milestone(proc.number, on, name, name, holders, event=True))
    _cycle_tails(setup, proc, units)
    return milestones


def _cycle_tails(setup: PlanSetup, proc: Procedure, units: list[_Unit]) -> None:
    """The last copy of each cycle ends by the monitoring round after the cycle's fixed date."""
    rounds = sorted(
        (quarter_bounds(setup.fy, max(r.quarters))[1], f"{proc.monitoring.text} (รอบ {r.name})")
        for r in proc.monitoring.rounds
        if r.quarters
    )
    cycles = {u.cycle for u in units if u.cycle is not None}
    for cycle in cycles:
        mine = [u for u in units if u.cycle == cycle]
        fixed = [u.anchor for u in mine if u.anchor is not None]
        if not fixed or mine[-1].anchor is not None:
            continue
        after = [(day, text) for day, text in rounds if day > max(fixed)]
        if after:
            mine[-1].anchor, mine[-1].anchor_text = after[0]


# --- laying the units on working days -----------------------------------------------------------


def _duration(unit: _Unit, setup: PlanSetup, reading: str) -> int:
    """Working days a unit lasts: its hours over a day's hours (shared among its holders, as person-hours)."""
    share = max(len(unit.holders), 1) if reading == "person" else 1
    return max(1, math.ceil(unit.hours / (setup.hours_a_day * share) - 1e-9))


def _forward(units: Sequence[_Unit], start: int, lengths: Sequence[int]) -> int:
    """Lay units one after the other from day `start`; return the index after the last."""
    at = start
    for unit, length in zip(units, lengths, strict=True):
        unit.first, unit.last = at, at + length - 1
        at += length
    return at


def _squeeze(units: Sequence[_Unit], start: int, end: int, lengths: Sequence[int]) -> None:
    """Share the days start..end among units in proportion to what they need (each at least one day)."""
    room = end - start + 1
    for unit in units:
        unit.squeezed = True
    if room < len(units):
        for unit in units:  # fewer days than rows: all of them share every day
            unit.first, unit.last = start, max(end, start)
        return
    need = sum(lengths)
    shares = [max(1, math.floor(room * length / need)) for length in lengths]
    order = sorted(range(len(units)), key=lambda i: room * lengths[i] / need - shares[i], reverse=True)
    i = 0
    while sum(shares) < room:
        shares[order[i % len(order)]] += 1
        i += 1
    while sum(shares) > room:
        widest = max(range(len(shares)), key=lambda j: shares[j])
        shares[widest] -= 1
    _forward(units, start, shares)


def _ends(units: list[_Unit], setup: PlanSetup, days: _Days, reading: str) -> dict[int, int]:
    """The day each anchored unit must end by: its fixed date, earlier when the rows after it need the room.

    A fixed date on the year's last day binds nothing (every row ends by then): it stays a
    milestone. Otherwise a unit ends on the last working day on or before its date, but early
    enough that the rows after it fit before the next fixed date (or the year's end).
    """
    last = len(days.days) - 1
    anchored = [i for i, u in enumerate(units) if u.anchor is not None and days.at_or_before(u.anchor) < last]
    ends: dict[int, int] = {}
    limit = last
    for position in reversed(anchored):
        following = [j for j in anchored if j > position]
        upto = following[0] if following else len(units) - 1
        need = sum(_duration(units[j], setup, reading) for j in range(position + 1, upto + 1))
        limit = ends[following[0]] if following else last
        anchor = units[position].anchor
        assert anchor is not None
        ends[position] = min(days.at_or_before(anchor), limit - need)
    return ends


def _lay(units: list[_Unit], setup: PlanSetup, days: _Days, start: int, reading: str) -> None:
    """Lay one procedure's units: segments that end at a fixed date, then the rest to the year's end."""
    last = len(days.days) - 1
    ends = _ends(units, setup, days, reading)
    cursor = start
    segment: list[_Unit] = []
    for position, unit in enumerate(units):
        segment.append(unit)
        if position not in ends:
            continue
        lengths = [_duration(u, setup, reading) for u in segment]
        end = ends[position]
        if end < cursor:  # the fixed date is past (the run started after it): as soon as possible, late
            cursor = min(_forward(segment, cursor, lengths), last)
            for u in segment:
                u.late = True
        elif sum(lengths) <= end - cursor + 1:
            _forward(segment[:-1], cursor, lengths[:-1])
            unit.first, unit.last = end - lengths[-1] + 1, end
            cursor = end + 1
        else:
            _squeeze(segment, cursor, end, lengths)
            cursor = end + 1
        segment = []
    if segment:
        lengths = [_duration(u, setup, reading) for u in segment]
        cursor = min(cursor, last)
        if cursor + sum(lengths) - 1 <= last:
            _forward(segment, cursor, lengths)
        else:
            _squeeze(segment, cursor, last, lengths)
    for unit in units:  # a late segment may run past the year's end: it stops there
        unit.first, unit.last = min(unit.first, last), min(unit.last, last)


# --- hours on people ------------------------------------------------------------------------------


def _loads(units: list[_Unit], setup: PlanSetup, days: _Days, reading: str) -> dict[str, list[float]]:
    """Hours per person and per working day of the year (substitutes carry the hours of who is away)."""
    load: dict[str, list[float]] = defaultdict(lambda: [0.0] * len(days.days))
    for unit in units:
        span = range(unit.first, unit.last + 1)
        people = unit.holders or (NOBODY,)
        each = unit.hours / len(span) / (len(people) if reading == "person" else 1)
        for person in people:
            for index in span:
                load[_standing_in(setup, person, days.days[index])][index] += each
    return load


def _standing_in(setup: PlanSetup, person: str, day: dt.date) -> str:
    """Who does `person`'s work on `day`: their substitute while they are on leave with one."""
    for leave in setup.leaves:
        if leave.person == person and leave.substitute and leave.covers(day):
            return leave.substitute
    return person


def _months(fy: int) -> tuple[tuple[int, int], ...]:
    first, _ = fiscal_year_bounds(fy)
    return tuple((first.year + (first.month + i - 1) // 12, (first.month + i - 1) % 12 + 1) for i in range(12))


def _by_month(values: list[float], days: _Days, months: Sequence[tuple[int, int]]) -> tuple[float, ...]:
    sums = dict.fromkeys(months, 0.0)
    for day, value in zip(days.days, values, strict=True):
        sums[(day.year, day.month)] += value
    return tuple(sums[m] for m in months)


def _leave_days(setup: PlanSetup, person: str, days: _Days, months: Sequence[tuple[int, int]]) -> tuple[int, ...]:
    counts = dict.fromkeys(months, 0)
    mine = [leave for leave in setup.leaves if leave.person == person]
    for day in days.days:
        if any(leave.covers(day) for leave in mine):
            counts[(day.year, day.month)] += 1
    return tuple(counts[m] for m in months)


# --- the plan -------------------------------------------------------------------------------------


def _start_index(setup: PlanSetup, state: RunState | None, days: _Days) -> int:
    if state is not None and state.started_on is not None:
        return days.at_or_after(max(state.started_on, fiscal_year_bounds(setup.fy)[0]))
    return 0


def _laid(
    setup: PlanSetup, procedures: Sequence[tuple[Procedure, RunState | None]], days: _Days, reading: str
) -> tuple[list[_Unit], list[Milestone]]:
    units: list[_Unit] = []
    milestones: list[Milestone] = []
    for proc, state in procedures:
        current = state if state is not None else new_run(proc, "")
        mine = _units(proc, current, setup.bodies)
        milestones += _fixed_dates(setup, proc, current, mine)
        _lay(mine, setup, days, _start_index(setup, state, days), reading)
        units += mine
    return units, milestones


def _item(unit: _Unit, days: _Days) -> PlanItem:
    return PlanItem(
        procedure=unit.proc.number,
        title=unit.proc.short_title,
        label=unit.label,
        steps=unit.steps,
        text=unit.proc.step(unit.steps[0]).text,
        hours=unit.hours,
        holders=unit.holders,
        bodies=unit.bodies if not unit.holders else (),
        start=days.days[unit.first],
        end=days.days[unit.last],
        days=unit.last - unit.first + 1,
        cycle=unit.cycle,
        anchor=unit.anchor,
        anchor_text=unit.anchor_text,
        late=unit.late,
        squeezed=unit.squeezed,
        per_step=unit.per_step,
    )


def plan_year(setup: PlanSetup, procedures: Sequence[tuple[Procedure, RunState | None]]) -> YearPlan:
    """The year's plan: every procedure's items on working days, each person's monthly load, the warnings.

    `procedures` pairs each procedure with the state of its run in the year (None when it has no
    run): the run's start, its handings over and its scheduled dates shape the plan.
    """
    if setup.hours_are not in READINGS:
        raise ValueError(f"hours_are must be one of {READINGS}, not {setup.hours_are!r}")
    days = _Days(setup.fy, setup.calendar)
    months = _months(setup.fy)
    units, milestones = _laid(setup, procedures, days, setup.hours_are)
    other_reading = READINGS[1 - READINGS.index(setup.hours_are)]
    other_units, _ = _laid(setup, procedures, days, other_reading)
    load, other = _loads(units, setup, days, setup.hours_are), _loads(other_units, setup, days, other_reading)
    working = tuple(sum(1 for d in days.days if (d.year, d.month) == m) for m in months)
    people = list(setup.staff) + ([NOBODY] if NOBODY in load or NOBODY in other else [])
    zero = [0.0] * len(days.days)
    loads = []
    for person in people:
        leave = _leave_days(setup, person, days, months) if person else (0,) * 12
        capacity = tuple((w - off) * setup.hours_a_day for w, off in zip(working, leave, strict=True))
        loads.append(
            PersonLoad(
                person,
                setup.staff.get(person, ""),
                _by_month(load.get(person, zero), days, months),
                _by_month(other.get(person, zero), days, months),
                capacity if person else (0.0,) * 12,
                leave,
            )
        )
    items = tuple(_item(u, days) for u in units)
    warnings = _warnings(setup, items, milestones, loads, months)
    return YearPlan(
        fy=setup.fy,
        hours_a_day=setup.hours_a_day,
        hours_are=setup.hours_are,
        months=months,
        working_days=working,
        items=items,
        milestones=tuple(sorted(milestones, key=lambda m: (m.date, m.procedure, m.ref))),
        loads=tuple(loads),
        warnings=warnings,
        manual_hours=sum(proc.total_hours for proc, _ in procedures),
        names=dict(setup.staff),
    )


def _warnings(
    setup: PlanSetup,
    items: Sequence[PlanItem],
    milestones: Sequence[Milestone],
    loads: Sequence[PersonLoad],
    months: Sequence[tuple[int, int]],
) -> tuple[PlanWarning, ...]:
    found: list[PlanWarning] = []
    events = [m for m in milestones if m.event]
    for day in sorted({m.date for m in events}):
        same = [m for m in events if m.date == day]
        if not setup.calendar.is_working_day(day):
            found.append(
                PlanWarning(
                    "day_off", date=day, procedures=tuple(m.procedure for m in same), what=tuple(m.ref for m in same)
                )
            )
        for i, one in enumerate(same):
            for two in same[i + 1 :]:
                shared = tuple(p for p in one.holders if p in two.holders)
                if shared:
                    found.append(
                        PlanWarning(
                            "collision",
                            person=shared[0],
                            date=day,
                            procedures=(one.procedure, two.procedure),
                            what=(one.ref, two.ref),
                        )
                    )
    late = [i for i in items if i.late]
    if late:
        found.append(
            PlanWarning(
                "late",
                procedures=tuple(sorted({i.procedure for i in late})),
                what=tuple(f"{i.procedure}:{i.label}" for i in late),
            )
        )
    for load in loads:
        if not load.person:
            found.append(PlanWarning("unassigned", hours=round(load.total, 2), procedures=_nobody(items)))
            continue
        for index in load.over:
            found.append(
                PlanWarning(
                    "over_capacity",
                    person=load.person,
                    month=months[index],
                    hours=load.hours[index],
                    capacity=load.capacity[index],
                )
            )
    return tuple(found)


def _nobody(items: Sequence[PlanItem]) -> tuple[int, ...]:
    return tuple(sorted({i.procedure for i in items if not i.holders}))
