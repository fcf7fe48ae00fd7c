"""`sop todo`: one person's work on one day (theirs, and that of whoever they stand in for), most urgent first."""

from __future__ import annotations

import datetime as dt

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import wanted_actor
from sop_cli.storage.people import leave_periods
from sop_cli.views.people import TodoList, WorkItem
from sop_cli.work import person_work, resolve_person, year_work
from sop_cli.workspace import Workspace

# "Sees their week": by default the deadlines of the next two working weeks, besides everything
# overdue and every step or decision the person holds.
DEFAULT_WITHIN = 10


def todo(
    ws: Workspace, fy: int, today: dt.date, person: str | None = None, within: int | None = DEFAULT_WITHIN
) -> TodoList:
    """The work of `person` (default: the person using sop) in fiscal year `fy` on `today`.

    With `within`, deadlines due later, deadlines still waiting for a date and procedures not
    started are counted, not listed (None lists everything). Served from the cached duties and
    leave periods: a warm `sop todo` loads no model.
    """
    if within is not None and within < 0:
        raise SopError(_("--within must be 0 or more working days, not {days}").format(days=within))
    work = year_work(ws, fy, today)
    who = resolve_person(work.roster, person or wanted_actor(ws.root, None))
    leaves = leave_periods(ws)
    items, standing = person_work(work, who, leaves, today)
    shown = items if within is None else [i for i in items if _soon(i, within)]
    away = next((p for p in leaves if p.person == who and p.covers(today)), None)
    names = {staff_id: short for staff_id, (short, _display, _names) in work.roster.items()}
    return TodoList(
        who, work.roster[who][1], fy, today, tuple(shown), tuple(standing), away, names, within, len(items) - len(shown)
    )


def _soon(item: WorkItem, within: int) -> bool:
    if item.kind in ("step", "decision"):
        return True
    return item.kind == "deadline" and item.days_left is not None and item.days_left <= within
