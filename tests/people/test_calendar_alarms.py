"""`sop calendar`: each open deadline and each coming scheduled event rings some working days before."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.people.conftest import record

Run = Callable[..., Result]


def _events(path: Path) -> list[object]:
    from icalendar import Calendar

    return list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))


def _trigger(event: object) -> dt.datetime:
    (alarm,) = list(event.walk("VALARM"))  # type: ignore[attr-defined]
    assert str(alarm["ACTION"]) == "DISPLAY"
    value = alarm["TRIGGER"].dt
    assert isinstance(value, dt.datetime)
    return value


def test_alarms_ring_working_days_before_at_the_start_of_the_day(busy: Workspace, sop: Run, tmp_path: Path) -> None:
    """[people] remind_days_before = 2: ๖.๔ due Monday 30 Nov 2026 rings Thursday 26 Nov at 08:30 Bangkok."""
    (busy.root / "sop.toml").write_text("[people]\nremind_days_before = 2\n", encoding="utf-8")
    out = tmp_path / "sop.ics"
    record(sop, busy, "calendar", "--out", str(out), "--person", "saowalak")
    events = _events(out)
    bangkok = BANGKOK
    item = next(e for e in events if "กำหนด 1.6.4 " in str(e["SUMMARY"]))  # type: ignore[index]
    # Two working days before Monday 30 Nov: Friday 27, Thursday 26 (no holiday between).
    assert _trigger(item).astimezone(bangkok) == dt.datetime(2026, 11, 26, 8, 30, tzinfo=bangkok)
    visit = next(e for e in events if "inspection_visit" in str(e["SUMMARY"]))  # type: ignore[index]
    # The visit on Thursday 10 Dec (itself วันรัฐธรรมนูญ): back over 9 and 8 Dec; 7 Dec is a day off.
    assert _trigger(visit).astimezone(bangkok) == dt.datetime(2026, 12, 8, 8, 30, tzinfo=bangkok)
    for event in events:  # met deadlines and the meeting already past (20 Nov) ring no more
        summary = str(event["SUMMARY"])  # type: ignore[index]
        expected = 0 if summary.startswith("✓") or "coordination_meeting" in summary else 1
        assert len(event.walk("VALARM")) == expected, summary  # type: ignore[attr-defined]
