"""`sop report`: the monitoring report of section 7 (6 months or 1 year) as a Thai .docx."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.models.values import Period
from sop_cli.report_content import default_report_path, report_office, report_view
from sop_cli.storage.outputs import output_file, refuse_existing
from sop_cli.thai_calendar import format_short
from sop_cli.workspace import Workspace


def write_report(
    ws: Workspace,
    fy: int,
    period: Period,
    numbers: list[int],
    out: Path | None,
    today: dt.date,
    allow_empty: bool = False,
    force: bool = False,
    *,
    thai_chart_font: bool = True,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """Write the monitoring report of `period` and return its path.

    A period with no records is refused unless `allow_empty`; an existing file unless `force`.
    `thai_chart_font=False` draws the chart without looking for a Thai font (numbers only);
    `on_warning` is told what a reader should know (no Thai font was found for the chart).
    """
    view = report_view(ws, fy, period, numbers, today)
    if view.empty and not allow_empty:
        which = (
            _(" of procedure {value}").format(value=", ".join(str(n) for n in sorted(set(numbers)))) if numbers else ""
        )
        raise SopError(
            _(
                "fiscal year {fy} has no records{which} up to {date}; pass --allow-empty to write a report that says so"
            ).format(fy=fy, which=which, date=format_short(view.end))
        )
    path = _output(ws, fy, period, numbers, out, force)
    from sop_cli.rendering.docx_report import save_report

    save_report(view, path, report_office(ws), find_font=thai_chart_font, on_warning=on_warning)
    return path


def _output(ws: Workspace, fy: int, period: Period, numbers: Sequence[int], out: Path | None, force: bool) -> Path:
    if out is None:
        path = default_report_path(ws, fy, period, numbers)
        path.parent.mkdir(parents=True, exist_ok=True)
        refuse_existing(ws, [path], force=force)
        return path
    return output_file(ws, out, (".docx",), force=force)
