"""`sop status`: one row per procedure and run, with progress, holders and the next deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sop_cli import __version__
from sop_cli.errors import SopError
from sop_cli.loading.cache import files_key, read_cache, write_cache
from sop_cli.storage.records import event_stamps, run_folders
from sop_cli.views.runs import DeadlineView, StatusRow
from sop_cli.workspace import Workspace

STATUS_CACHE = "status.pickle"


def _status_key(ws: Workspace, fy: int, today: dt.date) -> tuple[object, ...]:
    # Everything the rows depend on: the day (working days left), the procedures, the holiday
    # calendar and every event file of the year. Nothing changed, nothing to recompute.
    calendar = ws.root / "calendar"
    return (
        __version__,
        fy,
        today,
        files_key(ws.sops, (".yaml", ".yml")),
        files_key(calendar, (".yaml",)) if calendar.is_dir() else (),
        files_key(ws.root, (".toml",)),  # sop.toml [calendar] dates deadlines
        tuple((folder.path.name, event_stamps(folder)) for folder in run_folders(ws, fy)),
    )


def status_overview(ws: Workspace, fy: int, today: dt.date) -> list[StatusRow]:
    """One row per procedure (and per extra run) for fiscal year `fy`, with its next deadline.

    The rows are plain data, cached under everything they depend on: a warm `sop status` loads no
    model class at all.
    """
    key = _status_key(ws, fy, today)
    cache_file = ws.cache / f"{fy}-{STATUS_CACHE}"
    cached = read_cache(cache_file, key)
    if isinstance(cached, list) and all(isinstance(row, StatusRow) for row in cached):
        return cached
    rows = _compute(ws, fy, today)
    write_cache(cache_file, key, rows)
    return rows


def _view(deadline: object) -> DeadlineView | None:
    if deadline is None:
        return None
    from sop_cli.deadlines import Deadline

    assert isinstance(deadline, Deadline)
    return DeadlineView(
        deadline.ref,
        deadline.text,
        deadline.due,
        deadline.waiting_for,
        deadline.days_left,
        deadline.status,
        deadline.cycle,
    )


def _compute(ws: Workspace, fy: int, today: dt.date) -> list[StatusRow]:
    from sop_cli.actions.deadlines import next_deadlines
    from sop_cli.actions.runs import holders, run_states
    from sop_cli.engine import RunStatus
    from sop_cli.loading.catalog import load_catalog

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
            rows.append(
                replace(base, next_deadline=_view(upcoming.get((number, None))), deadline_problem=calendar_problem)
            )
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
                    cycle=state.cycle if proc.cycles is not None and proc.cycles.first_step is not None else None,
                    problems=problems,
                    next_deadline=_view(upcoming.get((number, folder.run))),
                    deadline_problem=calendar_problem,
                )
            )
    return rows
