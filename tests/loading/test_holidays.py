"""Loading calendar/holidays.yaml: overrides applied, every bad file reported as path:line:col."""

from __future__ import annotations

import datetime as dt

import pytest

from sop_cli.errors import InvalidFilesError
from sop_cli.loading.holidays import (
    HolidayCalendarMissingError,
    holiday_file_problems,
    load_holiday_calendar,
    load_holiday_file,
)
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT, WriteTree

PATH = "calendar/holidays.yaml"
# Real days off of holidays 0.109 (BE 2568–2569); line numbers below are those of this text.
BASE = """\
# Written by `sop holidays update`; `overrides` is edited by hand.
schema_version: 1
generated:
  years: [2568, 2569]
  source: holidays 0.109, Thailand, categories public and government
days:
  - {date: 2025-04-14, name: วันสงกรานต์}
  - {date: 2025-04-15, name: วันสงกรานต์}
  - {date: 2025-04-16, name: ชดเชยวันสงกรานต์}
  - {date: 2025-12-31, name: วันสิ้นปี}
  - {date: 2026-01-01, name: วันขึ้นปีใหม่}
  - {date: 2026-01-02, name: วันหยุดพิเศษ (เพิ่มเติม)}
overrides:
  - {date: 2026-01-05, action: add, name: วันหยุดราชการจังหวัดเชียงราย, reason: ประกาศจังหวัดเชียงราย (ทดสอบ)}
  - {date: 2025-04-16, action: remove, reason: มติคณะรัฐมนตรี (ทดสอบ)}
"""


def _edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def _workspace(write_tree: WriteTree, text: str) -> Workspace:
    return Workspace(write_tree({PATH: text}))


def test_overrides_change_the_working_days(write_tree: WriteTree) -> None:
    """The file's added day is off and its removed day is a working day again."""
    cal = load_holiday_calendar(_workspace(write_tree, BASE))
    assert cal.years_be == {2568, 2569}
    # 16 Apr 2025 (ชดเชยวันสงกรานต์) removed: from Fri 11, Sat 12–Tue 15 are off, then Wed 16 (1),
    # Thu 17 (2), Fri 18 (3), Mon 21 (4), Tue 22 (5) — a day earlier than the national 23 Apr.
    assert cal.add_working_days(dt.date(2025, 4, 11), 5) == dt.date(2025, 4, 22)
    # 5 Jan 2026 added: after Tue 30 Dec, 31 Dec–4 Jan are off and so is Mon 5, then Tue 6 (1),
    # Wed 7 (2), Thu 8 (3) — a day later than the national 7 Jan.
    assert cal.add_working_days(dt.date(2025, 12, 30), 3) == dt.date(2026, 1, 8)


def test_valid_file_has_no_problems(write_tree: WriteTree) -> None:
    """`sop check` finds nothing in the base text, so each bad case fails for its own reason."""
    ws = _workspace(write_tree, BASE)
    assert holiday_file_problems(ws) == []
    assert len(load_holiday_file(ws).overrides) == 2


CASES: list[tuple[str, str, list[str]]] = [
    (
        "duplicate day",
        _edit("2025-04-15, name", "2025-04-14, name"),
        [":8:12: days[1].date: 2025-04-14 is listed twice"],
    ),
    (
        "impossible date",
        _edit("2025-12-31", "2026-02-30"),
        [":10:12: days[3].date: not a valid date (write YYYY-MM-DD, a day that exists), got '2026-02-30'"],
    ),
    (
        "unknown key",
        _edit("name: วันสงกรานต์}", "name: วันสงกรานต์, kind: public}"),
        [":7:43: days[0].kind: unknown key 'kind'"],
    ),
    (
        "remove of a day that is not in days",
        _edit("2025-04-16, action: remove", "2025-04-17, action: remove"),
        [":15:12: overrides[1].date: 2025-04-17 is not a day off in days, so it cannot be removed"],
    ),
    (
        "duplicate override",
        BASE + "  - {date: 2026-01-05, action: remove, reason: ซ้ำ}\n",
        [":16:12: overrides[2].date: 2026-01-05 already has an override above"],
    ),
    (
        "override outside the covered years",
        _edit("2026-01-05", "2027-01-05"),
        [":14:12: overrides[0].date: 2027-01-05 is in 2570, outside the years the file covers (2568–2569)"],
    ),
    (
        "day outside the covered years",
        _edit("[2568, 2569]", "[2568]"),
        [
            ":11:12: days[4].date: 2026-01-01 is in 2569, outside the years the file covers (2568)",
            ":12:12: days[5].date: 2026-01-02 is in 2569, outside the years the file covers (2568)",
            ":14:12: overrides[0].date: 2026-01-05 is in 2569, outside the years the file covers (2568)",
        ],
    ),
    (
        "added day without a name",
        _edit("action: add, name: วันหยุดราชการจังหวัดเชียงราย, ", "action: add, "),
        [":14:5: overrides[0]: an override that adds a day off needs a name"],
    ),
    (
        "override without a reason",
        _edit(", reason: มติคณะรัฐมนตรี (ทดสอบ)", ""),
        [":15:5: overrides[1].reason: missing required field"],
    ),
    (
        "unknown action",
        _edit("action: remove", "action: delete"),
        [":15:32: overrides[1].action: must be one of 'add' or 'remove', got 'delete'"],
    ),
    (
        "Common Era year",
        _edit("[2568, 2569]", "[2025, 2569]"),
        [":4:11: generated.years[0]: must be more than 2400, got 2025"],
    ),
    (
        "repeated year",
        _edit("[2568, 2569]", "[2568, 2569, 2568]"),
        [":4:23: generated.years[2]: year 2568 is listed twice"],
    ),
    (
        "yaml syntax",
        _edit("[2568, 2569]", "[2568, 2569"),
        [":5:9: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)"],
    ),
    ("missing schema version", _edit("schema_version: 1\n", ""), [":2:1: schema_version: missing required field"]),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_reported_with_its_place(write_tree: WriteTree, name: str, text: str, expected: list[str]) -> None:
    """Each mistake gives the exact `path:line:col: field: message` lines, for check and for load."""
    ws = _workspace(write_tree, text)
    problems = holiday_file_problems(ws)
    assert [str(p) for p in problems] == [PATH + line for line in expected]
    with pytest.raises(InvalidFilesError) as caught:
        load_holiday_calendar(ws)
    assert caught.value.problems == problems


def test_missing_file_is_not_a_problem_for_check(write_tree: WriteTree) -> None:
    """A workspace need not have a holiday calendar: `sop check` reports nothing."""
    assert holiday_file_problems(Workspace(write_tree({"sops/.keep": ""}))) == []


def test_missing_file_tells_how_to_create_it(write_tree: WriteTree) -> None:
    """Counting working days without the calendar says which command writes it."""
    with pytest.raises(HolidayCalendarMissingError) as caught:
        load_holiday_calendar(Workspace(write_tree({"sops/.keep": ""})))
    assert str(caught.value) == (
        "calendar/holidays.yaml is missing, so working days cannot be counted; "
        "run `sop holidays update --years 2568-2572`"
    )


def test_committed_calendar_is_valid() -> None:
    """The calendar shipped with the project loads, covers BE 2568–2572 and has no overrides yet."""
    ws = Workspace(PROJECT)
    assert holiday_file_problems(ws) == []
    model = load_holiday_file(ws)
    assert model.generated.years == (2568, 2569, 2570, 2571, 2572)
    assert model.overrides == ()
