"""`sop plan`: the manual's rows on the fiscal year's working days, each person's load, the warnings, the files."""

from __future__ import annotations

import datetime as dt
import json
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.browser import INSTALL_HINT, BrowserError, check_page, find_chromium
from tests.conftest import Result
from tests.people.conftest import record

Run = Callable[..., Result]
MANUAL_HOURS = 36_356  # the fourteen procedures' hours as the manual prints them (findings/fidelity.md)


@pytest.fixture
def planned(office: Workspace, sop: Run) -> Workspace:
    """Seven hours a day (said explicitly), procedure 1 started on 2 Nov 2026 with its meeting on 8 Dec."""
    (office.root / "sop.toml").write_text('[people]\nhours_a_day = 7\nhours_are = "person"\n', encoding="utf-8")
    record(sop, office, "start", "1", "--date", "2569-11-02")
    record(sop, office, "schedule", "1", "--event", "coordination_meeting", "--date", "2569-12-08")
    return office


def _plan(sop: Run, ws: Workspace) -> dict[str, Any]:
    data = json.loads(record(sop, ws, "plan", "--format", "json").out)
    assert isinstance(data, dict)
    return data


def _item(plan: dict[str, Any], procedure: int, label: str, cycle: int | None = None) -> dict[str, Any]:
    found = [i for i in plan["items"] if i["procedure"] == procedure and i["label"] == label and i["cycle"] == cycle]
    assert len(found) == 1, found
    return found[0]


def _working_days(start: str, end: str, calendar: set[dt.date]) -> list[dt.date]:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    return [d for d in days if d.weekday() < 5 and d not in calendar]


def _days_off(ws: Workspace) -> set[dt.date]:
    from sop_cli.loading.holidays import load_working_calendar

    return set(load_working_calendar(ws).days_off)


def test_rows_fall_on_the_right_working_days_around_real_holidays(planned: Workspace, sop: Run) -> None:
    """Rows before a fixed date go forward from the start; the row of the fixed date ends on it, holidays skipped."""
    plan = _plan(sop, planned)
    # Procedure 1, started Monday 2 Nov 2026. Row ๑-๒: 100 h for 4 people at 7 h = 3.57, so 4 working
    # days forward from the start: 2, 3, 4, 5 Nov.
    first = _item(plan, 1, "๑-๒")
    assert (first["start"], first["end"], first["days"]) == ("2026-11-02", "2026-11-05", 4)
    # Row ๔-๗ holds step ๕, the coordination meeting, set on Tuesday 8 Dec: 360 h / 28 = 12.86, so 13
    # working days ending on 8 Dec, counted back by hand in calendar/holidays.yaml: 8 Dec; Monday 7 Dec
    # (ชดเชยวันพ่อแห่งชาติ) and Saturday 5 Dec (วันพ่อแห่งชาติ) are off; 4, 3, 2, 1 Dec, 30, 27, 26, 25,
    # 24, 23, 20, 19 Nov. It starts on Thursday 19 Nov.
    meeting = _item(plan, 1, "๔-๗")
    assert (meeting["start"], meeting["end"], meeting["days"]) == ("2026-11-19", "2026-12-08", 13)
    assert meeting["anchor"] == "2026-12-08" and meeting["anchor_text"] == "coordination_meeting"
    assert len(_working_days(meeting["start"], meeting["end"], _days_off(planned))) == 13
    # Row ๘ (12 h, one day) follows: Wednesday 9 Dec (10 Dec is วันรัฐธรรมนูญ).
    assert (_item(plan, 1, "๘")["start"], _item(plan, 1, "๘")["end"]) == ("2026-12-09", "2026-12-09")
    # Procedure 2 (not started) does step ๑๑, the inspection, in February (๒.๒): its row ๑๐-๑๑ of the
    # first cycle has half the row's 240 h, 120 h for 4 people = 4.29, so 5 working days ending on the
    # last working day of February 2027, Friday 26 Feb; back from it: 25, 24, 23 Feb; Monday 22 Feb is
    # ชดเชยวันมาฆบูชา and Sunday 21 Feb วันมาฆบูชา, so the fifth day is Friday 19 Feb.
    visit = _item(plan, 2, "๑๐-๑๑", cycle=1)
    assert (visit["start"], visit["end"], visit["days"], visit["hours"]) == ("2027-02-19", "2027-02-26", 5, 120)
    assert _working_days("2027-02-19", "2027-02-26", _days_off(planned)) == [
        dt.date(2027, 2, 19), dt.date(2027, 2, 23), dt.date(2027, 2, 24), dt.date(2027, 2, 25), dt.date(2027, 2, 26)
    ]  # fmt: skip
    # The first cycle's report (row ๑๔) ends by the six-month round of section ๗, 31 March 2027.
    assert _item(plan, 2, "๑๔", cycle=1)["end"] == "2027-03-31"


def test_the_load_sums_to_the_manual_s_hours_and_overloads_are_reported(planned: Workspace, sop: Run) -> None:
    """Person-hours shared among holders add up to the manual's 36,356; a month above capacity is a warning."""
    plan = _plan(sop, planned)
    total = sum(sum(load["hours"]) for load in plan["loads"])
    assert total == pytest.approx(MANUAL_HOURS, abs=0.01)
    assert plan["manual_hours"] == MANUAL_HOURS
    nanthana = next(load for load in plan["loads"] if load["person"] == "nanthana")
    # October 2026 has 20 working days (13 Oct and 23 Oct are off): 140 hours of capacity.
    assert nanthana["capacity"][0] == 140
    over = [w for w in plan["warnings"] if w["kind"] == "over_capacity" and w["person"] == "nanthana"]
    assert over and all(w["hours"] > w["capacity"] for w in over)
    assert (2026, 11) in [tuple(w["month"]) for w in over]
    nobody = next(w for w in plan["warnings"] if w["kind"] == "unassigned")
    assert nobody["procedures"] == [5, 6, 10]


def test_both_readings_are_shown_when_they_differ(planned: Workspace, sop: Run) -> None:
    """Read as elapsed hours every holder carries all of a row's hours: the other column shows it."""
    plan = _plan(sop, planned)
    nanthana = next(load for load in plan["loads"] if load["person"] == "nanthana")
    assert sum(nanthana["other"]) > 3 * sum(nanthana["hours"])  # rows of four: four times, less rounding
    summary = record(sop, planned, "plan").out
    assert "Planned (person-hours)" in summary and "As elapsed hours" in summary
    (planned.root / "sop.toml").write_text('[people]\nhours_are = "elapsed"\n', encoding="utf-8")
    elapsed = _plan(sop, planned)
    assert elapsed["hours_are"] == "elapsed"
    again = next(load for load in elapsed["loads"] if load["person"] == "nanthana")
    assert sum(again["hours"]) == pytest.approx(sum(nanthana["other"]))


def test_leave_moves_the_load_to_the_substitute_and_lowers_capacity(planned: Workspace, sop: Run) -> None:
    """saowalak's week of leave: her capacity drops by 5 days × 7 h and warunee carries her hours of that week."""
    before = {load["person"]: load for load in _plan(sop, planned)["loads"]}
    args = ("leave", "saowalak", "--from", "2569-11-23", "--to", "2569-11-27", "--substitute", "warunee")
    record(sop, planned, *args)
    after = {load["person"]: load for load in _plan(sop, planned)["loads"]}
    november = 1
    assert after["saowalak"]["capacity"][november] == before["saowalak"]["capacity"][november] - 35
    assert after["saowalak"]["leave_days"][november] == 5
    moved = before["saowalak"]["hours"][november] - after["saowalak"]["hours"][november]
    assert moved > 0
    gained = after["warunee"]["hours"][november] - before["warunee"]["hours"][november]
    assert gained == pytest.approx(moved)


def test_two_fixed_events_on_one_day_collide(planned: Workspace, sop: Run) -> None:
    """The inspection visit set on the meeting's day is a collision for the people of both; a holiday, a warning."""
    record(sop, planned, "schedule", "1", "--event", "inspection_visit", "--date", "2569-12-08")
    warnings = _plan(sop, planned)["warnings"]
    collision = next(w for w in warnings if w["kind"] == "collision")
    assert collision["date"] == "2026-12-08" and set(collision["what"]) == {"coordination_meeting", "inspection_visit"}
    record(sop, planned, "schedule", "1", "--event", "inspection_visit", "--date", "2569-12-10")
    day_off = next(w for w in _plan(sop, planned)["warnings"] if w["kind"] == "day_off")
    assert day_off["date"] == "2026-12-10"
    summary = record(sop, planned, "plan", "--lang", "th").out
    assert "10 ธ.ค. 2569 เป็นวันหยุดราชการ" in summary


def test_the_workbook_has_the_plan_the_load_and_the_warnings(planned: Workspace, sop: Run) -> None:
    """--format xlsx writes four sheets under exports/2570/, the rows with Thai dates, a row per person and measure."""
    from openpyxl import load_workbook

    done = record(sop, planned, "plan", "--format", "xlsx")
    path = planned.root / "exports" / "2570" / "sop-plan-2570.xlsx"
    assert "sop-plan-2570.xlsx" in done.out and path.is_file()
    book = load_workbook(path)
    assert book.sheetnames == ["แผนงาน", "ภาระงาน", "กำหนดตายตัว", "คำเตือน"]
    plan = book["แผนงาน"]
    header = [c.value for c in plan[1]]
    assert header[:4] == ["ที่", "งาน", "แถว/ขั้นตอน", "ขั้นตอนที่"]
    row = next(r for r in plan.iter_rows(min_row=2, values_only=True) if r[0] == 1 and r[2] == "แถว ๔-๗")
    assert row[8] == dt.datetime(2026, 11, 19) and row[9] == dt.datetime(2026, 12, 8) and row[10] == 13
    assert plan["I2"].number_format.startswith("[$-107041E]")  # Buddhist Era dates
    assert plan.page_setup.orientation == "landscape"
    load = book["ภาระงาน"]
    people = {r[0] for r in load.iter_rows(min_row=2, values_only=True)}
    assert "นันทนา จันทร์ฝั้น" in people
    again = sop("plan", "--format", "xlsx", cwd=planned.root)
    assert again.code == ExitCode.USER_ERROR and "pass --force" in again.err
    assert record(sop, planned, "plan", "--out", str(path), "--force").code == ExitCode.OK


def test_plan_refuses_an_output_inside_the_records(planned: Workspace, sop: Run) -> None:
    """--out follows the one output rule: never inside records/."""
    refused = sop("plan", "--out", str(planned.records / "plan.xlsx"), cwd=planned.root)
    assert refused.code == ExitCode.USER_ERROR and "records/ folder" in refused.err


def _png_width(data: bytes) -> int:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int(struct.unpack(">I", data[16:20])[0])


@pytest.mark.parametrize(("width", "mobile"), [(1280, False), (390, True)], ids=["desktop", "phone"])
def test_the_page_in_a_real_browser(planned: Workspace, sop: Run, tmp_path: Path, width: int, mobile: bool) -> None:
    """Chromium opens the page: no script, no request, no error, a Gantt per procedure, a chart per person."""
    if find_chromium() is None:
        pytest.fail(f"Chromium is needed for this test and was not found: {INSTALL_HINT}")
    page = tmp_path / "plan.html"
    record(sop, planned, "plan", "--out", str(page))
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text.lower() and "http" not in text.split("<body>")[1].split("</footer>")[0]
    facts = {
        "scripts": "document.scripts.length",
        "text": "document.body.innerText",
        "overflow": "document.documentElement.scrollWidth - document.documentElement.clientWidth",
        "gantts": "document.querySelectorAll('article.procedure svg').length",
        "people": "document.querySelectorAll('article.person svg').length",
        "bars": "document.querySelectorAll('article.procedure rect.bar').length",
        "font": "getComputedStyle(document.body).fontFamily",
    }
    try:
        check = check_page(page, width=width, height=900, mobile=mobile, evaluate=facts, timeout=90)
    except BrowserError as exc:
        pytest.fail(str(exc))
    (tmp_path / f"plan-{width}.png").write_bytes(check.screenshot)
    assert _png_width(check.screenshot) == width and len(check.screenshot) > 50_000
    assert check.errors == [] and check.requests == []
    values = check.values
    assert values["scripts"] == 0 and values["overflow"] <= 0
    assert values["gantts"] == 14 and values["people"] == 15  # fourteen staff, and the rows without a person
    assert values["bars"] == len(_plan(sop, planned)["items"])
    assert "แผนงานตามคู่มือการปฏิบัติงาน ปีงบประมาณ 2570" in values["text"] and "Sarabun" in values["font"]
    assert "coordination_meeting" in text  # the fixed date's name, in a tooltip
