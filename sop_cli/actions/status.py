"""`sop status`: one row per procedure and run, with progress, holders and the next deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sop_cli.actions.deadlines import next_deadlines
from sop_cli.actions.runs import holders, run_states
from sop_cli.engine import RunStatus
from sop_cli.errors import SopError
from sop_cli.loading.catalog import load_catalog
from sop_cli.models.views import StatusRow
from sop_cli.workspace import Workspace


def status_overview(ws: Workspace, fy: int, today: dt.date) -> list[StatusRow]:
    """One row per procedure (and per extra run) for fiscal year `fy`, with its next deadline."""
    catalog = load_catalog(ws)
    runs = run_states(ws, catalog, fy)
    calendar_problem: str | None = None
    try:
        upcoming = next_deadlines(ws, fy, today, catalog, runs)
    except SopError as exc:
        # Without a usable holiday calendar the status still shows; the deadlines say why they are missing.
        upcoming = {}
        calendar_problem = str(exc)
    rows = []
    for number, proc in catalog.procedures.items():
        mine = runs.get(number, [])
        base = StatusRow(number, proc.short_title, len(mine), total=len(proc.steps), planned_hours=proc.total_hours)
        if not mine:
            rows.append(replace(base, next_deadline=upcoming.get((number, None)), deadline_problem=calendar_problem))
            continue
        for folder, state, problems in mine:
            current = state.current if state.status is RunStatus.open else None
            rows.append(
                replace(
                    base,
                    run=folder.run,
                    label=state.label,
                    status=state.status.value,
                    current_step=current,
                    current_text=proc.step(current).text if current is not None else None,
                    done=state.done_count,
                    hours=state.hours,
                    holders=holders(proc, catalog, current),
                    last_activity=state.last_activity,
                    rejected_rounds=len(state.rejections),
                    problems=problems,
                    next_deadline=upcoming.get((number, folder.run)),
                    deadline_problem=calendar_problem,
                )
            )
    return rows
