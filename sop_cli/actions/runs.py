"""Runs of a procedure: start, advance, note, schedule, cancel, void, and the views of one run."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from sop_cli.engine import Closure, IllegalMove, RunStatus, effective_voids
from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.journal import Actor, Journal, LoadedRun, Transaction, check_evidence_sizes
from sop_cli.models.catalog import Catalog
from sop_cli.models.procedure import Procedure
from sop_cli.models.records import (
    Cancelled,
    CountReported,
    Decided,
    Event,
    NoteAdded,
    NoteKind,
    Outcome,
    Scheduled,
    StandardMet,
    Started,
    StepCompleted,
    Voided,
)
from sop_cli.models.values import Count, DeadlineRef, Evidence
from sop_cli.rendering import words
from sop_cli.storage.records import load_events
from sop_cli.thai_calendar import format_short
from sop_cli.views.runs import AttachmentView, Change, ClosureView, LogEntry, Timeline, TimelineStep
from sop_cli.workspace import Workspace

__all__ = [
    "Actor",
    "add_note",
    "advance",
    "cancel_run",
    "event_log",
    "run_timeline",
    "schedule",
    "start_run",
    "void_event",
]

# A second completion of a run by the same person within this time, without naming the step, is
# taken for a command typed twice (double Enter, the same command in two terminals) and refused.
REPEAT_GUARD = dt.timedelta(seconds=60)


def _journal(ws: Workspace, actor: Actor) -> Journal:
    return Journal(ws, actor.now, actor.by)


def _evidence(journal: Journal, evidence: Sequence[Evidence]) -> Sequence[Evidence]:
    limits = journal.settings.evidence
    check_evidence_sizes(evidence, limits.max_bytes, limits.max_mb)
    return evidence


def _attach(tx: Transaction, proofs: Sequence[Evidence], hours: float | None, step: int | None, confirm: bool) -> None:
    for proof in proofs:
        tx.attach(proof, step)
    if hours is not None:
        tx.log_hours(hours, step, confirm)


def _change(tx: Transaction, lines: list[str]) -> Change:
    assert tx.proc is not None and tx.folder is not None and tx.state is not None
    state = tx.state
    current = state.current if state.status is RunStatus.open else None
    text = tx.proc.step(current).text if current is not None else None
    return Change(
        tx.proc.number,
        tx.folder.run,
        tx.fy or 0,
        tuple(lines),
        current,
        text,
        state.status.value,
        tuple(tx.journal.ws.relative(p) for p in tx.written),
        tuple(tx.journal.warnings),
    )


def _describe(proc: Procedure, events: Sequence[Event]) -> list[str]:
    """What a command recorded, one line per event, with the step's text where it helps."""
    lines = []
    for event in events:
        line = words.event_summary(event)
        if isinstance(event, StepCompleted | Decided):
            line += f" · {proc.step(event.step).text}"
        lines.append(line)
    return lines


def _check_hours(hours: float | None) -> None:
    if hours is not None and not 0.01 <= hours <= 10_000:
        raise SopError(_("hours must be at least 0.01 and at most 10000, not {hours}").format(hours=hours))


def start_run(
    ws: Workspace,
    number: int,
    actor: Actor,
    fy: int | None = None,
    label: str | None = None,
    date: dt.date | None = None,
    date_reason: str | None = None,
) -> Change:
    """Open a run of procedure `number` in a fiscal year and return its id and first step."""
    journal = _journal(ws, actor)
    year = journal.fiscal_year(fy)
    if label is not None and not label.strip():
        raise SopError(_("a run's --label must not be empty"))
    with journal.start(number, year, label, date=date, date_reason=date_reason) as tx:
        assert tx.folder is not None
        tx.add(Started(**tx.base(), type="started", fy=year, label=label))
    return _change(
        tx,
        [
            _("started run {run} of procedure {number} for fiscal year {year}").format(
                run=tx.folder.run, number=number, year=year
            )
        ],
    )


def advance(
    ws: Workspace,
    number: int,
    actor: Actor,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    note: str | None = None,
    evidence: Sequence[Evidence] = (),
    hours: float | None = None,
    approve: bool = False,
    reject: bool = False,
    force: bool = False,
    reason: str | None = None,
    date: dt.date | None = None,
    date_reason: str | None = None,
    confirm_hours: bool = False,
) -> Change:
    """Complete the current step (or `step`), or close a decision; attach notes, evidence and hours."""
    journal = _journal(ws, actor)
    year = journal.fiscal_year(fy)
    journal.procedure(number)
    if approve and reject:
        raise SopError(_("choose --approve or --reject, not both"))
    if (reject or force) and (reason is None or not reason.strip()):
        raise SopError(_("{value} needs --reason TEXT saying why").format(value="--reject" if reject else "--force"))
    if step is not None and step < 1:
        raise SopError(_("--step must be 1 or more, not {step}").format(step=step))
    _check_hours(hours)
    proofs = _evidence(journal, evidence)
    with journal.write(number, year, run, date=date, date_reason=date_reason) as tx:
        assert tx.loaded is not None and tx.state is not None
        target = step if step is not None else tx.state.current
        if target is None:
            raise IllegalMove(
                _("run {run} of procedure {number} is {value}: no step is left").format(
                    run=tx.loaded.folder.run, number=number, value=words.word(words.RUN_STATUS, tx.state.status.value)
                )
            )
        if step is None:
            _refuse_repeat(tx, target)
        _attach(tx, proofs, hours, target, confirm_hours)
        common = {"step": target, "round": tx.state.round, "note": note, "forced": force, "reason": reason}
        if tx.proc is not None and tx.proc.cycles is not None:
            common["cycle"] = tx.state.cycle  # which inspection round the step is closed in
        if approve or reject:
            outcome = Outcome.approved if approve else Outcome.rejected
            tx.add(Decided(**tx.base(), type="decision", outcome=outcome, **common))
        else:
            tx.add(StepCompleted(**tx.base(), type="step_completed", **common))
    assert tx.proc is not None
    return _change(tx, _describe(tx.proc, tx.events))


def _refuse_repeat(tx: Transaction, target: int) -> None:
    """Refuse what looks like the same `sop advance` run twice: the step must then be named.

    The same person closing a step of the same run for the same day within a minute of their
    previous closure is what a double Enter, or one command typed in two terminals, looks like.
    Catching up on several days with `--date` is not refused.
    """
    assert tx.loaded is not None
    mine = [
        e.event
        for e in tx.loaded.events
        if isinstance(e.event, StepCompleted | Decided) and e.event.by == tx.who and e.event.date == tx.date
    ]
    if not mine:
        return
    last = max(mine, key=lambda e: e.at)
    if abs(tx.journal.now - last.at) < REPEAT_GUARD:
        raise SopError(
            _(
                "you closed step {step} of this run moments ago; if you mean to close step {target} too, name it: "
                "sop advance {procedure} --step {target}"
            ).format(step=last.step, target=target, procedure=tx.loaded.folder.procedure)
        )


def add_note(
    ws: Workspace,
    number: int,
    actor: Actor,
    text: str | None,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    kind: NoteKind = NoteKind.plain,
    evidence: Sequence[Evidence] = (),
    hours: float | None = None,
    met: DeadlineRef | None = None,
    count: Count | None = None,
    ref: DeadlineRef | None = None,
    date: dt.date | None = None,
    date_reason: str | None = None,
    confirm_hours: bool = False,
) -> Change:
    """Add a note, evidence, hours, a met deadline or a count of responses, without completing a step."""
    journal = _journal(ws, actor)
    year = journal.fiscal_year(fy)
    proc = journal.procedure(number)
    if (text is None or not text.strip()) and not evidence and hours is None and met is None and count is None:
        raise SopError(_("give a note text, --evidence, --hours, --met REF or --count N/M"))
    if step is not None and step < 1:
        raise SopError(_("--step must be 1 or more, not {step}").format(step=step))
    note_kind = _note_kind(kind, text)
    _check_hours(hours)
    met_ref = _met_ref(proc, met) if met is not None else None
    tally = _count_ref(proc, ref) if count is not None else None
    proofs = _evidence(journal, evidence)
    with journal.write(number, year, run, date=date, date_reason=date_reason) as tx:
        if text is not None and text.strip():
            tx.add(NoteAdded(**tx.base(), type="note", text=text, step=step, kind=note_kind))
        _attach(tx, proofs, hours, step, confirm_hours)
        if met_ref is not None:
            tx.add(StandardMet(**tx.base(), type="standard_met", ref=met_ref))
        if tally is not None:
            assert count is not None
            tx.add(
                CountReported(**tx.base(), type="count", ref=tally, received=count.received, expected=count.expected)
            )
    return _change(tx, _describe(proc, tx.events))


def _note_kind(kind: NoteKind, text: str | None) -> NoteKind:
    """The kind of a note (`--kind`): a problem, an obstacle or a recommendation needs the note's text."""
    if kind is not NoteKind.plain and (text is None or not text.strip()):
        raise SopError(
            _("--kind {kind} needs the note's text: what the problem, obstacle or recommendation is").format(
                kind=kind.value
            )
        )
    return kind


def _met_ref(proc: Procedure, ref: DeadlineRef) -> str:
    from sop_cli.deadlines import deadline_refs

    refs = deadline_refs(proc)
    if ref.text not in refs:
        known = ", ".join(refs) or _("none")
        raise SopError(
            _("procedure {number} has no deadline {ref}; its deadlines are {known} (see `sop due`)").format(
                number=proc.number, ref=ref.text, known=known
            )
        )
    return ref.text


def _count_ref(proc: Procedure, ref: DeadlineRef | None) -> str:
    """The rule a `--count` is for: `--ref`, else the one share of responses the procedure tracks."""
    from sop_cli.deadlines import count_refs, share_refs

    refs = count_refs(proc)
    if ref is not None:
        wanted = ref.text
        if wanted not in refs:
            counted = ", ".join(refs) or _("none")
            raise SopError(
                _("{ref} of procedure {number} is not counted in responses (those that are: {counted})").format(
                    ref=ref.text, number=proc.number, counted=counted
                )
            )
        return wanted
    # Without --ref, the one share of responses the procedure tracks (a completeness condition
    # is counted only when named).
    shares = share_refs(proc)
    if len(shares) != 1:
        raise SopError(
            _("procedure {number} has no rule counted in responses").format(number=proc.number)
            if not refs
            else _("procedure {number} counts responses for {refs}: say which with --ref").format(
                number=proc.number, refs=", ".join(refs)
            )
        )
    return shares[0]


def schedule(
    ws: Workspace,
    number: int,
    actor: Actor,
    event: str,
    on: dt.date,
    *,
    fy: int | None = None,
    run: str | None = None,
) -> Change:
    """Set the date of a named event of a run (the inspection visit, the coordination meeting)."""
    from sop_cli.deadlines import event_names

    journal = _journal(ws, actor)
    year = journal.fiscal_year(fy)
    proc = journal.procedure(number)
    names = event_names(proc)
    event = words.code_of(words.SCHEDULED_EVENT, event)
    if event not in names:
        known = ", ".join(words.word(words.SCHEDULED_EVENT, n) for n in names) or _(
            "none: no rule of this procedure depends on an event date"
        )
        raise SopError(
            _("procedure {number} has no event '{event}'; its events are {known}").format(
                number=number, event=event, known=known
            )
        )
    with journal.write(number, year, run) as tx:
        assert tx.folder is not None
        tx.add(Scheduled(**tx.base(), type="scheduled", event=event, on=on))
    name, date = words.word(words.SCHEDULED_EVENT, event), format_short(on)
    return _change(tx, [_("{event} of run {run} is on {date}").format(event=name, run=tx.folder.run, date=date)])


def cancel_run(
    ws: Workspace, number: int, actor: Actor, reason: str, *, fy: int | None = None, run: str | None = None
) -> Change:
    """Abandon a run, with the reason."""
    journal = _journal(ws, actor)
    year = journal.fiscal_year(fy)
    journal.procedure(number)
    if not reason.strip():
        raise SopError(_("--reason must not be empty"))
    with journal.write(number, year, run) as tx:
        assert tx.folder is not None
        tx.add(Cancelled(**tx.base(), type="cancelled", reason=reason))
    return _change(
        tx,
        [
            _("run {run} of procedure {number} cancelled: {reason}").format(
                run=tx.folder.run, number=number, reason=reason
            )
        ],
    )


def void_event(ws: Workspace, event_id: str, actor: Actor, reason: str) -> Change:
    """Record that an event does not count (after a merge brought a contradiction); voiding a void undoes it."""
    journal = _journal(ws, actor)
    if not reason.strip():
        raise SopError(_("--reason must not be empty"))
    found = journal.find_event(event_id)
    target = found.event
    if isinstance(target, Started):
        raise SopError(
            _("event {event_id} starts the run; cancel the run with `sop cancel` instead").format(event_id=event_id)
        )
    folder = found.folder
    with journal.write(folder.procedure, folder.fy, folder.run, repairing=True) as tx:
        assert tx.loaded is not None
        events = [e.event for e in tx.loaded.events]
        not_counting = effective_voids(events)
        if event_id in not_counting:
            live = [v.id for v in events if isinstance(v, Voided) and v.target == event_id and v.id not in not_counting]
            what = _("void is already undone") if isinstance(target, Voided) else _("is already void")
            undo = (
                _("; to count it again, void the void {live}").format(live=live[0])
                if live and not isinstance(target, Voided)
                else ""
            )
            raise SopError(_("event {event_id} {what}{undo}").format(event_id=event_id, what=what, undo=undo))
        tx.void(Voided(**tx.base(), type="voided", target=event_id, reason=reason))
    who = journal.catalog.staff_name(target.by)
    if isinstance(target, Voided):
        line = _("the void {event_id} is undone: event {target} counts again ({reason})").format(
            event_id=event_id, target=target.target, reason=reason
        )
    else:
        line = _("event {event_id} ({word} by {who}) no longer counts: {reason}").format(
            event_id=event_id, word=words.word(words.EVENT_TYPE, target.type), who=who, reason=reason
        )
    return _change(tx, [line])


# --- views ----------------------------------------------------------------------------------------


def _closure_view(closure: Closure, catalog: Catalog) -> ClosureView:
    return ClosureView(
        closure.event,
        closure.round,
        str(closure.outcome),
        catalog.staff_name(closure.by),
        closure.date,
        closure.forced,
        closure.reason,
        closure.note,
        closure.cycle,
    )


def run_timeline(ws: Workspace, number: int, fy: int, run: str | None = None) -> Timeline:
    """The whole history of one run, step by step."""
    journal = Journal(ws)
    catalog = journal.catalog
    proc = journal.procedure(number)
    loaded: LoadedRun = journal.run(number, fy, run)
    state = loaded.state
    attachments: dict[int | None, list[AttachmentView]] = defaultdict(list)
    for a in state.attachments:
        view = AttachmentView(
            a.event,
            catalog.staff_name(a.by),
            a.date,
            a.note,
            words.evidence_text(a.evidence) if a.evidence else None,
            a.hours,
        )
        attachments[a.step].append(view)
    steps = []
    for step in proc.steps:
        kind = state.steps[step.number].value
        if step.number == state.current and state.status is RunStatus.open:
            kind = "current"
        closures = tuple(_closure_view(c, catalog) for c in state.history if c.step == step.number)
        steps.append(
            TimelineStep(
                step.number,
                step.label,
                step.text,
                kind,
                step.decision is not None,
                closures,
                tuple(attachments.get(step.number, [])),
                repeats=proc.cycles is not None and proc.cycles.repeats(step.number),
            )
        )
    return Timeline(
        procedure=number,
        short_title=proc.short_title,
        fy=fy,
        run=loaded.folder.run,
        label=state.label,
        status=state.status.value,
        started_by=catalog.staff_name(state.started_by) if state.started_by else None,
        started_on=state.started_on,
        round=state.round,
        steps=tuple(steps),
        rejections=tuple(_closure_view(c, catalog) for c in state.rejections),
        run_attachments=tuple(attachments.get(None, [])),
        hours=state.logged_hours,
        planned_hours=proc.total_hours,
        cancel_reason=state.cancel_reason,
        problems=tuple(f"{r.event.id}: {r.message}" for r in loaded.rejected) + tuple(str(p) for p in loaded.damaged),
        cycle=state.cycle if proc.cycles is not None else None,
        cycles=proc.cycles.count if proc.cycles is not None else 0,
    )


def event_log(ws: Workspace, fy: int, number: int | None = None, since: dt.date | None = None) -> list[LogEntry]:
    """Every event of a fiscal year (of one procedure, since a date), newest fact first."""
    journal = Journal(ws)
    catalog = journal.catalog
    if number is not None:
        journal.procedure(number)
    stored, _ = load_events(ws, fy, number)
    voided = effective_voids(s.event for s in stored)
    names = {m.id: m.display_name for m in catalog.roster.staff}
    entries = [
        LogEntry(
            event=s.event.id,
            at=s.event.at,
            date=s.event.date,
            fy=fy,
            procedure=s.event.procedure,
            run=s.event.run,
            type=s.event.type,
            by=catalog.staff_name(s.event.by),
            summary=words.event_summary(s.event, names=names),
            voided=s.event.id in voided,
            path=ws.relative(s.path),
        )
        for s in stored
        if since is None or s.event.date >= since
    ]
    # The date of the fact first, then the time it was recorded: an event recorded today for last
    # week sits with last week's.
    return sorted(entries, key=lambda e: (e.date, e.at, e.event), reverse=True)
