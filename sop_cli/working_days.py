"""Count Thai government working days over a calendar of days off (pure: no clock, no disk)."""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.thai_calendar import BE_OFFSET

if TYPE_CHECKING:
    from sop_cli.models.holidays import HolidayFile

# The years `sop holidays update` is told to cover when nothing else says which; five calendar
# years from 2568 hold fiscal years 2569 to 2572 whole.
DEFAULT_YEARS = "2568-2572"
# One `sop holidays update` covers at most this many years (see holidays_update.parse_year_range).
MAX_YEARS = 20
_SATURDAY = 5
_ONE_DAY = dt.timedelta(days=1)


def update_command(years: str = DEFAULT_YEARS) -> str:
    """The command that writes the calendar for `years` (a range such as 2568-2572)."""
    return f"sop holidays update --years {years}"


def describe_years(years_be: Iterable[int]) -> str:
    """Write BE years as ranges: `2568–2572`, `2568, 2570–2571`."""
    runs: list[list[int]] = []
    for year in sorted(set(years_be)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs) or "no year"


class CalendarNotCoveredError(SopError):
    """A date falls in a year the workspace's holiday calendar does not cover."""

    def __init__(self, year_be: int, covered: frozenset[int]) -> None:
        self.year_be = year_be
        self.covered = covered
        low, high = min(covered | {year_be}), max(covered | {year_be})
        # Suggest one range keeping the years already covered, unless that is more than one update allows.
        years = f"{low}-{high}" if high - low < MAX_YEARS else f"{year_be}-{year_be}"
        super().__init__(
            _(
                "the holiday calendar does not cover the year {year_be} (calendar/holidays.yaml covers "
                "{describe_years}); run `{update_command}`"
            ).format(year_be=year_be, describe_years=describe_years(covered), update_command=update_command(years))
        )


@dataclass(frozen=True)
class Holiday:
    """A day off after the office's overrides, with the override's reason where it added the day."""

    date: dt.date
    name: str
    reason: str | None = None


def effective_days_off(model: HolidayFile) -> list[Holiday]:
    """Days off of a holiday file in date order: the generated days, plus added ones, minus removed ones."""
    days = {day.date: Holiday(day.date, day.name) for day in model.days}
    for override in model.overrides:
        if override.action == "remove":
            days.pop(override.date, None)
        else:
            days[override.date] = Holiday(override.date, override.name or "", override.reason)
    return sorted(days.values(), key=lambda h: h.date)


@dataclass(frozen=True)
class WorkingCalendar:
    """Working days: Monday to Friday except the days off, inside the Buddhist Era calendar years covered.

    Every date a method looks at, from its first argument to its result or second argument (both
    included), must lie in a covered year; otherwise it raises `CalendarNotCoveredError`.
    """

    years_be: frozenset[int]
    days_off: frozenset[dt.date]

    @classmethod
    def from_file(cls, model: HolidayFile) -> WorkingCalendar:
        """Build the calendar of a holiday file: its years, its generated days and its overrides."""
        return cls(frozenset(model.generated.years), frozenset(h.date for h in effective_days_off(model)))

    def covers(self, date: dt.date) -> bool:
        """Whether the calendar year of `date` is covered."""
        return date.year + BE_OFFSET in self.years_be

    def _require(self, first: dt.date, last: dt.date) -> None:
        for year in range(min(first, last).year, max(first, last).year + 1):
            if year + BE_OFFSET not in self.years_be:
                raise CalendarNotCoveredError(year + BE_OFFSET, self.years_be)

    def is_working_day(self, date: dt.date) -> bool:
        """Whether `date` is a working day: not a Saturday, a Sunday or a day off."""
        self._require(date, date)
        return date.weekday() < _SATURDAY and date not in self.days_off

    def add_working_days(self, date: dt.date, n: int) -> dt.date:
        """Return the n-th working day after `date` (n > 0) or before it (n < 0), not counting `date`.

        n = 0 returns `date` itself, even when it is not a working day: adding nothing changes
        nothing, so that `add_working_days(add_working_days(d, 0), k) == add_working_days(d, k)`.
        """
        self._require(date, date)
        step = _ONE_DAY if n > 0 else -_ONE_DAY
        left = abs(n)
        while left:
            date += step
            if self.is_working_day(date):
                left -= 1
        return date

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days from `start` to `end`: those in (start, end], or minus those in (end, start].

        In other words W(end) - W(start), where W(d) counts the working days up to and including d:
        `start` never counts, `end` does; the count is additive (a→b plus b→c is a→c) and changes
        sign when the dates are swapped. So `working_days_between(d, add_working_days(d, n)) == n`
        for n >= 0, and for n < 0 when `d` is itself a working day.
        """
        self._require(start, end)
        low, high, sign = (start, end, 1) if start <= end else (end, start, -1)
        return sign * (self._working_days_upto(high) - self._working_days_upto(low))

    def _working_days_upto(self, date: dt.date) -> int:
        # Arithmetic, not a walk over the days: `sop status` counts for dozens of deadlines.
        n = date.toordinal()  # ordinal 1 (1 Jan of year 1) is a Monday
        weekdays = 5 * (n // 7) + min(n % 7, 5)
        return weekdays - bisect.bisect_right(self._weekday_days_off, date)

    @functools.cached_property
    def _weekday_days_off(self) -> list[dt.date]:
        return sorted(d for d in self.days_off if d.weekday() < _SATURDAY)
