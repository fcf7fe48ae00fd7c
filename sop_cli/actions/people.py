"""Who holds the work: handing a run or a step over (`sop assign`), and leave with a substitute (`sop leave`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sop_cli.engine import holder_ids
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Actor, Journal, resolve_actor
from sop_cli.models.catalog import Catalog
from sop_cli.models.records import Assigned
from sop_cli.thai_calendar import fiscal_year_bounds, format_short
from sop_cli.views.people import LeaveChange, LeavePeriod
from sop_cli.views.runs import Change
from sop_cli.workspace import Workspace

ACTING = ("ปฏิบัติราชการแทน", "รักษาราชการแทน")
# A longer leave is a typing slip of the year (ลาศึกษาต่อ is recorded in parts).
MAX_LEAVE_DAYS = 366


def _names(catalog: Catalog, ids: Sequence[str]) -> str:
    return ", ".join(catalog.staff_name(i) for i in ids)


def resolve_people(catalog: Catalog, wanted: Sequence[str]) -> tuple[str, ...]:
    """Staff ids of `wanted` (ids, names or aliases of the roster), each once, in the order given."""
    if not wanted:
        raise SopError(_("name at least one person: a staff id, a name or an alias of sops/staff.yaml"))
    found: list[str] = []
    for person in wanted:
        staff_id = resolve_actor(catalog, person)
        if staff_id not in found:
            found.append(staff_id)
    return tuple(found)


def assign(
    ws: Workspace,
    number: int,
    actor: Actor,
    persons: Sequence[str],
    *,
    step: int | None = None,
    note: str | None = None,
    fy: int | None = None,
    run: str | None = None,
) -> Change:
    """Hand a run (or one of its steps) to people: an event of the run, shown by status, due, todo and log."""
    journal = Journal(ws, actor.now, actor.by)
    year = journal.fiscal_year(fy)
    proc = journal.procedure(number)
    ids = resolve_people(journal.catalog, persons)
    if step is not None and step not in {s.number for s in proc.steps}:
        raise SopError(
            _("procedure {number} has no step {step}; its steps are 1 to {last}").format(
                number=number, step=step, last=len(proc.steps)
            )
        )
    if note is not None and not note.strip():
        raise SopError(_("--note must not be empty"))
    with journal.write(number, year, run) as tx:
        assert tx.state is not None and tx.folder is not None
        before = holder_ids(proc, tx.state, step)
        tx.add(Assigned(**tx.base(), type="assigned", persons=ids, step=step, note=note))
    catalog = journal.catalog
    if step is None:
        line = _("run {run} of procedure {number} handed to {people} (held by {before} until now)")
    else:
        line = _("step {step} of procedure {number} handed to {people} (held by {before} until now)")
    text = line.format(
        run=tx.folder.run, number=number, step=step, people=_names(catalog, ids), before=_names(catalog, before) or "-"
    )
    return Change(
        number,
        tx.folder.run,
        year,
        (text,),
        tx.state.current if tx.state.status.value == "open" else None,
        proc.step(tx.state.current).text if tx.state.current is not None else None,
        tx.state.status.value,
        tuple(ws.relative(p) for p in tx.written),
        warnings=tuple(journal.warnings),
    )


# --- leave ----------------------------------------------------------------------------------------


def record_leave(
    ws: Workspace,
    actor: Actor,
    person: str,
    start: dt.date,
    end: dt.date,
    *,
    substitute: str | None = None,
    acting: str | None = None,
    reason: str | None = None,
) -> LeaveChange:
    """Record a period of leave, and who stands in for the person: one new file, never edited."""
    from sop_cli.models.people import LEAVE_SCHEMA_VERSION, Leave
    from sop_cli.storage.people import leave_path, leave_periods, leave_yaml
    from sop_cli.storage.records import new_id

    journal = Journal(ws, actor.now, actor.by)
    catalog = journal.catalog
    who = resolve_actor(catalog, person)
    stands_in = resolve_actor(catalog, substitute) if substitute is not None else None
    if end < start:
        raise SopError(
            _("the leave ends ({end}) before it starts ({start})").format(
                end=format_short(end), start=format_short(start)
            )
        )
    if stands_in == who:
        raise SopError(_("{name} cannot stand in for themselves: name another --substitute").format(name=person))
    if (end - start).days > MAX_LEAVE_DAYS:
        raise SopError(
            _("a leave of more than {days} days cannot be meant; check the dates").format(days=MAX_LEAVE_DAYS)
        )
    if acting is not None and acting not in ACTING:
        raise SopError(_("--acting must be {choices}").format(choices=" or ".join(ACTING)))
    if reason is not None and not reason.strip():
        raise SopError(_("--reason must not be empty"))
    for other in leave_periods(ws):
        if other.person == who and other.start <= end and start <= other.end:
            message = _(
                "{name} is already on leave from {start} to {end} ({id}); cancel it first with "
                "`sop leave --cancel {id} --reason TEXT`"
            )
            name = catalog.staff_name(who)
            raise SopError(
                message.format(name=name, start=format_short(other.start), end=format_short(other.end), id=other.id)
            )
    with journal.write_without_run() as tx:
        record = Leave(
            schema_version=LEAVE_SCHEMA_VERSION,
            type="leave",
            id=new_id(),
            person=who,
            start=start,
            end=end,
            substitute=stands_in,
            acting=acting,
            reason=reason,
            recorded_by=tx.who,
            recorded_at=journal.now,
        )
        path = tx.create_file(leave_path(ws, record, start), leave_yaml(record).encode("utf-8"))
        tx.describe("leave", f"{catalog.staff_name(who)} {start.isoformat()} – {end.isoformat()}")
    line = _("{name} is on leave from {start} to {end}").format(
        name=catalog.staff_name(who), start=format_short(start), end=format_short(end)
    )
    if stands_in is not None:
        line += "; " + _("{substitute} stands in (sees the work in sop todo and the reminders)").format(
            substitute=catalog.staff_name(stands_in)
        )
    return LeaveChange((line, _("leave id: {id}").format(id=record.id)), (ws.relative(path),), tuple(journal.warnings))


def cancel_leave(ws: Workspace, actor: Actor, leave_id: str, reason: str) -> LeaveChange:
    """Take back a leave recorded earlier: a second file that cancels it (the first is kept)."""
    from sop_cli.models.people import LEAVE_SCHEMA_VERSION, LeaveCancelled
    from sop_cli.storage.people import leave_path, leave_periods, leave_yaml
    from sop_cli.storage.records import new_id

    journal = Journal(ws, actor.now, actor.by)
    if not reason.strip():
        raise SopError(_("--reason must not be empty"))
    found = next((p for p in leave_periods(ws) if p.id == leave_id), None)
    if found is None:
        raise SopError(_("there is no leave {id} in force; `sop leave` lists them with their ids").format(id=leave_id))
    with journal.write_without_run() as tx:
        record = LeaveCancelled(
            schema_version=LEAVE_SCHEMA_VERSION,
            type="leave_cancelled",
            id=new_id(),
            target=leave_id,
            reason=reason,
            recorded_by=tx.who,
            recorded_at=journal.now,
        )
        path = tx.create_file(leave_path(ws, record, found.start), leave_yaml(record).encode("utf-8"))
        tx.describe("leave_cancelled", f"{leave_id}: {reason}")
    line = _("the leave of {name} from {start} to {end} is cancelled: {reason}").format(
        name=journal.catalog.staff_name(found.person),
        start=format_short(found.start),
        end=format_short(found.end),
        reason=reason,
    )
    return LeaveChange((line,), (ws.relative(path),), tuple(journal.warnings))


def list_leave(ws: Workspace, fy: int) -> tuple[list[LeavePeriod], dict[str, str]]:
    """The leaves in force that touch fiscal year `fy`, with the names of the people they mention."""
    from sop_cli.storage.people import leave_periods

    first, last = fiscal_year_bounds(fy)
    journal = Journal(ws)
    names = {m.id: m.display_name for m in journal.catalog.roster.staff}
    return [p for p in leave_periods(ws) if p.start <= last and p.end >= first], names
