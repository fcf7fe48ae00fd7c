"""Generating calendar/holidays.yaml from the holidays package, keeping the office's overrides."""

from __future__ import annotations

import datetime as dt

import pytest

from sop_cli.errors import InvalidFilesError
from sop_cli.loading.holidays import holiday_file_problems, load_holiday_calendar, load_holiday_file
from sop_cli.loading.holidays_update import (
    DEFAULT_HEADER,
    DEFAULT_OVERRIDES,
    generate_days,
    parse_year_range,
    render_generated,
    source_description,
    update_holiday_file,
)
from sop_cli.loading.yaml_files import parse_yaml
from sop_cli.workspace import Workspace
from tests.conftest import WriteTree

PATH = "calendar/holidays.yaml"
D = dt.date


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("2568-2572", [2568, 2569, 2570, 2571, 2572]),
        ("2569", [2569]),
        (" 2569 - 2570 ", [2569, 2570]),
        ("๒๕๖๘-๒๕๖๙", [2568, 2569]),  # Thai digits
        ("2560-2579", list(range(2560, 2580))),  # twenty years, the most one update takes
    ],
)
def test_parse_year_range(text: str, years: list[int]) -> None:
    """A BE year or range of years, in Arabic or Thai digits, gives every year it spans."""
    assert parse_year_range(text) == years


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-2029", "2025 is not a Buddhist Era year such as 2569 (write 2568 for 2025)"),
        ("2400-2401", "2400 is not a Buddhist Era year such as 2569"),
        ("2569-2700", "2700 is not a Buddhist Era year such as 2569"),
        ("2572-2568", "'2572-2568' ends before it starts; write the earlier year first: 2568-2572"),
        ("2560-2580", "'2560-2580' spans 21 years; update at most 20 years at a time"),
        ("next year", "'next year' is not a range of years; write it as 2568-2572 (Buddhist Era years)"),
        ("2568-", "'2568-' is not a range of years; write it as 2568-2572 (Buddhist Era years)"),
    ],
)
def test_parse_year_range_refuses(text: str, message: str) -> None:
    """Bad ranges are refused with a message that says how to write them."""
    with pytest.raises(ValueError) as caught:
        parse_year_range(text)
    assert str(caught.value) == message


def test_generate_days_are_the_public_and_government_days_off_in_thai(monkeypatch: pytest.MonkeyPatch) -> None:
    """Substitution, Cabinet and government days are in; workday observances and วันครู are out; names are Thai."""
    # holidays picks its language from the locale unless told: an English locale must not leak in.
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.setenv("LC_ALL", "en_US.UTF-8")
    days = dict(generate_days([2569]))
    assert days[D(2026, 1, 2)] == "วันหยุดพิเศษ (เพิ่มเติม)"  # Cabinet special holiday
    assert days[D(2026, 5, 13)] == "วันพืชมงคล"  # government category
    assert days[D(2026, 6, 1)] == "ชดเชยวันวิสาขบูชา"  # Visakha Bucha fell on Sunday 31 May
    assert D(2026, 1, 13) not in days  # วันการบินแห่งชาติ, a workday observance
    assert D(2026, 1, 16) not in days  # วันครู, school category
    assert D(2026, 11, 24) not in days  # วันลอยกระทง, a workday observance
    assert all(d.year == 2026 for d in days)
    assert all(any("\u0e00" <= ch <= "\u0e7f" for ch in name) for name in days.values())
    # 1–2 Jan, 10 Jan, 3 Mar, 6 Apr, 13–15 Apr, 1 May, 4 May, 13 May, 31 May–1 Jun, 3 Jun,
    # 28–30 Jul, 12 Aug, 13 Oct, 23 Oct, 5 Dec, 7 Dec (its substitution), 10 Dec, 31 Dec.
    assert len(days) == 24


def test_calendar_agrees_with_the_holidays_package_helpers(write_tree: WriteTree) -> None:
    """Our counts equal holidays' own get_nth_working_day and get_working_days_count on every day of 2026."""
    from holidays.utils import country_holidays

    ws = Workspace(write_tree({}))
    update_holiday_file(ws, [2568, 2569, 2570])
    cal = load_holiday_calendar(ws)
    theirs = country_holidays("TH", years=[2025, 2026, 2027], categories=("public", "government"))
    day = D(2026, 1, 1)
    while day.year == 2026:
        assert cal.is_working_day(day) == theirs.is_working_day(day)
        for n in (1, 5, -5, 23):
            assert cal.add_working_days(day, n) == theirs.get_nth_working_day(day, n), (day, n)
        # Theirs counts the closed interval [start, end]; ours (start, end].
        end = day + dt.timedelta(days=40)
        assert cal.working_days_between(day - dt.timedelta(days=1), end) == theirs.get_working_days_count(day, end)
        day += dt.timedelta(days=1)


def test_new_file_has_the_default_comments_and_no_overrides(write_tree: WriteTree) -> None:
    """A first update writes the explanatory header, the generated days and an empty overrides list."""
    ws = Workspace(write_tree({}))
    path = update_holiday_file(ws, [2568, 2569])
    text = path.read_text(encoding="utf-8")
    assert path == ws.root / PATH
    assert text.startswith(DEFAULT_HEADER + "\nschema_version: 1\n")
    assert text.endswith("\n\n" + DEFAULT_OVERRIDES)
    assert "  years: [2568, 2569]  # Buddhist Era calendar years covered\n" in text
    assert "  - {date: 2025-04-16, name: ชดเชยวันสงกรานต์}\n" in text
    assert holiday_file_problems(ws) == []
    model = load_holiday_file(ws)
    assert model.generated.source == source_description()
    assert [d.date for d in model.days] == [d for d, _ in generate_days([2568, 2569])]


# An older file: its own top comment, a bogus generated day, and overrides with their own comments.
OLD_HEADER = """\
# ปฏิทินวันหยุดของสำนักงาน — generated by `sop holidays update`; edit only `overrides` by hand.
# A second line of the office's own.
"""
OLD_OVERRIDES = """\
# Decisions of the office, newest last.
overrides:
  # ประกาศจังหวัดเชียงราย เรื่อง วันหยุดราชการ (ทดสอบ)
  - {date: 2026-01-05, action: add, name: วันหยุดราชการจังหวัดเชียงราย, reason: ประกาศจังหวัดเชียงราย (ทดสอบ)}
  - date: 2025-04-16   # block style is kept as written
    action: remove
    reason: มติคณะรัฐมนตรี (ทดสอบ)
# trailing note
"""
OLD = f"""\
{OLD_HEADER}
schema_version: 1
generated:
  years: [2568]
  source: holidays 0.100
days:
  - {{date: 2025-01-03, name: วันที่ไม่มีจริง}}
  - {{date: 2025-04-16, name: ชดเชยวันสงกรานต์}}

{OLD_OVERRIDES}"""


def test_regeneration_keeps_header_and_overrides(write_tree: WriteTree) -> None:
    """Updating rewrites `generated` and `days` but keeps the top comment and the overrides verbatim."""
    ws = Workspace(write_tree({PATH: OLD}))
    update_holiday_file(ws, [2568, 2569])
    text = (ws.root / PATH).read_text(encoding="utf-8")
    assert text.startswith(OLD_HEADER + "\nschema_version: 1\n")
    assert text.endswith("\n\n" + OLD_OVERRIDES)
    assert "วันที่ไม่มีจริง" not in text
    assert holiday_file_problems(ws) == []
    model = load_holiday_file(ws)
    assert model.generated.years == (2568, 2569)
    assert len(model.overrides) == 2
    cal = load_holiday_calendar(ws)
    # The kept overrides still apply: 16 Apr 2025 works again, Mon 5 Jan 2026 is off.
    assert cal.is_working_day(D(2025, 4, 16))
    assert not cal.is_working_day(D(2026, 1, 5))


def test_regeneration_is_stable(write_tree: WriteTree) -> None:
    """A second update with the same years writes the same bytes."""
    ws = Workspace(write_tree({PATH: OLD}))
    update_holiday_file(ws, [2568, 2569])
    first = (ws.root / PATH).read_bytes()
    update_holiday_file(ws, [2569, 2568, 2569])
    assert (ws.root / PATH).read_bytes() == first


def test_overrides_written_before_days_are_kept(write_tree: WriteTree) -> None:
    """Overrides placed above `days` are still found and kept, moved to the end."""
    section = "overrides:\n  - {date: 2025-04-16, action: remove, reason: ทดสอบ}\n"
    generated = "schema_version: 1\ngenerated: {years: [2568], source: x}\n"
    text = f"{generated}{section}days:\n  - {{date: 2025-04-16, name: x}}\n"
    ws = Workspace(write_tree({PATH: text}))
    update_holiday_file(ws, [2568])
    new = (ws.root / PATH).read_text(encoding="utf-8")
    assert new.startswith("schema_version: 1\n")  # no header was there, none is added
    assert new.endswith("\n\n" + section)
    assert new.count("overrides:") == 1
    assert holiday_file_problems(ws) == []


def test_file_without_overrides_gets_the_default_section(write_tree: WriteTree) -> None:
    """A valid file that has no `overrides` key gets the explained empty section."""
    ws = Workspace(write_tree({PATH: "schema_version: 1\ngenerated: {years: [2568], source: x}\n"}))
    update_holiday_file(ws, [2568])
    assert (ws.root / PATH).read_text(encoding="utf-8").endswith("\n" + DEFAULT_OVERRIDES)


def test_stale_override_is_kept_and_reported(write_tree: WriteTree) -> None:
    """An override that no longer fits the new days is kept as written, and `sop check` reports it."""
    ws = Workspace(write_tree({PATH: OLD}))
    update_holiday_file(ws, [2569])  # 2568 dropped: the removal of 16 Apr 2025 now points outside the file
    # Lines: 2 of header, a blank, 5 of schema_version and generated, the 24 days of 2569 (9–32),
    # a blank, then the kept section: its comment (34), overrides: (35), 36–37, `date` on 38.
    assert [str(p) for p in holiday_file_problems(ws)] == [
        f"{PATH}:38:11: overrides[1].date: 2025-04-16 is in 2568, outside the years the file covers (2569)"
    ]


def test_malformed_file_is_refused_not_overwritten(write_tree: WriteTree) -> None:
    """An existing file that does not validate is left untouched and its problems are placed."""
    bad = OLD.replace("2025-01-03", "2026-02-30")
    ws = Workspace(write_tree({PATH: bad}))
    with pytest.raises(InvalidFilesError) as caught:
        update_holiday_file(ws, [2568, 2569])
    assert [str(p) for p in caught.value.problems] == [
        f"{PATH}:9:12: days[0].date: not a valid date (write YYYY-MM-DD, a day that exists), got '2026-02-30'"
    ]
    assert (ws.root / PATH).read_text(encoding="utf-8") == bad


def test_names_that_yaml_could_misread_are_quoted() -> None:
    """Names with commas, colons or a leading ASCII character are written so that they read back the same."""
    days = [
        (D(2025, 1, 1), "วันหยุด, พิเศษ"),
        (D(2025, 1, 2), "วันหยุด: พิเศษ"),
        (D(2025, 1, 3), "2 มกราคม"),
        (D(2025, 1, 4), 'วัน "พิเศษ" # ไม่ใช่ความเห็น'),
        (D(2025, 1, 5), "วันสงกรานต์"),
    ]
    data = parse_yaml(render_generated([2568], days, "holidays 0.109, Thailand"), "t.yaml")
    assert [(d["date"], d["name"]) for d in data["days"]] == [(d.isoformat(), n) for d, n in days]
    assert data["generated"]["source"] == "holidays 0.109, Thailand"
