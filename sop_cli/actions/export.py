"""`sop export`: a fiscal year's status, events, deadlines and evidence as CSV, JSON, Excel or HTML.

Where the files go: without `--out`, under `exports/<fy>/` in the workspace (created when
needed); `--out` names an existing folder (the default file names go in it) or a file whose
folder exists and whose name ends in the format's suffix. CSV writes two files, the status and
the events: `--out year.csv` gives `year-status.csv` and `year-events.csv`. An existing file is
never replaced without `force`, and nothing is written unless every target is free.

A fiscal year with no records still exports: the fourteen procedures not started, with their
deadlines, are what the office needs to see at the start of a year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sop_cli import __version__
from sop_cli.deadlines import soonest_first
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Journal, YearData
from sop_cli.models.records import EvidenceDocument, EvidenceLink, HoursLogged
from sop_cli.models.values import ExportFormat
from sop_cli.rendering import tables as files
from sop_cli.rendering.tables import Row
from sop_cli.storage.atomic import write_bytes_atomic
from sop_cli.storage.outputs import output_place, refuse_existing
from sop_cli.storage.records import StoredEvent
from sop_cli.thai_calendar import BANGKOK
from sop_cli.views.people import YearPlan
from sop_cli.views.status import StatusRow
from sop_cli.workspace import Workspace

EXPORTS = "exports"
LATEST_EVENTS = 20  # events shown on the HTML page


def default_names(fy: int, fmt: str) -> list[str]:
    """File names written when `--out` is not a file: sop-2570.xlsx, or the two CSV files."""
    if fmt == "csv":
        return [f"sop-{fy}-status.csv", f"sop-{fy}-events.csv"]
    return [f"sop-{fy}.{fmt}"]


def _targets(ws: Workspace, fy: int, fmt: str, out: Path | None) -> list[Path]:
    if out is None:
        folder = ws.root / EXPORTS / str(fy)
        return [folder / name for name in default_names(fy, fmt)]
    place = output_place(ws, out, (".html", ".htm") if fmt == "html" else (f".{fmt}",), folder_ok=True)
    if place.is_dir():
        return [place / name for name in default_names(fy, fmt)]
    if fmt == "csv":
        return [place.with_name(f"{place.stem}-status.csv"), place.with_name(f"{place.stem}-events.csv")]
    return [place]


def _status_rows(rows: list[StatusRow]) -> list[Row]:
    table: list[Row] = []
    for r in rows:
        d = r.next_deadline
        table.append(
            {
                "procedure": r.procedure,
                "title": r.short_title,
                "run": r.run,
                "label": r.label,
                "status": r.status,
                "current_step": r.current_step,
                "current_step_text": r.current_text,
                "steps_done": r.done,
                "steps_total": r.total,
                "hours_logged": r.hours,
                "hours_planned": r.planned_hours,
                "holders": r.holders,
                "last_activity": r.last_activity,
                "rejected_rounds": r.rejected_rounds,
                "next_deadline_ref": d.ref if d else None,
                "next_deadline": d.due if d else None,
                "next_deadline_working_days_left": d.days_left if d else None,
                "next_deadline_text": d.text if d else None,
            }
        )
    return table


def _event_rows(year: YearData, stored: Sequence[StoredEvent]) -> list[Row]:
    names = {m.id: m.display_name for m in year.catalog.roster.staff}
    return [
        {
            "id": s.event.id,
            "date": s.event.date,
            "recorded_at": s.event.at.astimezone(BANGKOK),
            "procedure": s.event.procedure,
            "run": s.event.run,
            "type": s.event.type,
            "actor_id": s.event.by,
            "actor": year.catalog.staff_name(s.event.by),
            "summary": files.event_summary(s.event, names),
            "voided": s.event.id in year.voided,
            "step": getattr(s.event, "step", None),
            "hours": s.event.hours if isinstance(s.event, HoursLogged) else None,
        }
        for s in stored
    ]


def _hours_rows(year: YearData, plan: YearPlan | None, rows: list[StatusRow]) -> list[Row]:
    """Each person's hours recorded in the year against the plan's, to the end of this month and in all."""
    recorded: dict[str, float] = {}
    for s in year.events:
        if isinstance(s.event, HoursLogged) and s.event.id not in year.voided:
            recorded[s.event.by] = recorded.get(s.event.by, 0.0) + s.event.hours
    loads = {load.person: load for load in plan.loads} if plan is not None else {}
    month = (year.today.year, year.today.month)
    upto = plan.months.index(month) + 1 if plan is not None and month in plan.months else 12
    table: list[Row] = []
    for member in year.catalog.roster.staff:
        load = loads.get(member.id)
        short = year.catalog.staff_short_name(member.id)
        holding = tuple(f"{r.procedure}" + (f" ({r.label})" if r.label else "") for r in rows if short in r.holders)
        table.append(
            {
                "person_id": member.id,
                "person": member.display_name,
                "recorded": round(recorded.get(member.id, 0.0), 2),
                "planned_to_date": round(sum(load.hours[:upto]), 1) if load else None,
                "planned_year": round(load.total, 1) if load else None,
                "capacity_year": round(sum(load.capacity), 1) if load else None,
                "holding": holding,
            }
        )
    return table


def _plan(journal: Journal, fy: int) -> YearPlan | None:
    from sop_cli.work import year_plan

    try:
        return year_plan(journal, fy)
    except SopError:  # the holiday calendar does not cover the year: the recorded hours still export
        return None


def _deadline_rows(year: YearData) -> list[Row]:
    return [
        {
            "procedure": d.procedure,
            "run": d.run,
            "ref": d.ref,
            "text": d.text,
            "due": d.due,
            "working_days_left": d.days_left,
            "state": d.status,
            "done_on": d.done_on,
            "waiting_for": d.waiting_for,
            "detail": d.detail,
            "persons": tuple(year.catalog.staff_name(p) for p in d.persons),
        }
        for d in soonest_first(year.deadlines)
    ]


def _evidence_rows(year: YearData) -> list[Row]:
    rows: list[Row] = []
    for item in year.evidence:
        proof = item.proof
        rows.append(
            {
                "procedure": item.procedure,
                "run": item.run,
                "step": item.step,
                "date": item.date,
                "actor": year.catalog.staff_name(item.by),
                "kind": proof.kind,
                "name": proof.url if isinstance(proof, EvidenceLink) else proof.name,
                "document_number": proof.number if isinstance(proof, EvidenceDocument) else None,
                "size": None if isinstance(proof, EvidenceLink) else proof.size,
                "sha256": None if isinstance(proof, EvidenceLink) else proof.sha256,
            }
        )
    return rows


def _html(ws: Workspace, year: YearData, rows: list[StatusRow]) -> bytes:
    from dataclasses import replace

    from sop_cli.loading.settings import load_settings
    from sop_cli.rendering.html_page import html_page

    office = load_settings(ws).office
    catalog = year.catalog
    open_deadlines = [
        replace(d, persons=tuple(catalog.staff_short_name(p) for p in d.persons))
        for d in soonest_first([d for d in year.deadlines if d.is_open])
    ]
    labels = {
        (number, record.loaded.folder.run): record.loaded.state.label or ""
        for number, records in year.runs.items()
        for record in records
    }
    # The latest by the day it happened (a step may be recorded days later), then by the time recorded.
    latest = sorted(year.events, key=lambda s: (s.event.date, s.event.at), reverse=True)[:LATEST_EVENTS]
    page = html_page(
        fy=year.fy,
        today=year.today,
        office=f"{office.name} · {office.unit}",
        rows=rows,
        deadlines=open_deadlines,
        events=_event_rows(year, latest),
        titles={n: p.short_title for n, p in catalog.procedures.items()},
        labels=labels,
    )
    return page.encode("utf-8")


def _contents(ws: Workspace, fy: int, fmt: str, today: dt.date) -> list[bytes]:
    journal = Journal.for_day(ws, today)
    year = journal.year(fy)
    rows = journal.status_rows(fy)
    if fmt == "html":
        return [_html(ws, year, rows)]
    status, events = _status_rows(rows), _event_rows(year, year.events)  # events in replay order
    if fmt == "csv":
        return [files.csv_bytes(files.STATUS, status), files.csv_bytes(files.EVENTS, events)]
    hours = _hours_rows(year, _plan(journal, fy), rows)
    if fmt == "json":
        meta = {"fy": fy, "as_of": today.isoformat(), "generator": f"sop {__version__}"}
        return [files.json_bytes(meta, [(files.STATUS, status), (files.EVENTS, events), (files.HOURS, hours)])]
    return [
        files.xlsx_bytes(
            [
                (files.STATUS, status),
                (files.EVENTS, events),
                (files.DEADLINES, _deadline_rows(year)),
                (files.EVIDENCE, _evidence_rows(year)),
                (files.HOURS, hours),
            ]
        )
    ]


def export_year(ws: Workspace, fy: int, fmt: ExportFormat, out: Path | None, today: dt.date, force: bool) -> list[Path]:
    """Write fiscal year `fy` as csv (two files), xlsx, json or html; return the files written."""
    targets = _targets(ws, fy, fmt, out)
    refuse_existing(ws, targets, force=force)
    contents = _contents(ws, fy, fmt, today)
    for path, data in zip(targets, contents, strict=True):
        try:
            write_bytes_atomic(path, data, exclusive=not force)
        except FileExistsError:
            raise SopError(
                _("{path} appeared while exporting; pass --force to replace it").format(path=ws.relative(path))
            ) from None
    return targets
