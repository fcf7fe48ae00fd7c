"""`sop status`: one row per procedure and run, with progress, holders and the next deadline."""

from __future__ import annotations

import datetime as dt

from sop_cli.storage import status_cache
from sop_cli.views.status import StatusRow
from sop_cli.workspace import Workspace


def status_overview(ws: Workspace, fy: int, today: dt.date) -> list[StatusRow]:
    """One row per procedure (and per extra run) for fiscal year `fy`, with its next deadline.

    When every row is cached and up to date, no model is loaded at all; otherwise the journal
    computes the rows that are missing or stale.
    """
    rows = status_cache.read_fresh(ws.root, fy, today)
    if rows is not None:
        return rows
    from sop_cli.journal import Journal

    return Journal.for_day(ws, today).status_rows(fy)
