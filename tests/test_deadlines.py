"""Deadlines from the manual's timing rules, in real Thai working days (FY 2570)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from sop_cli.deadlines import LATE, MET, OPEN, OVERDUE, Deadline, event_names, run_deadlines
from sop_cli.engine import RunState, apply, new_run
from sop_cli.loading.catalog import load_catalog
from sop_cli.loading.holidays import load_holiday_calendar
from sop_cli.models.catalog import Catalog
from sop_cli.models.procedure import Procedure
from sop_cli.storage.records import _event_adapter
from sop_cli.thai_calendar import BANGKOK
from sop_cli.working_days import WorkingCalendar
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT

D = dt.date


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    """The shipped procedures."""
    return load_catalog(Workspace(PROJECT))


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    """The shipped calendar of days off (BE 2568-2572)."""
    return load_holiday_calendar(Workspace(PROJECT))


_n = iter(range(10**6))


def play(proc: Procedure, *events: dict[str, Any]) -> RunState:
    """Apply events (type and fields) to a fresh started run of `proc`."""
    state = new_run(proc, "run1")
    for fields in ({"type": "started", "fy": 2570}, *events):
        n = next(_n)
        base = {
            "schema_version": 1,
            "id": f"ev{n:06d}",
            "procedure": proc.number,
            "run": "run1",
            "at": dt.datetime(2026, 11, 1, tzinfo=BANGKOK) + dt.timedelta(minutes=n),
            "date": fields.pop("date", "2026-11-02"),
            "by": "nanthana",
        }
        state = apply(state, proc, _event_adapter().validate_python(base | fields))
    return state


def by_ref(deadlines: list[Deadline]) -> dict[str, list[Deadline]]:
    """Deadlines grouped by ref."""
    grouped: dict[str, list[Deadline]] = {}
    for d in deadlines:
        grouped.setdefault(d.ref, []).append(d)
    return grouped


def test_every_timing_statement_of_the_manual_is_encoded(catalog: Catalog) -> None:
    """The list of timing statements per procedure: all of procedure 1's standards, the inspection
    months of 1 and 2, monitoring rounds, the yearly research report of 7, quarterly records of 1-4."""
    found = {}
    for number, proc in catalog.procedures.items():
        refs = [f"6.{i}:{s.timing.kind}" for i, s in enumerate(proc.standards, 1) if s.timing]
        refs += [f"{t.ref}:{t.timing.kind}" for t in proc.timings]
        refs += [f"7.{i}:{r.name}" for i, r in enumerate(proc.monitoring.rounds, 1)]
        found[number] = refs
    six_and_twelve = ["7.1:๖ เดือน", "7.2:๑ ปี"]
    assert found[1] == [
        "6.1:before_event", "6.2:within_quarters", "6.3:within_quarters", "6.4:before_event",
        "6.5:before_event", "6.6:response_share", "6.7:within_fiscal_year", "6.8:within_quarters",
        "๒.๒:in_months", "๑๐:each_quarter", *six_and_twelve,
    ]  # fmt: skip
    assert found[2] == ["๒.๒:in_months", "๑๐:each_quarter", *six_and_twelve]
    assert found[3] == ["๑๐:each_quarter", *six_and_twelve]
    assert found[4] == ["๑๐:each_quarter", *six_and_twelve]
    assert found[7] == ["๕:count_per_year"]  # "จำนวน ๒ ครั้ง/ปีงบประมาณ": no quarters stated
    assert catalog.procedure(7).monitoring.times_per_year == 2
    for number in (5, 8, 9):
        assert found[number] == six_and_twelve, number
    assert found[12] == ["7.1:๖ เดือน", "7.2:๑ ปีงบประมาณ"]  # the procedure's own wording
    for number in (10, 11, 14):  # section 7 states no round
        assert found[number] == [], number
    assert found[13] == ["7.1:สิ้นปีการศึกษา"]  # "เมื่อสิ้นปีการศึกษา": a date of the office's settings
    assert catalog.procedure(13).monitoring.rounds[0].at == "academic_year_end"
    # ๖.๘ "ประชุมติดตามการดำเนินงานเป็นระยะ" is section ๗'s "ประชุมวางแผนรายเดือน"; ๗ its yearly report.
    assert found[6] == ["6.8:each_month", "๗:within_fiscal_year"]
    assert event_names(catalog.procedure(1)) == ["coordination_meeting", "inspection_visit", "tools_sent"]


def test_inspection_visit_deadlines(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Visit on Monday 15 Feb 2027: notify 7 working days before (Thu 4 Feb), tools 10 before
    (Mon 1 Feb); only weekends fall in between (Makha Bucha is 21-22 Feb, after the visit)."""
    proc = catalog.procedure(1)
    state = play(proc, {"type": "scheduled", "event": "inspection_visit", "on": "2027-02-15"})
    found = by_ref(run_deadlines(proc, state, 2570, D(2026, 11, 25), calendar))
    assert found["6.4"][0].due == D(2027, 2, 4)
    assert found["6.5"][0].due == D(2027, 2, 1)
    assert found["6.4"][0].status == OPEN
    # 25 Nov 2026 to 4 Feb 2027: holidays 5 Dec (Sat, substituted Mon 7), 10, 31 Dec, 1 Jan (Fri):
    assert found["6.4"][0].days_left == calendar.working_days_between(D(2026, 11, 25), D(2027, 2, 4))
    assert found["6.4"][0].days_left == 47


def test_unscheduled_events_wait(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """A rule that depends on an event with no date says so, and has no made-up date (in each round)."""
    proc = catalog.procedure(1)
    found = by_ref(run_deadlines(proc, play(proc), 2570, D(2026, 11, 25), calendar))
    assert (found["6.1"][0].due, found["6.1"][0].waiting_for) == (None, "coordination_meeting")
    assert [(d.due, d.waiting_for, d.cycle) for d in found["6.6"]] == [(None, "tools_sent", 1), (None, "tools_sent", 2)]


def test_calendar_days_before_a_meeting(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """ "At least 1 week before the coordination meeting": Tue 15 Dec 2026 → Tue 8 Dec 2026."""
    proc = catalog.procedure(1)
    state = play(proc, {"type": "scheduled", "event": "coordination_meeting", "on": "2026-12-15"})
    found = by_ref(run_deadlines(proc, state, 2570, D(2026, 11, 25), calendar))
    assert found["6.1"][0].due == D(2026, 12, 8)


def test_the_meeting_is_step_five(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """๖.๑ counts from the meeting of step ๕, as ๖.๒ does: the day step 5 is done wins over a planned date.

    Planned for Sun 20 Dec, held (step 5 done) on Tue 15 Dec 2026: the plan was due 7 calendar days
    before, Tue 8 Dec (the holidays of 5, 7 and 10 Dec do not matter for calendar days).
    """
    proc = catalog.procedure(1)
    steps = [{"type": "step_completed", "step": n, "date": "2026-12-15"} for n in range(1, 6)]
    state = play(proc, {"type": "scheduled", "event": "coordination_meeting", "on": "2026-12-20"}, *steps)
    found = by_ref(run_deadlines(proc, state, 2570, D(2026, 12, 16), calendar))
    assert (found["6.1"][0].due, found["6.1"][0].status) == (D(2026, 12, 8), OVERDUE)
    planned = play(proc, {"type": "scheduled", "event": "coordination_meeting", "on": "2026-12-20"})
    found = by_ref(run_deadlines(proc, planned, 2570, D(2026, 12, 1), calendar))
    assert found["6.1"][0].due == D(2026, 12, 13)  # until the meeting is held, the planned date


def test_response_share_over_songkran(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Forms sent Mon 5 Apr 2027: 30 working days skip 6 Apr (Chakri), 13-15 Apr (Songkran),
    3-4 May (Labour Day substitute, Coronation) and 20 May (Visakha): due Wed 26 May 2027.

    Sent in April, the forms are the first round's, and so is a count of May (it follows the sending).
    """
    proc = catalog.procedure(1)
    events = [{"type": "scheduled", "event": "tools_sent", "on": "2027-04-05"}]
    state = play(proc, *events, {"type": "count", "ref": "6.6", "received": 30, "expected": 50})
    (d, _) = by_ref(run_deadlines(proc, state, 2570, D(2027, 5, 27), calendar))["6.6"]
    assert (d.due, d.cycle) == (D(2027, 5, 26), 1)
    assert (d.status, d.days_left, d.detail) == (OVERDUE, -1, "ครั้งที่ 1 · 30/50 (60%)")
    state = play(proc, *events, {"type": "count", "ref": "6.6", "received": 42, "expected": 50, "date": "2027-05-20"})
    (d, second) = by_ref(run_deadlines(proc, state, 2570, D(2027, 5, 27), calendar))["6.6"]
    assert (d.status, d.done_on, d.detail) == (MET, D(2027, 5, 20), "ครั้งที่ 1 · 42/50 (84%)")
    assert (second.cycle, second.status, second.waiting_for) == (2, OPEN, "tools_sent")


def test_quarters_months_and_year(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Within Q1 → 31 Dec 2026; Q4 → 30 Sep 2027; the inspection rounds → end of Feb and of Aug, both
    in the one run; quarterly records → the end of each quarter; the monitoring rounds → 31 Mar and
    30 Sep 2027. Each yearly deadline appears once."""
    proc = catalog.procedure(1)
    found = by_ref(run_deadlines(proc, play(proc), 2570, D(2026, 10, 1), calendar))
    assert [d.due for d in found["6.2"]] == [D(2026, 12, 31)]
    assert [d.due for d in found["6.8"]] == [D(2027, 9, 30)]
    assert [d.due for d in found["6.7"]] == [D(2027, 9, 30)]
    assert [(d.due, d.cycle, d.detail) for d in found["2.2"]] == [
        (D(2027, 2, 28), 1, "ครั้งที่ 1"),
        (D(2027, 8, 31), 2, "ครั้งที่ 2"),
    ]
    assert [d.due for d in found["10"]] == [D(2026, 12, 31), D(2027, 3, 31), D(2027, 6, 30), D(2027, 9, 30)]
    assert [d.due for d in found["7.1"] + found["7.2"]] == [D(2027, 3, 31), D(2027, 9, 30)]
    every = [d for deadlines in found.values() for d in deadlines]
    # Once a year: 6.1-6.3, 6.7, 6.8, four quarters and two monitoring rounds; per round: 4 rules × 2.
    assert sum(d.cycle is None for d in every) == 11 and sum(d.cycle is not None for d in every) == 8


def test_the_second_round_has_its_own_visit(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Visits on Mon 15 Feb and Mon 16 Aug 2027 in one run give each round its own 6.4 and 6.5.

    August by hand: 7 working days before Mon 16 Aug, skipping the weekends and Thu 12 Aug (Mother's
    Day), is Wed 4 Aug; 10 working days before is Fri 30 Jul (28 Jul, the King's birthday, is a
    Wednesday before it and not counted twice). Forms sent Mon 2 Aug: 30 working days, skipping 12
    Aug, end on Tue 14 Sep 2027.
    """
    proc = catalog.procedure(1)
    state = play(
        proc,
        {"type": "scheduled", "event": "inspection_visit", "on": "2027-02-15"},
        {"type": "scheduled", "event": "inspection_visit", "on": "2027-08-16"},
        {"type": "scheduled", "event": "tools_sent", "on": "2027-08-02"},
        {"type": "standard_met", "ref": "6.4", "date": "2027-02-03"},  # the February round's notice
    )
    found = by_ref(run_deadlines(proc, state, 2570, D(2027, 3, 1), calendar))
    assert [(d.cycle, d.due, d.status) for d in found["6.4"]] == [(1, D(2027, 2, 4), MET), (2, D(2027, 8, 4), OPEN)]
    assert [(d.cycle, d.due) for d in found["6.5"]] == [(1, D(2027, 2, 1)), (2, D(2027, 7, 30))]
    assert [(d.cycle, d.due, d.waiting_for) for d in found["6.6"]] == [
        (1, None, "tools_sent"),
        (2, D(2027, 9, 14), None),
    ]


def test_a_finished_run_still_owes_the_rounds(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Procedure 1's eight steps are done by December: its yearly deadlines are met, its rounds are not."""
    proc = catalog.procedure(1)
    steps = [{"type": "step_completed", "step": n, "date": "2026-12-15"} for n in range(1, 9) if n != 6]
    state = play(
        proc, *steps[:5], {"type": "decision", "step": 6, "outcome": "approved", "date": "2026-12-15"}, *steps[5:]
    )
    found = by_ref(run_deadlines(proc, state, 2570, D(2026, 12, 20), calendar))
    assert found["6.8"][0].status == MET
    assert [d.status for d in found["2.2"]] == [OPEN, OPEN]


def test_completeness_is_met_by_a_full_count(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """๖.๕ "ครบทุกหน่วยรับตรวจ (ร้อยละ ๑๐๐)": 49 of 50 units is not met; 50 of 50 is, on its day."""
    proc = catalog.procedure(1)
    visit = {"type": "scheduled", "event": "inspection_visit", "on": "2027-02-15"}
    short = play(proc, visit, {"type": "count", "ref": "6.5", "received": 49, "expected": 50, "date": "2027-01-28"})
    (first, _) = by_ref(run_deadlines(proc, short, 2570, D(2027, 1, 29), calendar))["6.5"]
    assert (first.status, first.detail) == (OPEN, "ครั้งที่ 1 · 49/50 (98%)")
    full = play(proc, visit, {"type": "count", "ref": "6.5", "received": 50, "expected": 50, "date": "2027-01-28"})
    (first, second) = by_ref(run_deadlines(proc, full, 2570, D(2027, 1, 29), calendar))["6.5"]
    assert (first.status, first.done_on) == (MET, D(2027, 1, 28))
    assert second.status == OPEN and second.waiting_for == "inspection_visit"


def test_the_monthly_meeting(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """๖.๘: one meeting a month, met by a mark dated in that month; October 2026 without one is overdue."""
    proc = catalog.procedure(6)
    state = play(
        proc,
        {"type": "standard_met", "ref": "6.8", "date": "2026-11-12"},
        {"type": "standard_met", "ref": "6.8", "date": "2026-11-26"},  # a second meeting in November
    )
    months = by_ref(run_deadlines(proc, state, 2570, D(2026, 12, 1), calendar))["6.8"]
    assert [d.due for d in months[:3]] == [D(2026, 10, 31), D(2026, 11, 30), D(2026, 12, 31)]
    assert len(months) == 12 and months[-1].due == D(2027, 9, 30)
    assert [(d.status, d.done_on) for d in months[:3]] == [(OVERDUE, None), (MET, D(2026, 11, 12)), (OPEN, None)]
    assert months[0].detail == "ตุลาคม 2569"


def test_two_evaluations_a_year(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Procedure ๗'s "๒ ครั้ง/ปีงบประมาณ": two marks of ref 7 by 30 Sep 2027, no quarter assumed."""
    proc = catalog.procedure(7)
    once = play(proc, {"type": "standard_met", "ref": "7", "date": "2027-03-10"})
    (seven,) = by_ref(run_deadlines(proc, once, 2570, D(2027, 4, 1), calendar))["7"]
    assert (seven.due, seven.status, seven.detail) == (D(2027, 9, 30), OPEN, "1/2")
    twice = play(proc, *({"type": "standard_met", "ref": "7", "date": d} for d in ("2027-03-10", "2027-09-01")))
    (seven,) = by_ref(run_deadlines(proc, twice, 2570, D(2027, 9, 2), calendar))["7"]
    assert (seven.status, seven.done_on, seven.detail) == (MET, D(2027, 9, 1), "2/2")


def test_the_end_of_the_academic_year(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """๑๓ "เมื่อสิ้นปีการศึกษา": 31 Mar 2027 by default, the office's date when set; done after it is not late."""
    proc = catalog.procedure(13)
    (default,) = by_ref(run_deadlines(proc, play(proc), 2570, D(2027, 3, 1), calendar))["7.1"]
    assert (default.due, default.kind) == (D(2027, 3, 31), "academic_year_end")
    done = play(proc, {"type": "standard_met", "ref": "7.1", "date": "2027-04-05"})
    (evaluated,) = by_ref(run_deadlines(proc, done, 2570, D(2027, 4, 6), calendar, academic_year_end=D(2027, 4, 1)))[
        "7.1"
    ]
    assert (evaluated.due, evaluated.status, evaluated.done_on) == (D(2027, 4, 1), MET, D(2027, 4, 5))


def test_met_by_mark_by_step_late_and_overdue(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """A deadline is met by `--met REF`, by its linked step, late when after the due date, and
    overdue when the due date passed with nothing done."""
    proc = catalog.procedure(1)
    state = play(
        proc,
        {"type": "standard_met", "ref": "6.3", "date": "2027-01-05"},  # after 31 Dec: late
        {"type": "standard_met", "ref": "10", "date": "2026-12-20"},  # Q1's records kept
        *({"type": "step_completed", "step": n, "date": "2026-12-01"} for n in range(1, 6)),  # 6.2 by step 5
    )
    found = by_ref(run_deadlines(proc, state, 2570, D(2027, 1, 6), calendar))
    assert (found["6.2"][0].status, found["6.2"][0].done_on) == (MET, D(2026, 12, 1))
    assert found["6.3"][0].status == LATE
    assert [d.status for d in found["10"]] == [MET, OPEN, OPEN, OPEN]
    assert found["6.8"][0].status == OPEN
    nothing = by_ref(run_deadlines(proc, play(proc), 2570, D(2027, 1, 6), calendar))
    (q1,) = [d for d in nothing["10"] if d.due == D(2026, 12, 31)]
    # Overdue since 31 Dec: 1 Jan is a holiday, 4-6 Jan are working days → 3 working days late.
    assert (q1.status, q1.days_left) == (OVERDUE, -3)


def test_research_report_per_year(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """Procedure 7's one research report per fiscal year is met when step 4 is done."""
    proc = catalog.procedure(7)
    (open_,) = by_ref(run_deadlines(proc, play(proc), 2570, D(2027, 3, 1), calendar))["5"]
    assert (open_.due, open_.status, open_.detail) == (D(2027, 9, 30), OPEN, "0/1")
    done = play(proc, *({"type": "step_completed", "step": n, "date": "2027-06-01"} for n in range(1, 5)))
    (met,) = by_ref(run_deadlines(proc, done, 2570, D(2027, 7, 1), calendar))["5"]
    assert (met.status, met.done_on) == (MET, D(2027, 6, 1))


def test_cancelled_runs_have_no_deadlines(catalog: Catalog, calendar: WorkingCalendar) -> None:
    """A cancelled run owes nothing."""
    proc = catalog.procedure(3)
    state = play(proc, {"type": "cancelled", "reason": "ยกเลิก"})
    assert run_deadlines(proc, state, 2570, D(2027, 1, 6), calendar) == []
