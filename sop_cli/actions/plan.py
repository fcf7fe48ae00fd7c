"""`sop plan`: the fiscal year's work laid on the calendar, each person's load against capacity, and the warnings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sop_cli import work
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Journal
from sop_cli.views.people import YearPlan
from sop_cli.workspace import Workspace

FILE_FORMATS = {"xlsx": (".xlsx",), "html": (".html", ".htm")}
EXPORTS = "exports"


def year_plan(ws: Workspace, fy: int, today: dt.date) -> YearPlan:
    """The plan of fiscal year `fy`: each procedure laid from its run (its first live run) or from the year's start."""
    return work.year_plan(Journal.for_day(ws, today), fy)


def default_name(fy: int, fmt: str) -> str:
    """The file written when `--out` names no file: sop-plan-2570.xlsx."""
    return f"sop-plan-{fy}.{fmt}"


def write_plan(
    ws: Workspace, fy: int, today: dt.date, fmt: str, out: Path | None, force: bool
) -> tuple[Path, YearPlan]:
    """Write the plan as an .xlsx workbook (plan, load, warnings) or a one-file HTML page; return the file."""
    from sop_cli.storage.atomic import write_bytes_atomic
    from sop_cli.storage.outputs import output_place, refuse_existing

    if fmt not in FILE_FORMATS:
        raise SopError(_("unknown plan format '{format}'; choose xlsx or html").format(format=fmt))
    if out is None:
        target = ws.root / EXPORTS / str(fy) / default_name(fy, fmt)
    else:
        place = output_place(ws, out, FILE_FORMATS[fmt], folder_ok=True)
        target = place / default_name(fy, fmt) if place.is_dir() else place
    refuse_existing(ws, [target], force=force)
    plan = year_plan(ws, fy, today)
    if fmt == "xlsx":
        from sop_cli.rendering.plan_page import plan_workbook

        data = plan_workbook(plan)
    else:
        from sop_cli.loading.settings import load_settings
        from sop_cli.rendering.plan_page import plan_page

        office = load_settings(ws).office
        data = plan_page(plan, today, f"{office.name} · {office.unit}").encode("utf-8")
    try:
        write_bytes_atomic(target, data, exclusive=not force)
    except FileExistsError:
        raise SopError(
            _("{path} appeared meanwhile; pass --force to replace it").format(path=ws.relative(target))
        ) from None
    return target, plan
