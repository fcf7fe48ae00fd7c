"""The year's work as plain duties: who holds which step, which deadline is open, which decision waits.

`sop todo` and `sop remind` are made of these. Like the rows of `sop status`, the duties are
cached per run as plain data in the user's cache folder, keyed by everything they depend on
(procedures, calendar, settings, the day) and by the stamps of the run's event files: a warm
`sop todo` reads one JSON file and the leave files' stamps, and loads no model at all. A change to
one run recomputes the duties of that procedure only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.storage import cache, status_cache
from sop_cli.storage.records import run_folders
from sop_cli.views.people import Duty, LeavePeriod, WorkItem, WorkYear
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from sop_cli.journal import Journal, LoadedRun
    from sop_cli.models.procedure import Procedure
    from sop_cli.views.people import YearPlan

_DATES = ("due",)
_TUPLES = ("holders", "deciders")


def cache_name(fy: int) -> str:
    """The name of a year's work cache."""
    return f"work-{fy}"


def _dump(duty: Duty) -> dict[str, Any]:
    data = asdict(duty)
    data["due"] = duty.due.isoformat() if duty.due else None
    return data


def _load(data: dict[str, Any]) -> Duty:
    values = dict(data)
    values["due"] = dt.date.fromisoformat(values["due"]) if values["due"] else None
    for name in _TUPLES:
        values[name] = tuple(values[name])
    return Duty(**values)


def _run_duties(
    journal: Journal, proc: Procedure, fy: int, loaded: LoadedRun | None, index: int, live: int
) -> list[Duty]:
    """The duties of one run (or of a procedure not started, `loaded` None) on the journal's day."""
    from sop_cli.deadlines import run_deadlines
    from sop_cli.engine import RunStatus, holder_ids, new_run

    state = loaded.state if loaded is not None else new_run(proc, "")
    if state.status is RunStatus.cancelled:
        return []
    run = loaded.folder.run if loaded is not None else None
    common: dict[str, Any] = {"procedure": proc.number, "title": proc.short_title, "run": run}
    common |= {"label": state.label, "runs": max(live, 1)}
    found = []
    try:
        calendar = journal.calendar
    except SopError:  # without a usable holiday calendar the steps still show; `sop check` names the file
        calendar = None
    if calendar is not None:
        deadlines = run_deadlines(
            proc, state, fy, journal.today, calendar, run_index=index, academic_year_end=journal.academic_year_end(fy)
        )
        for d in deadlines:
            if not d.is_open:
                continue
            found.append(
                Duty(
                    kind="deadline",
                    holders=d.persons,
                    what=d.text,
                    ref=d.ref,
                    due=d.due,
                    days_left=d.days_left,
                    status=d.status,
                    detail=d.detail,
                    waiting_for=d.waiting_for,
                    rule=d.kind,
                    **common,
                )
            )
    if state.status is RunStatus.not_started:
        first = proc.steps[0]
        found.append(Duty(kind="start", holders=holder_ids(proc, state, first.number), what=first.text, **common))
    elif state.status is RunStatus.open and state.current is not None:
        step = proc.step(state.current)
        deciders: tuple[str, ...] = ()
        if step.decision is not None and step.number not in state.revising:
            deciders = tuple(journal.catalog.body_name(b) for b in step.decision.by)
        found.append(
            Duty(
                kind="decision" if deciders else "step",
                holders=holder_ids(proc, state, step.number),
                what=step.text,
                step=step.number,
                deciders=deciders,
                **common,
            )
        )
    return found


def _procedure_duties(journal: Journal, fy: int, number: int) -> dict[str, tuple[str, list[Duty]]]:
    """(digest, duties) of every run of procedure `number`, by run folder name."""
    proc = journal.catalog.procedures.get(number)
    if proc is None:
        return {}
    mine = journal.runs(fy, number).get(number, [])
    live = sum(1 for r in mine if r.live)
    return {
        loaded.folder.path.name: (
            status_cache.run_digest(loaded.folder),
            _run_duties(journal, proc, fy, loaded, index, live),
        )
        for index, loaded in enumerate(mine)
    }


def _roster(journal: Journal) -> dict[str, Any]:
    return {m.id: [m.name.split()[0], m.display_name, [m.name, *m.aliases]] for m in journal.catalog.roster.staff}


def _key(ws: Workspace, fy: int, today: dt.date) -> list[Any]:
    return [*status_cache.status_key(ws.root, fy, today), "work"]


def refresh(journal: Journal, fy: int, number: int) -> None:
    """Bring the cached duties of procedure `number` up to date after a write (if a cache of today exists)."""
    ws = journal.ws
    key = _key(ws, fy, journal.today)
    folder = cache.workspace_cache(ws.root)
    table = _parse(cache.read(folder, cache_name(fy), key))
    if table["roster"] is None:
        return  # no duties of today to keep warm
    table["runs"] = {k: v for k, v in table["runs"].items() if not k.startswith(f"{number:02d}-")}
    try:
        table["runs"].update(_procedure_duties(journal, fy, number))
    except SopError:
        return  # computed again by the next `sop todo`
    cache.write(folder, cache_name(fy), key, _dump_table(table))


def year_work(ws: Workspace, fy: int, today: dt.date) -> WorkYear:
    """Every duty of fiscal year `fy` on `today`, from the cache where it is up to date."""
    folders = run_folders(ws, fy)
    key = _key(ws, fy, today)
    folder = cache.workspace_cache(ws.root)
    stored = cache.read(folder, cache_name(fy), key)
    table = _parse(stored)
    digests = {f.path.name: status_cache.run_digest(f) for f in folders}
    with_runs = {f.procedure for f in folders}
    stale = {f.procedure for f in folders if table["runs"].get(f.path.name, ("",))[0] != digests[f.path.name]}
    stale |= {int(k[:2]) for k in table["runs"] if k not in digests}
    journal: Journal | None = None
    if (
        table["roster"] is None
        or stale
        or any(n not in table["idle"] for n in table["procedures"] if n not in with_runs)
    ):
        from sop_cli.journal import Journal

        journal = Journal.for_day(ws, today)
        if table["roster"] is None:
            table = {"procedures": list(journal.catalog.procedures), "runs": {}, "idle": {}, "roster": _roster(journal)}
            stale = with_runs
        for number in sorted(stale):
            table["runs"] = {k: v for k, v in table["runs"].items() if not k.startswith(f"{number:02d}-")}
            table["runs"].update(_procedure_duties(journal, fy, number))
        for number in table["procedures"]:
            if number not in with_runs and number not in table["idle"]:
                proc = journal.procedure(number)
                table["idle"][number] = _run_duties(journal, proc, fy, None, 0, 0)
        cache.write(folder, cache_name(fy), key, _dump_table(table))
    duties = [d for _, found in table["runs"].values() for d in found]
    duties += [d for n, found in table["idle"].items() if n not in with_runs for d in found]
    roster = {k: (v[0], v[1], tuple(v[2])) for k, v in table["roster"].items()}
    return WorkYear(fy, today, tuple(duties), roster)


def _dump_table(table: dict[str, Any]) -> dict[str, Any]:
    return {
        "procedures": table["procedures"],
        "runs": {k: [digest, [_dump(d) for d in found]] for k, (digest, found) in table["runs"].items()},
        "idle": {str(n): [_dump(d) for d in found] for n, found in table["idle"].items()},
        "roster": table["roster"],
    }


def _parse(stored: Any) -> dict[str, Any]:
    """The cached table, or an empty one for anything missing, damaged or foreign."""
    empty: dict[str, Any] = {"procedures": [], "runs": {}, "idle": {}, "roster": None}
    if not isinstance(stored, dict):
        return empty
    try:
        return {
            "procedures": [int(n) for n in stored["procedures"]],
            "runs": {str(k): (str(v[0]), [_load(d) for d in v[1]]) for k, v in stored["runs"].items()},
            "idle": {int(k): [_load(d) for d in v] for k, v in stored["idle"].items()},
            "roster": {str(k): [str(v[0]), str(v[1]), [str(a) for a in v[2]]] for k, v in stored["roster"].items()},
        }
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return empty


# --- one person's work ----------------------------------------------------------------------------


def resolve_person(roster: dict[str, tuple[str, str, tuple[str, ...]]], wanted: str | None) -> str:
    """The staff id of `wanted` (an id in any case, a name or an alias), as `--by` accepts it."""
    if not wanted:
        raise SopError(
            _("whose work? pass --person ID, set SOP_USER=ID, or run `git config sop.user ID` in the workspace")
        )
    chosen = wanted.strip()
    for staff_id, (_short, display, names) in roster.items():
        if chosen.lower() == staff_id or chosen in (display, *names):
            return staff_id
    known = ", ".join(roster)
    raise SopError(
        _("'{person}' is not in the staff roster (sops/staff.yaml); known ids: {known}").format(
            person=wanted, known=known
        )
    )


def _run_option(duty: Duty) -> str:
    if duty.runs <= 1 or duty.run is None:
        return ""
    return f" --run {duty.label or duty.run}" if duty.label and " " not in duty.label else f" --run {duty.run}"


def next_action(duty: Duty) -> str:
    """The next action of a duty, written out with the command that records it."""
    n, run = duty.procedure, _run_option(duty)
    if duty.kind == "start":
        return _("start the work, then do step 1: sop start {number}").format(number=n)
    if duty.kind == "decision":
        return _(
            "bring it to {deciders} for a decision, then record it: "
            "sop advance {number}{run} --approve (or --reject --reason TEXT)"
        ).format(deciders=", ".join(duty.deciders), number=n, run=run)
    if duty.kind == "step":
        return _("do step {step}, then record it: sop advance {number}{run} --note TEXT").format(
            step=duty.step, number=n, run=run
        )
    if duty.waiting_for is not None:
        if duty.waiting_for.startswith("step "):
            return _("finish step {step} first: sop advance {number}{run}").format(
                step=duty.waiting_for.removeprefix("step "), number=n, run=run
            )
        return _("set the date of {event}: sop schedule {number}{run} --event {event} --date YYYY-MM-DD").format(
            event=duty.waiting_for, number=n, run=run
        )
    if duty.rule == "response_share":
        return _("record the forms returned: sop note {number}{run} --count RECEIVED/EXPECTED --ref {ref}").format(
            number=n, run=run, ref=duty.ref
        )
    return _("do it, then record it: sop note {number}{run} --met {ref}").format(number=n, run=run, ref=duty.ref)


def _urgency(item: WorkItem) -> tuple[int, int, dt.date, int, str]:
    # Dated deadlines by working days left (overdue first), then decisions waiting, the steps held,
    # deadlines still waiting for a date, and procedures not started.
    rank = {"decision": 1, "step": 2, "deadline": 3, "start": 4}[item.kind]
    if item.kind == "deadline" and item.days_left is not None:
        rank = 0
    return (rank, item.days_left or 0, item.due or dt.date.max, item.procedure, item.ref or str(item.step or ""))


def person_work(
    work: WorkYear, person: str, leaves: list[LeavePeriod], today: dt.date
) -> tuple[list[WorkItem], list[LeavePeriod]]:
    """What `person` holds on `today`, theirs and, as a substitute, that of who is away; most urgent first."""
    standing = [p for p in leaves if p.substitute == person and p.covers(today)]
    absent = [p.person for p in standing]
    items = []
    for duty in work.duties:
        if person in duty.holders:
            items.append(work_item(duty, None))
            continue
        for other in absent:
            if other in duty.holders:
                items.append(work_item(duty, other))
                break
    return sorted(items, key=_urgency), standing


def work_item(duty: Duty, for_person: str | None) -> WorkItem:
    """A duty as a person reads it: with its next action written out."""
    return WorkItem(
        kind=duty.kind,
        procedure=duty.procedure,
        title=duty.title,
        run=duty.run,
        label=duty.label,
        what=duty.what,
        action=next_action(duty),
        holders=duty.holders,
        ref=duty.ref,
        step=duty.step,
        due=duty.due,
        days_left=duty.days_left,
        status=duty.status,
        detail=duty.detail,
        for_person=for_person,
    )


# --- the year's plan ------------------------------------------------------------------------------


def year_plan(journal: Journal, fy: int) -> YearPlan:
    """The plan of fiscal year `fy`: each procedure laid from its first live run, or from the year's start."""
    from sop_cli.planning import PlanSetup, plan_year
    from sop_cli.storage.people import leave_periods

    catalog, settings = journal.catalog, journal.settings
    runs = journal.runs(fy)
    procedures = []
    for number, proc in sorted(catalog.procedures.items()):
        live = [r for r in runs.get(number, []) if r.live]
        procedures.append((proc, live[0].state if live else None))
    setup = PlanSetup(
        fy=fy,
        calendar=journal.calendar,
        hours_a_day=settings.people.hours_a_day,
        hours_are=settings.people.hours_are,
        academic_year_end=journal.academic_year_end(fy),
        staff={m.id: m.display_name for m in catalog.roster.staff},
        bodies={b.id: b.short_name or b.name for b in catalog.bodies.bodies},
        leaves=tuple(leave_periods(journal.ws)),
    )
    return plan_year(setup, procedures)
