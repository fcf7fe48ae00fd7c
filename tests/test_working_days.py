"""Working days over the real Thai calendar: weekends, holidays, overrides, fiscal years, coverage."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from typing import Any

import pytest

from sop_cli.loading.holidays_update import generate_days
from sop_cli.models.holidays import HolidayFile
from sop_cli.thai_calendar import fiscal_year_bounds
from sop_cli.working_days import CalendarNotCoveredError, Holiday, WorkingCalendar, effective_days_off
from tests.conftest import PROJECT, WriteTree

YEARS = frozenset(range(2568, 2573))
D = dt.date


@pytest.fixture(scope="module")
def real_days() -> list[tuple[dt.date, str]]:
    """Days off of BE 2568–2572 as `sop holidays update` generates them (holidays 0.109)."""
    return generate_days(sorted(YEARS))


@pytest.fixture(scope="module")
def cal(real_days: list[tuple[dt.date, str]]) -> WorkingCalendar:
    """The working calendar of BE 2568–2572 without office overrides."""
    return WorkingCalendar(YEARS, frozenset(date for date, _ in real_days))


def test_the_days_these_tests_rely_on_are_in_the_generated_calendar(real_days: list[tuple[dt.date, str]]) -> None:
    """The holidays the hand counts below step over are really days off, under their Thai names."""
    names = dict(real_days)
    assert names[D(2025, 4, 14)] == "วันสงกรานต์"
    assert names[D(2025, 4, 15)] == "วันสงกรานต์"
    assert names[D(2025, 4, 16)] == "ชดเชยวันสงกรานต์"  # for Sunday 13 April
    assert names[D(2025, 12, 31)] == "วันสิ้นปี"
    assert names[D(2026, 1, 1)] == "วันขึ้นปีใหม่"
    assert names[D(2026, 1, 2)] == "วันหยุดพิเศษ (เพิ่มเติม)"  # Cabinet special holiday
    assert names[D(2026, 10, 13)] == "วันนวมินทรมหาราช"
    assert names[D(2027, 2, 21)] == "วันมาฆบูชา"  # a Sunday
    assert names[D(2027, 2, 22)] == "ชดเชยวันมาฆบูชา"
    # Nothing between New Year 2027 and Makha Bucha: Chinese New Year (Sat 6 Feb 2027) is no
    # day off for government offices.
    assert [d for d in names if D(2027, 1, 2) <= d <= D(2027, 2, 20)] == [D(2027, 1, 9)]  # วันเด็ก, a Saturday


def test_five_working_days_after_friday_before_songkran(cal: WorkingCalendar) -> None:
    """Songkran and its substitution day are skipped."""
    # Fri 11 Apr 2025. Sat 12, Sun 13 (Songkran) weekend; Mon 14, Tue 15 Songkran; Wed 16 substitution
    # for Sun 13. Then Thu 17 (1), Fri 18 (2), weekend, Mon 21 (3), Tue 22 (4), Wed 23 (5).
    assert cal.add_working_days(D(2025, 4, 11), 5) == D(2025, 4, 23)


def test_three_working_days_after_30_december_2025(cal: WorkingCalendar) -> None:
    """New Year's Eve, New Year and the Cabinet's special 2 January are skipped, then the weekend."""
    # Tue 30 Dec. Wed 31 วันสิ้นปี, Thu 1 Jan วันขึ้นปีใหม่, Fri 2 Jan special holiday, Sat 3–Sun 4;
    # Mon 5 (1), Tue 6 (2), Wed 7 (3).
    assert cal.add_working_days(D(2025, 12, 30), 3) == D(2026, 1, 7)


def test_working_days_before_15_february_2027(cal: WorkingCalendar) -> None:
    """Counting back from Monday 15 Feb 2570 meets only weekends: Makha Bucha falls after it."""
    # Makha Bucha 2027 is Sun 21 Feb, substituted on Mon 22 Feb: both after the 15th, and the last
    # weekday holiday before is Fri 1 Jan. Back from Mon 15 Feb: Fri 12 (1), Thu 11 (2), Wed 10 (3),
    # Tue 9 (4), Mon 8 (5), [Sat 7, Sun 6], Fri 5 (6), Thu 4 (7) ...
    assert cal.add_working_days(D(2027, 2, 15), -7) == D(2027, 2, 4)
    # ... Wed 3 (8), Tue 2 (9), Mon 1 (10).
    assert cal.add_working_days(D(2027, 2, 15), -10) == D(2027, 2, 1)


def test_counts_across_makha_bucha_2027(cal: WorkingCalendar) -> None:
    """The Makha Bucha substitution day (Mon 22 Feb 2027) is skipped both ways."""
    # Tue 16 (1), Wed 17 (2), Thu 18 (3), Fri 19 (4), Sat 20, Sun 21 มาฆบูชา, Mon 22 ชดเชย,
    # Tue 23 (5), Wed 24 (6), Thu 25 (7).
    assert cal.add_working_days(D(2027, 2, 15), 7) == D(2027, 2, 25)
    # Back from Fri 26: Thu 25 (1), Wed 24 (2), Tue 23 (3), [Mon 22, Sun 21, Sat 20], Fri 19 (4),
    # Thu 18 (5), Wed 17 (6), Tue 16 (7).
    assert cal.add_working_days(D(2027, 2, 26), -7) == D(2027, 2, 16)


def test_backwards_over_songkran(cal: WorkingCalendar) -> None:
    """One working day before Thu 17 Apr 2025 is Fri 11 Apr: 12–16 are weekend and Songkran."""
    assert cal.add_working_days(D(2025, 4, 17), -1) == D(2025, 4, 11)


@pytest.mark.parametrize(
    ("date", "working"),
    [
        (D(2026, 1, 2), False),  # Cabinet special holiday
        (D(2025, 5, 9), False),  # วันพืชมงคล, a day off of the government category only
        (D(2026, 1, 10), False),  # a Saturday (วันเด็กแห่งชาติ too)
        (D(2026, 1, 11), False),  # a Sunday
        (D(2026, 1, 13), True),  # วันการบินแห่งชาติ: a `workday` observance, offices open
        (D(2026, 1, 16), True),  # วันครู: a `school` holiday, not one of the office
        (D(2026, 11, 24), True),  # วันลอยกระทง: a `workday` observance
        (D(2026, 1, 5), True),  # an ordinary Monday
    ],
)
def test_is_working_day(cal: WorkingCalendar, date: dt.date, working: bool) -> None:
    """Weekends and public or government holidays are off; observances and school days are not."""
    assert cal.is_working_day(date) is working


def test_zero_working_days_is_the_date_itself(cal: WorkingCalendar) -> None:
    """n = 0 returns the date unchanged, working day or not."""
    assert cal.add_working_days(D(2025, 4, 17), 0) == D(2025, 4, 17)
    assert cal.add_working_days(D(2025, 4, 14), 0) == D(2025, 4, 14)  # Songkran: still itself


# Fiscal years: FY 2569 runs Wed 1 Oct 2025 – Wed 30 Sep 2026; FY 2570 starts Thu 1 Oct 2026.


def test_first_working_day_of_a_fiscal_year(cal: WorkingCalendar) -> None:
    """The day after 30 Sep is 1 Oct, across the fiscal-year boundary, both ways."""
    assert cal.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 1)
    assert cal.add_working_days(D(2026, 10, 1), -1) == D(2026, 9, 30)


def test_ten_working_days_into_fiscal_year_2570(cal: WorkingCalendar) -> None:
    """Counting from 30 Sep 2026 skips the weekends and วันนวมินทรมหาราช (Tue 13 Oct)."""
    # Thu 1 (1), Fri 2 (2), Mon 5 (3), Tue 6 (4), Wed 7 (5), Thu 8 (6), Fri 9 (7), Mon 12 (8),
    # Tue 13 off, Wed 14 (9), Thu 15 (10).
    assert cal.add_working_days(D(2026, 9, 30), 10) == D(2026, 10, 15)


def test_working_days_of_october_2025(cal: WorkingCalendar) -> None:
    """October 2025, the first month of FY 2569, has 21 working days."""
    # 31 days from Wed 1 Oct: 8 weekend days (4–5, 11–12, 18–19, 25–26) leave 23 weekdays, less
    # วันนวมินทรมหาราช (Mon 13) and วันปิยมหาราช (Thu 23).
    assert cal.working_days_between(D(2025, 9, 30), D(2025, 10, 31)) == 21


def test_working_days_of_fiscal_year_2569(cal: WorkingCalendar) -> None:
    """FY 2569 has 240 working days: 261 weekdays less 21 holidays on weekdays."""
    # 365 days from a Wednesday to a Wednesday: 52 weeks (260 weekdays) and Wed 30 Sep = 261.
    # Holidays on weekdays: 13 Oct, 23 Oct, 5 Dec, 10 Dec, 31 Dec, 1 Jan, 2 Jan, 3 Mar (มาฆบูชา),
    # 6 Apr, 13–15 Apr, 1 May, 4 May, 13 May (พืชมงคล), 1 Jun (ชดเชยวิสาขบูชา), 3 Jun, 28 Jul,
    # 29 Jul (อาสาฬหบูชา), 30 Jul (เข้าพรรษา), 12 Aug = 21.
    first, last = fiscal_year_bounds(2569)
    assert cal.working_days_between(first - dt.timedelta(days=1), last) == 240


def test_fiscal_year_2568_starts_in_an_uncovered_year(cal: WorkingCalendar) -> None:
    """FY 2568 begins on 1 Oct 2024, in BE 2567, which the calendar of 2568–2572 does not cover."""
    first, last = fiscal_year_bounds(2568)
    with pytest.raises(CalendarNotCoveredError) as caught:
        cal.working_days_between(first, last)
    assert str(caught.value) == (
        "the holiday calendar does not cover the year 2567 (calendar/holidays.yaml covers 2568–2572); "
        "run `sop holidays update --years 2567-2572`"
    )


def test_between_counts_the_end_not_the_start(cal: WorkingCalendar) -> None:
    """working_days_between counts (start, end], and minus (end, start] when end comes first."""
    assert cal.working_days_between(D(2025, 4, 10), D(2025, 4, 11)) == 1  # Fri 11 counts, Thu 10 not
    assert cal.working_days_between(D(2025, 4, 11), D(2025, 4, 16)) == 0  # weekend and Songkran only
    assert cal.working_days_between(D(2025, 4, 11), D(2025, 4, 23)) == 5
    assert cal.working_days_between(D(2025, 4, 23), D(2025, 4, 11)) == -5
    assert cal.working_days_between(D(2025, 4, 14), D(2025, 4, 14)) == 0


def test_between_inverts_add_working_days(cal: WorkingCalendar) -> None:
    """Counting back to add_working_days's result gives n, for n < 0 when the start is a working day."""
    day = D(2025, 12, 1)
    while day <= D(2026, 2, 28):
        for n in range(-12, 13):
            if n >= 0 or cal.is_working_day(day):
                assert cal.working_days_between(day, cal.add_working_days(day, n)) == n, (day, n)
        day += dt.timedelta(days=1)
    # From a holiday, going back 1 lands on Fri 11 Apr, yet (11, 14] holds no working day.
    assert cal.add_working_days(D(2025, 4, 14), -1) == D(2025, 4, 11)
    assert cal.working_days_between(D(2025, 4, 14), D(2025, 4, 11)) == 0


def test_between_is_additive(cal: WorkingCalendar) -> None:
    """a→b plus b→c is a→c, whatever the order of the three dates."""
    dates = [D(2025, 4, 11), D(2025, 4, 14), D(2025, 12, 31), D(2026, 1, 5), D(2026, 9, 30)]
    for a in dates:
        for b in dates:
            for c in dates:
                total = cal.working_days_between(a, b) + cal.working_days_between(b, c)
                assert total == cal.working_days_between(a, c)


def test_uncovered_year_names_the_year_and_the_command(cal: WorkingCalendar) -> None:
    """Stepping into 2030 (BE 2573) raises, naming the year and the update that fixes it."""
    # Fri 28 Dec 2029: Mon 31 Dec is วันสิ้นปี, so the count looks at 1 Jan 2030.
    with pytest.raises(CalendarNotCoveredError) as caught:
        cal.add_working_days(D(2029, 12, 28), 1)
    assert caught.value.year_be == 2573
    assert str(caught.value) == (
        "the holiday calendar does not cover the year 2573 (calendar/holidays.yaml covers 2568–2572); "
        "run `sop holidays update --years 2568-2573`"
    )
    assert cal.add_working_days(D(2029, 12, 27), 1) == D(2029, 12, 28)  # stays inside 2572


@pytest.mark.parametrize(
    ("call", "year"),
    [
        (lambda c: c.is_working_day(D(2030, 1, 2)), 2573),
        (lambda c: c.add_working_days(D(2025, 1, 2), -2), 2567),  # 1 Jan 2025 is off, then 31 Dec 2024
        (lambda c: c.add_working_days(D(2024, 12, 30), 0), 2567),  # the start is looked at too
        (lambda c: c.working_days_between(D(2029, 12, 1), D(2030, 1, 15)), 2573),
        (lambda c: c.working_days_between(D(2030, 1, 15), D(2029, 12, 1)), 2573),
    ],
)
def test_every_method_checks_coverage(cal: WorkingCalendar, call: Any, year: int) -> None:
    """Each method raises CalendarNotCoveredError for a date outside the covered years."""
    with pytest.raises(CalendarNotCoveredError, match="sop holidays update --years") as caught:
        call(cal)
    assert caught.value.year_be == year


def test_uncovered_message_for_an_empty_or_distant_calendar() -> None:
    """With no year covered, or a year too far for one update, the command covers that year alone."""
    with pytest.raises(CalendarNotCoveredError, match=r"covers no year\); run `sop holidays update --years 2569-2569`"):
        WorkingCalendar(frozenset(), frozenset()).is_working_day(D(2026, 1, 5))
    with pytest.raises(CalendarNotCoveredError, match=r"`sop holidays update --years 2600-2600`"):
        WorkingCalendar(YEARS, frozenset()).is_working_day(D(2057, 1, 5))


def _file(real_days: list[tuple[dt.date, str]], overrides: list[dict[str, str]]) -> HolidayFile:
    days = [{"date": d.isoformat(), "name": n} for d, n in real_days if d.year == 2027]
    return HolidayFile.model_validate(
        {
            "schema_version": 1,
            "generated": {"years": [2570], "source": "holidays 0.109"},
            "days": days,
            "overrides": overrides,
        }
    )


def test_override_add_makes_a_day_off(real_days: list[tuple[dt.date, str]]) -> None:
    """A provincial closure on Fri 12 Feb 2027 moves the seventh working day before the 15th earlier."""
    closure = {
        "date": "2027-02-12",
        "action": "add",
        "name": "วันหยุดราชการจังหวัดเชียงราย",
        "reason": "ประกาศจังหวัดเชียงราย (ทดสอบ)",
    }
    cal = WorkingCalendar.from_file(_file(real_days, [closure]))
    # Fri 12 is now off: Thu 11 (1), Wed 10 (2), Tue 9 (3), Mon 8 (4), Fri 5 (5), Thu 4 (6), Wed 3 (7).
    assert cal.add_working_days(D(2027, 2, 15), -7) == D(2027, 2, 3)
    assert WorkingCalendar.from_file(_file(real_days, [])).add_working_days(D(2027, 2, 15), -7) == D(2027, 2, 4)


def test_override_remove_makes_a_working_day(real_days: list[tuple[dt.date, str]]) -> None:
    """Removing the Makha Bucha substitution day (Mon 22 Feb 2027) brings the seventh day earlier."""
    moved = {"date": "2027-02-22", "action": "remove", "reason": "มติคณะรัฐมนตรี (ทดสอบ)"}
    model = _file(real_days, [moved])
    cal = WorkingCalendar.from_file(model)
    # Tue 16 (1) … Fri 19 (4), Mon 22 now works (5), Tue 23 (6), Wed 24 (7); was Thu 25.
    assert cal.is_working_day(D(2027, 2, 22))
    assert cal.add_working_days(D(2027, 2, 15), 7) == D(2027, 2, 24)
    assert D(2027, 2, 22) not in [h.date for h in effective_days_off(model)]


def test_effective_days_off_lists_added_days_with_their_reason(real_days: list[tuple[dt.date, str]]) -> None:
    """An added day appears in date order with its name and reason; generated days have no reason."""
    added = {"date": "2027-02-12", "action": "add", "name": "วันหยุดพิเศษ", "reason": "มติคณะรัฐมนตรี (ทดสอบ)"}
    days = effective_days_off(_file(real_days, [added]))
    around = [h for h in days if D(2027, 2, 1) <= h.date <= D(2027, 2, 28)]
    assert around == [
        Holiday(D(2027, 2, 12), "วันหยุดพิเศษ", "มติคณะรัฐมนตรี (ทดสอบ)"),
        Holiday(D(2027, 2, 21), "วันมาฆบูชา"),
        Holiday(D(2027, 2, 22), "ชดเชยวันมาฆบูชา"),
    ]


def test_pure_modules_do_not_import_holidays(write_tree: WriteTree) -> None:
    """Importing the working-day core and its loader, and loading a calendar, never imports `holidays`."""
    root = write_tree(
        {
            "calendar/holidays.yaml": "schema_version: 1\n"
            "generated: {years: [2568], source: test}\n"
            "days:\n"
            "  - {date: 2025-04-14, name: วันสงกรานต์}\n"
            "  - {date: 2025-04-15, name: วันสงกรานต์}\n"
            "  - {date: 2025-04-16, name: ชดเชยวันสงกรานต์}\n"
        }
    )
    code = (
        "import sys, datetime\n"
        "from pathlib import Path\n"
        "import sop_cli.working_days, sop_cli.loading.holidays\n"
        "from sop_cli.workspace import Workspace\n"
        "cal = sop_cli.loading.holidays.load_holiday_calendar(Workspace(Path(sys.argv[1])))\n"
        "assert cal.add_working_days(datetime.date(2025, 4, 11), 5) == datetime.date(2025, 4, 23)\n"
        "print('holidays' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(root)], cwd=PROJECT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
