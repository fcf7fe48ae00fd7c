"""Deadlines in Thai working days: `sop due`, `sop calendar`, `sop holidays`, and status's next deadline."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from sop_cli import __version__, i18n
from sop_cli.deadlines import Deadline, soonest_first
from sop_cli.engine import holder_ids
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Journal, resolve_actor
from sop_cli.thai_calendar import BANGKOK, fiscal_year_bounds
from sop_cli.working_days import Holiday
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from icalendar import Alarm


def _journal(ws: Workspace, today: dt.date) -> Journal:
    return Journal.for_day(ws, today)


def _person(journal: Journal, person: str | None) -> str | None:
    return resolve_actor(journal.catalog, person) if person is not None else None


def due(ws: Workspace, fy: int, today: dt.date, within: int | None = None, person: str | None = None) -> list[Deadline]:
    """Open deadlines (not met yet), soonest first; `within` working days, of one person."""
    journal = _journal(ws, today)
    catalog = journal.catalog
    who = _person(journal, person)
    if within is not None and within < 0:
        raise SopError(_("--within must be 0 or more working days, not {within}").format(within=within))
    found = [d for d in journal.year(fy).deadlines if d.is_open]
    if who is not None:
        found = [d for d in found if who in d.persons]
    if within is not None:
        found = [d for d in found if d.days_left is not None and d.days_left <= within]
    # Users read names, not ids: the filter above used the ids.
    named = [replace(d, persons=tuple(catalog.staff_short_name(p) for p in d.persons)) for d in found]
    return soonest_first(named)


def _uid(*parts: object) -> str:
    # Stable across exports: importing the file again updates the events instead of duplicating them.
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:20]
    return f"{digest}@sop.chiangrai"


def write_calendar(
    ws: Workspace,
    fy: int,
    today: dt.date,
    out: Path,
    now: dt.datetime,
    person: str | None = None,
    force: bool = False,
) -> int:
    """Write an iCalendar file of the year's deadlines, scheduled events and monitoring rounds."""
    from icalendar import Calendar, Event

    from sop_cli.storage.outputs import output_file

    out = output_file(ws, out, (".ics",), force=force)
    journal = _journal(ws, today)
    catalog = journal.catalog
    person = _person(journal, person)
    year = journal.year(fy)
    before = journal.settings.people.remind_days_before
    calendar = Calendar()
    calendar.add("prodid", f"-//sop {__version__}//Chiang Rai PEO supervision group//TH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"งานกลุ่มนิเทศ ปีงบประมาณ {fy}")
    calendar.add("x-wr-timezone", "Asia/Bangkok")
    count = 0
    deadlines = [d for d in year.deadlines if d.due is not None]
    if person is not None:
        deadlines = [d for d in deadlines if person in d.persons]
    stamp = now.astimezone(dt.UTC)
    for d in deadlines:
        assert d.due is not None
        proc = catalog.procedure(d.procedure)
        event = Event()
        state = {"met": "✓ ", "late": "✓ (ช้า) "}.get(d.status, "")
        event.add("uid", _uid(fy, d.procedure, d.run, d.ref, d.detail, d.kind))
        event.add(
            "summary", f"{state}กำหนด {d.procedure}.{d.ref} {proc.short_title}" + (f" ({d.detail})" if d.detail else "")
        )
        event.add("description", d.text)
        event.add("dtstart", d.due)
        event.add("dtend", d.due + dt.timedelta(days=1))
        event.add("dtstamp", stamp)
        event.add("categories", ["sop", "deadline"])
        if d.is_open:
            event.add_component(_alarm(journal, d.due, before, f"กำหนด {d.procedure}.{d.ref} {proc.short_title}"))
        calendar.add_component(event)
        count += 1
    for number, records in year.runs.items():
        proc = catalog.procedure(number)
        for record in records:
            run_state = record.loaded.state
            if person is not None and person not in holder_ids(proc, run_state, None):
                continue
            for name, on in run_state.scheduled.items():
                event = Event()
                event.add("uid", _uid(fy, number, record.loaded.folder.run, "scheduled", name))
                label = f" ({run_state.label})" if run_state.label else ""
                event.add("summary", f"{name} · {number}. {proc.short_title}{label}")
                event.add("dtstart", on)
                event.add("dtend", on + dt.timedelta(days=1))
                event.add("dtstamp", stamp)
                event.add("categories", ["sop", "scheduled"])
                if on >= today:
                    event.add_component(_alarm(journal, on, before, f"{name} · {number}. {proc.short_title}"))
                calendar.add_component(event)
                count += 1
    from sop_cli.storage.atomic import write_bytes_atomic

    try:
        write_bytes_atomic(out, calendar.to_ical(), exclusive=not force)
    except FileExistsError:
        message = i18n._("{path} appeared meanwhile; pass --force to replace it")  # `_` is a loop variable here
        raise SopError(message.format(path=ws.relative(out))) from None
    return count


# Alarms ring at the start of the office's day, in Thailand.
ALARM_TIME = dt.time(8, 30)


def _alarm(journal: Journal, day: dt.date, working_days: int, what: str) -> Alarm:
    """A display alarm `working_days` working days before `day`, at 08:30 Bangkok time (an absolute trigger)."""
    from icalendar import Alarm

    try:
        ring = journal.calendar.add_working_days(day, -working_days)
    except SopError:  # a date the holiday calendar does not cover: count plain weekdays back
        ring = day - dt.timedelta(days=working_days)
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    left = f"อีก {working_days} วันทำการ" if working_days else "วันนี้"
    alarm.add("description", f"{what} ({left})")
    alarm.add("trigger", dt.datetime.combine(ring, ALARM_TIME, tzinfo=BANGKOK).astimezone(dt.UTC))
    return alarm


def update_holidays(ws: Workspace, years: str) -> tuple[Path, int]:
    """Regenerate calendar/holidays.yaml for a range of Buddhist Era years, keeping the overrides."""
    from sop_cli.loading.holidays import load_holiday_file
    from sop_cli.loading.holidays_update import parse_year_range, update_holiday_file

    try:
        wanted = parse_year_range(years)
    except ValueError as exc:
        raise SopError(str(exc)) from None
    path = update_holiday_file(ws, wanted)
    return path, len(load_holiday_file(ws).days)


def list_holidays(ws: Workspace, fy: int | None) -> list[Holiday]:
    """Days off after the overrides, of one fiscal year or of the whole file."""
    from sop_cli.loading.holidays import load_holiday_file
    from sop_cli.working_days import effective_days_off

    days = effective_days_off(load_holiday_file(ws))
    if fy is None:
        return days
    first, last = fiscal_year_bounds(fy)
    return [d for d in days if first <= d.date <= last]
