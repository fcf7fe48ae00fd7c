"""Deadline commands through the real entry point: schedule, due, note --met/--count, calendar, holidays."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.errors import ExitCode
from sop_cli.storage.cache import workspace_cache
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under

Run = Callable[..., Result]


def test_schedule_then_due_shows_the_visit_deadlines(office: Workspace, sop: Run) -> None:
    """The issue's example: visit on 2570-02-15 → notify by 4 Feb 2570, tools by 1 Feb 2570."""
    sop("start", "1", "--label", "ครั้งที่ 1", cwd=office.root)
    scheduled = sop("schedule", "1", "--event", "inspection_visit", "--date", "2570-02-15", cwd=office.root)
    assert scheduled.code == ExitCode.OK
    assert "inspection visit of run" in scheduled.out and "15 ก.พ. 2570" in scheduled.out
    data = json.loads(sop("due", "--format", "json", cwd=office.root).out)
    # One run carries both inspection rounds: the visit of February is the first round's.
    mine = {d["ref"]: d for d in data if d["procedure"] == 1 and d["run"] is not None and d["cycle"] in (None, 1)}
    assert mine["6.4"]["due"] == "2027-02-04" and mine["6.4"]["days_left"] == 47
    assert mine["6.5"]["due"] == "2027-02-01" and mine["6.5"]["days_left"] == 44
    assert mine["6.1"]["due"] is None and mine["6.1"]["waiting_for"] == "coordination_meeting"
    assert "นันทนา" in mine["6.4"]["persons"]
    dues = [d["due"] for d in data if d["due"] is not None]
    assert dues == sorted(dues)  # soonest first
    table = sop("due", "--within", "50", cwd=office.root).out
    assert "4 ก.พ. 2570" in table and "1 ก.พ. 2570" in table
    assert "แจ้งประสานกำหนดการลงพื้นที่ตรวจราชการ" in table
    assert "30 ก.ย. 2570" not in table  # beyond 50 working days


def test_due_filters_by_person(office: Workspace, sop: Run) -> None:
    """--person keeps the deadlines of that supervisor's procedures only."""
    data = json.loads(sop("due", "--person", "anurak", "--format", "json", cwd=office.root).out)
    assert data and {d["procedure"] for d in data} <= {10, 11, 12, 13, 14}
    bad = sop("due", "--person", "somchai", cwd=office.root)
    assert bad.code == ExitCode.USER_ERROR and "'somchai' is not in the staff roster" in bad.err


def test_status_shows_the_next_deadline(office: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each row of `sop status` shows its next deadline with its date and working days left."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("SOP_LANG", "th")  # the table's Thai wording
    sop("start", "1", "--label", "ครั้งที่ 1", cwd=office.root)
    out = sop("status", cwd=office.root).out
    assert "⏰ 31 ธ.ค. 2569 อีก 23 วันทำการ" in out
    monkeypatch.setenv("SOP_NOW", "2027-01-06T09:00:00")
    late = sop("status", cwd=office.root).out
    assert "⏰ 31 ธ.ค. 2569 เกินมา 3 วันทำการ" in late


def test_met_and_count_notes(office: Workspace, sop: Run) -> None:
    """`note --met REF` closes a deadline; `--count 42/50` tracks the share of responses."""
    sop("start", "1", cwd=office.root)
    assert sop("note", "1", "--met", "6.2", cwd=office.root).code == ExitCode.OK
    sop("schedule", "1", "--event", "tools_sent", "--date", "2569-11-20", cwd=office.root)
    counted = sop("note", "1", "--count", "๔๒/๕๐", cwd=office.root)
    assert "responses for 6.6: 42/50" in counted.out
    data = json.loads(sop("due", "--format", "json", cwd=office.root).out)
    refs = {(d["ref"], d["cycle"]) for d in data if d["procedure"] == 1}
    # The count met 6.6 for the first inspection round; the second round owes it again.
    assert ("6.2", None) not in refs and ("6.6", 1) not in refs and ("6.6", 2) in refs


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schedule", "1", "--event", "party", "--date", "2570-02-15"], "procedure 1 has no event 'party'"),
        (["schedule", "1", "--event", "inspection_visit", "--date", "2570-02-30"], "is not a day of the calendar"),
        (["schedule", "1", "--event", "inspection_visit", "--date", "25700-02-15"], "cannot be meant"),
        (["note", "1", "--met", "6.9"], "procedure 1 has no deadline 6.9"),
        (["note", "3", "--count", "4/5"], "procedure 3 has no rule counted in responses"),
        (["due", "--fy", "2580"], "the holiday calendar does not cover the year"),
    ],
)
def test_bad_deadline_input(office: Workspace, sop: Run, args: list[str], message: str) -> None:
    """Unknown events, impossible dates, unknown refs, bad counts, uncovered years: one line, nothing written."""
    sop("start", "1", cwd=office.root)
    sop("start", "3", cwd=office.root)
    before = files_under(office.root)
    result = sop(*args, cwd=office.root)
    assert result.code == ExitCode.USER_ERROR
    assert message in result.err
    assert result.err.count("\n") == 1
    assert files_under(office.root) == before


def test_uncovered_year_names_the_fix(office: Workspace, sop: Run) -> None:
    """A year the calendar does not cover says which command fixes it."""
    result = sop("due", "--fy", "2580", cwd=office.root)
    assert "run `sop holidays update --years" in result.err


def test_calendar_file_parses_back(office: Workspace, sop: Run, tmp_path: Path) -> None:
    """The .ics holds every dated deadline and scheduled event, with Thai titles and stable UIDs."""
    from icalendar import Calendar

    sop("start", "1", cwd=office.root)
    sop("schedule", "1", "--event", "inspection_visit", "--date", "2570-02-15", cwd=office.root)
    out = tmp_path / "sop.ics"
    written = sop("calendar", "--out", str(out), cwd=office.root)
    assert written.code == ExitCode.OK
    cal = Calendar.from_ical(out.read_bytes())
    events = list(cal.walk("VEVENT"))
    due = json.loads(sop("due", "--format", "json", cwd=office.root).out)
    dated = [d for d in due if d["due"] is not None]
    assert len(events) >= len(dated) + 1
    summaries = [str(e["SUMMARY"]) for e in events]
    assert any(s.startswith("กำหนด 1.6.4 ประสานและสนับสนุนการตรวจราชการ") for s in summaries)
    assert any(s.startswith("inspection_visit · 1.") for s in summaries)
    for event in events:
        start = event.decoded("DTSTART")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)
        assert event.decoded("DTEND") == start + dt.timedelta(days=1)
        assert str(event["UID"]).endswith("@sop.chiangrai")
    visit = next(e for e in events if str(e["SUMMARY"]).startswith("inspection_visit"))
    assert visit.decoded("DTSTART") == dt.date(2027, 2, 15)
    assert str(cal["X-WR-TIMEZONE"]) == "Asia/Bangkok"
    uids = sorted(str(e["UID"]) for e in events)
    assert len(set(uids)) == len(uids)
    again = tmp_path / "again.ics"
    sop("calendar", "--out", str(again), cwd=office.root)
    assert sorted(str(e["UID"]) for e in Calendar.from_ical(again.read_bytes()).walk("VEVENT")) == uids
    missing = sop("calendar", "--out", str(tmp_path / "nope" / "x.ics"), cwd=office.root)
    assert missing.code == ExitCode.USER_ERROR and "does not exist" in missing.err


def test_holidays_list_and_update(office: Workspace, sop: Run) -> None:
    """`holidays list` shows the days off of a fiscal year; `holidays update` rewrites the file."""
    listing = sop("holidays", "list", "--fy", "2570", cwd=office.root).out
    assert "13 เม.ย. 2570" in listing and "วันสงกรานต์" in listing
    assert "1 ม.ค. 2570" in listing and "2 ม.ค. 2569" not in listing
    updated = sop("holidays", "update", "--years", "2569-2570", cwd=office.root)
    assert updated.code == ExitCode.OK and "for 2569-2570" in updated.out
    text = (office.root / "calendar" / "holidays.yaml").read_text(encoding="utf-8")
    assert "years: [2569, 2570]" in text
    bad = sop("holidays", "update", "--years", "2026-2027", cwd=office.root)
    assert bad.code == ExitCode.USER_ERROR


def test_status_does_not_import_the_holidays_package(office: Workspace) -> None:
    """`sop status` reads calendar/holidays.yaml only: the `holidays` package stays unloaded."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\nfrom sop_cli.cli import main\nmain(['status'])\nsys.stderr.write(str('holidays' in sys.modules))"
    )
    env = {**os.environ, "SOP_NOW": "2026-11-25T09:00", "COLUMNS": "100"}
    done = subprocess.run([sys.executable, "-c", code], cwd=office.root, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("False")


def test_status_cache_is_never_stale(office: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cached status follows a new event, an edited holiday calendar and a damaged cache file."""
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("SOP_LANG", "th")  # the table's Thai wording
    sop("start", "1", cwd=office.root)
    assert "1. แต่งตั้งคณะกรรมการระดับจังหวัด" in sop("status", cwd=office.root).out
    sop("advance", "1", "--step", "1", cwd=office.root)
    assert "2. ประสานสำนักงานศึกษาธิการภาค" in sop("status", cwd=office.root).out
    assert "อีก 23 วันทำการ" in sop("status", cwd=office.root).out
    holidays = office.root / "calendar" / "holidays.yaml"
    text = holidays.read_text(encoding="utf-8").replace(
        "overrides: []",
        "overrides:\n  - {date: 2026-12-01, action: add, name: วันหยุดพิเศษ, reason: มติคณะรัฐมนตรี (ทดสอบ)}",
    )
    holidays.write_text(text, encoding="utf-8")
    assert "อีก 22 วันทำการ" in sop("status", cwd=office.root).out  # one working day fewer
    for cache in workspace_cache(office.root).glob("*status*"):
        cache.write_bytes(b"not json")
    assert "อีก 22 วันทำการ" in sop("status", cwd=office.root).out


def test_a_warm_status_loads_no_record_model(office: Workspace, sop: Run) -> None:
    """Served from the cache, `sop status` never imports pydantic or the record models, nor does the
    vocabulary a row waiting for a date needs (`sop_cli.rendering.words`)."""
    import os
    import subprocess
    import sys

    assert sop("start", "1", cwd=office.root).code == 0
    assert sop("status", cwd=office.root).code == 0  # fills the cache
    code = (
        "import sys\nfrom sop_cli.cli import main\nmain(['status'])\nimport sop_cli.rendering.words\n"
        "sys.stderr.write(str(sorted(m for m in sys.modules if m.startswith(('pydantic', 'sop_cli.models.records')))))"
    )
    env = {**os.environ, "COLUMNS": "100", "SOP_LANG": "en"}
    done = subprocess.run([sys.executable, "-c", code], cwd=office.root, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "1. " in done.stdout
    assert done.stderr.endswith("[]"), done.stderr[-300:]
