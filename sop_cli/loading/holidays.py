"""Load and check the workspace's calendar of days off, `calendar/holidays.yaml`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sop_cli.errors import InvalidFilesError, Loc, Problem, SopError
from sop_cli.i18n import _
from sop_cli.models.holidays import HolidayFile, OverrideAction
from sop_cli.thai_calendar import BE_OFFSET
from sop_cli.working_days import WorkingCalendar, describe_years, update_command
from sop_cli.workspace import Workspace


class HolidayCalendarMissingError(SopError):
    """The workspace has no `calendar/holidays.yaml`, so working days cannot be counted."""


def holiday_file_path(ws: Workspace) -> Path:
    """Path of the workspace's holiday calendar."""
    return ws.root / "calendar" / "holidays.yaml"


def holiday_findings(model: HolidayFile) -> Iterator[tuple[Loc, str]]:
    """Yield every problem a valid-looking holiday file still has: repeated dates, stray overrides."""
    covered = set(model.generated.years)
    covering = _("outside the years the file covers ({describe_years})").format(describe_years=describe_years(covered))
    seen_years: set[int] = set()
    for i, year in enumerate(model.generated.years):
        if year in seen_years:
            yield ("generated", "years", i), _("year {year} is listed twice").format(year=year)
        seen_years.add(year)
    generated: set[dt.date] = set()
    for i, day in enumerate(model.days):
        if day.date in generated:
            yield ("days", i, "date"), _("{date} is listed twice").format(date=day.date)
        elif day.date.year + BE_OFFSET not in covered:
            yield (
                ("days", i, "date"),
                _("{date} is in {value}, {covering}").format(
                    date=day.date, value=day.date.year + BE_OFFSET, covering=covering
                ),
            )
        generated.add(day.date)
    overridden: set[dt.date] = set()
    for i, override in enumerate(model.overrides):
        if override.date in overridden:
            yield ("overrides", i, "date"), _("{date} already has an override above").format(date=override.date)
        elif override.date.year + BE_OFFSET not in covered:
            yield (
                ("overrides", i, "date"),
                _("{date} is in {value}, {covering}").format(
                    date=override.date, value=override.date.year + BE_OFFSET, covering=covering
                ),
            )
        elif override.action is OverrideAction.remove and override.date not in generated:
            yield (
                ("overrides", i, "date"),
                _("{date} is not a day off in days, so it cannot be removed").format(date=override.date),
            )
        overridden.add(override.date)


def _scan(ws: Workspace) -> tuple[HolidayFile | None, list[Problem]]:
    # Imported here: ruamel is only needed when the file is read.
    from sop_cli.loading.yaml_files import load_model, problems_at

    path = holiday_file_path(ws)
    loaded, problems = load_model(HolidayFile, path, ws.relative(path))
    if loaded is None:
        return None, problems
    found = sorted(problems_at(loaded, holiday_findings(loaded.model)), key=lambda p: (p.line, p.column))
    return (None if found else loaded.model), found


def holiday_file_problems(ws: Workspace) -> list[Problem]:
    """Every problem of the holiday calendar, for `sop check`; none when the workspace has no calendar."""
    if not holiday_file_path(ws).exists():
        return []
    return _scan(ws)[1]


def load_holiday_file(ws: Workspace) -> HolidayFile:
    """Return the validated holiday calendar file, or raise with every problem."""
    path = holiday_file_path(ws)
    if not path.exists():
        raise HolidayCalendarMissingError(
            _("{path} is missing, so working days cannot be counted; run `{update_command}`").format(
                path=ws.relative(path), update_command=update_command()
            )
        )
    model, problems = _scan(ws)
    if model is None:
        raise InvalidFilesError(problems)
    return model


def load_holiday_calendar(ws: Workspace) -> WorkingCalendar:
    """Return the workspace's working-day calendar, with the office's overrides applied."""
    return WorkingCalendar.from_file(load_holiday_file(ws))


WORKING_CALENDAR_CACHE = "working-calendar"


def load_working_calendar(ws: Workspace) -> WorkingCalendar:
    """The working-day calendar, from the cache while calendar/holidays.yaml is unchanged."""
    from sop_cli.storage import cache

    def dump(calendar: WorkingCalendar) -> dict[str, list[Any]]:
        return {"years": sorted(calendar.years_be), "days": sorted(d.isoformat() for d in calendar.days_off)}

    def load(data: dict[str, list[Any]]) -> WorkingCalendar:
        years = frozenset(int(y) for y in data["years"])
        return WorkingCalendar(years, frozenset(dt.date.fromisoformat(str(d)) for d in data["days"]))

    key = [1, cache.file_stamp(holiday_file_path(ws))]
    place = cache.workspace_cache(ws.root)
    return cache.memo(place, WORKING_CALENDAR_CACHE, key, lambda: load_holiday_calendar(ws), dump, load)
