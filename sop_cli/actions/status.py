"""`sop status`: one row per procedure and run, with progress, holders and the next deadline."""

from __future__ import annotations

import datetime as dt

from sop_cli.journal import Journal
from sop_cli.views.runs import StatusRow
from sop_cli.workspace import Workspace


def status_overview(ws: Workspace, fy: int, today: dt.date) -> list[StatusRow]:
    """One row per procedure (and per extra run) for fiscal year `fy`, with its next deadline.

    The rows come from the journal's cache of plain data: a warm `sop status` loads no model class.
    """
    return Journal.for_day(ws, today).status_rows(fy)
