"""The run state machine: apply events to a run's state, a pure function driven by a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sop_cli.errors import SopError
from sop_cli.i18n import N_, _
from sop_cli.models.procedure import DecisionKind, Procedure
from sop_cli.models.records import (
    Assigned,
    Cancelled,
    CountReported,
    Decided,
    Event,
    EvidenceAdded,
    EvidenceDocument,
    EvidenceFile,
    EvidenceLink,
    HoursLogged,
    NoteAdded,
    Outcome,
    Scheduled,
    StandardMet,
    Started,
    StepCompleted,
    Voided,
)


class RunStatus(StrEnum):
    """Where a run stands."""

    not_started = "not_started"
    open = "open"
    finished = "finished"
    cancelled = "cancelled"


class Move(StrEnum):
    """The kinds of event the table knows, a decision split by its outcome."""

    start = "started"
    complete = "step_completed"
    approve = "decision_approved"
    reject = "decision_rejected"
    note = "note"
    evidence = "evidence_added"
    hours = "hours_logged"
    schedule = "scheduled"
    met = "standard_met"
    tally = "count"
    cancel = "cancelled"
    assign = "assigned"


class StepState(StrEnum):
    """State of one step in the current decision round and inspection cycle."""

    pending = "pending"
    done = "done"
    skipped = "skipped"


class IllegalMove(SopError):
    """An event that the run's state does not allow."""


class Contradiction(IllegalMove):
    """An event that closes a step another event already closed in the same round."""

    def __init__(self, message: str, other: str) -> None:
        super().__init__(message)
        self.other = other


@dataclass(frozen=True)
class Closure:
    """Who closed a step (completed it, or decided it), when, and how."""

    event: str
    step: int
    round: int  # the decision round: 1 + the rejections before it
    by: str
    date: dt.date
    at: dt.datetime
    outcome: str = "done"  # done, approved or rejected
    forced: bool = False
    reason: str | None = None
    note: str | None = None
    cycle: int = 1  # the inspection cycle of the year it was done in (ครั้งที่ ๑, ๒ of procedures ๑ and ๒)


@dataclass(frozen=True)
class Attachment:
    """A note, evidence item or hours entry, with the step it belongs to (if any)."""

    event: str
    step: int | None
    by: str
    date: dt.date
    note: str | None = None
    evidence: EvidenceFile | EvidenceLink | EvidenceDocument | None = None
    hours: float | None = None


@dataclass(frozen=True)
class RunState:
    """Everything known about one run after replaying its events.

    Two counters are kept apart. The decision `round` is 1 plus the rejections so far (a rejection
    reopens work). The inspection `cycle` is which of the year's cycles the repeated steps are in
    (procedure ๒ does steps ๑๐–๑๔ once in February and again in August); it stays 1 in a procedure
    whose cycles repeat no step.
    """

    procedure: int
    run: str
    status: RunStatus = RunStatus.not_started
    fy: int | None = None
    label: str | None = None
    started_by: str | None = None
    started_on: dt.date | None = None
    steps: dict[int, StepState] = field(default_factory=dict)
    closed_by: dict[int, Closure] = field(default_factory=dict)  # closures of the current round and cycle
    round: int = 1
    history: tuple[Closure, ...] = ()  # every closure of every round and cycle, in order
    attachments: tuple[Attachment, ...] = ()
    last_activity: dt.date | None = None
    cancel_reason: str | None = None
    logged_hours: float = 0.0  # kept apart from the attachments, which a summary may drop
    scheduled: dict[str, dt.date] = field(default_factory=dict)  # named event → its date (latest wins)
    met: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)  # deadline ref → days it was met
    counts: dict[str, tuple[int, int, dt.date]] = field(default_factory=dict)  # ref → (received, expected, day)
    cycle: int = 1
    # Decision steps rejected by a "revise, then continue" decision that revises the step itself
    # (๑ ๖): their next completion is the revision, not a new decision.
    revising: frozenset[int] = frozenset()
    # The dates and counts of each inspection cycle: (name or ref, cycle) → as above, latest wins.
    cycle_scheduled: dict[tuple[str, int], dt.date] = field(default_factory=dict)
    cycle_counts: dict[tuple[str, int], tuple[int, int, dt.date]] = field(default_factory=dict)
    # Who holds the work, as handed over with `sop assign`: step → staff ids, None → the whole run.
    assigned: dict[int | None, tuple[str, ...]] = field(default_factory=dict)

    @property
    def current(self) -> int | None:
        """The next step to do: the first pending one, or None when nothing is left."""
        for number, state in sorted(self.steps.items()):
            if state is StepState.pending:
                return number
        return None

    @property
    def done_count(self) -> int:
        """Steps closed in the current round (done or skipped by a decision)."""
        return sum(1 for s in self.steps.values() if s is not StepState.pending)

    @property
    def rejections(self) -> tuple[Closure, ...]:
        """Every rejected decision, in order: one per extra round."""
        return tuple(c for c in self.history if c.outcome == Outcome.rejected)

    @property
    def hours(self) -> float:
        """Hours logged on the run."""
        return self.logged_hours


def new_run(proc: Procedure, run: str) -> RunState:
    """The state of a run before its first event."""
    return RunState(procedure=proc.number, run=run, steps={s.number: StepState.pending for s in proc.steps})


def move_of(event: Event) -> Move:
    """The table's name for an event (voids are handled before replay)."""
    if isinstance(event, Decided):
        return Move.approve if event.outcome is Outcome.approved else Move.reject
    if isinstance(event, Voided):
        raise ValueError("a void is not replayed; it removes its target first")
    return Move(event.type)


Handler = Callable[[RunState, Procedure, Event], RunState]


def _start(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Started)
    return replace(
        state,
        status=RunStatus.open,
        fy=event.fy,
        label=event.label,
        started_by=event.by,
        started_on=event.date,
        last_activity=event.date,
    )


def _check_step(state: RunState, proc: Procedure, event: StepCompleted | Decided) -> None:
    step = event.step
    if step not in state.steps:
        raise IllegalMove(
            _("procedure {number} has no step {step}; its steps are 1 to {count}").format(
                number=proc.number, step=step, count=len(proc.steps)
            )
        )
    cycle = event.cycle if event.cycle is not None else state.cycle  # events before cycles: the run's own
    if event.round != state.round or cycle != state.cycle:
        # Made in another round or cycle: after a merge, the same step closed twice there.
        for earlier in state.history:
            if earlier.step == step and earlier.round == event.round and earlier.cycle == cycle:
                raise Contradiction(
                    _("step {step} was already closed in round {round} by event {event} ({by}, {isoformat})").format(
                        step=step,
                        round=event.round,
                        event=earlier.event,
                        by=earlier.by,
                        isoformat=earlier.date.isoformat(),
                    ),
                    other=earlier.event,
                )
        if cycle != state.cycle:
            raise IllegalMove(
                _("the event belongs to inspection cycle {event_cycle}, but the run is in cycle {cycle}").format(
                    event_cycle=cycle, cycle=state.cycle
                )
            )
        raise IllegalMove(
            _("the event belongs to round {round}, but the run is in round {round2}").format(
                round=event.round, round2=state.round
            )
        )
    closure = state.closed_by.get(step)
    if state.steps[step] is StepState.done and closure is not None:
        raise Contradiction(
            _("step {step} was already closed in round {round} by event {event} ({by}, {isoformat})").format(
                step=step, round=closure.round, event=closure.event, by=closure.by, isoformat=closure.date.isoformat()
            ),
            other=closure.event,
        )
    current = state.current
    if step != current and not event.forced:
        raise IllegalMove(
            _(
                "step {step} is not the next step (the next is step {current}); to do it out of order, add --force "
                "--reason TEXT"
            ).format(step=step, current=current)
        )


def _closure(state: RunState, event: StepCompleted | Decided, outcome: str) -> Closure:
    return Closure(
        event=event.id,
        step=event.step,
        round=state.round,
        by=event.by,
        date=event.date,
        at=event.at,
        outcome=outcome,
        forced=event.forced,
        reason=event.reason,
        note=event.note,
        cycle=state.cycle,
    )


def _next_cycle(state: RunState, proc: Procedure) -> RunState:
    """Open the next inspection cycle once the repeated steps of this one are all closed."""
    cycles = proc.cycles
    if cycles is None or cycles.first_step is None or state.cycle >= cycles.count:
        return state
    repeated = [n for n in state.steps if cycles.repeats(n)]
    if any(state.steps[n] is StepState.pending for n in repeated):
        return state
    return replace(
        state,
        cycle=state.cycle + 1,
        steps={n: (StepState.pending if cycles.repeats(n) else s) for n, s in state.steps.items()},
        closed_by={n: c for n, c in state.closed_by.items() if not cycles.repeats(n)},
        revising=frozenset(n for n in state.revising if not cycles.repeats(n)),
    )


def _close(state: RunState, proc: Procedure, closure: Closure, steps: dict[int, StepState]) -> RunState:
    """The state after a step is done or approved; finished when no step is left in the last cycle."""
    closed = replace(
        state,
        steps=steps,
        closed_by={**state.closed_by, closure.step: closure},
        history=(*state.history, closure),
        last_activity=closure.date,
        revising=state.revising - {closure.step},
    )
    closed = _next_cycle(closed, proc)
    return replace(closed, status=RunStatus.finished) if closed.current is None else closed


def _complete(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, StepCompleted)
    _check_step(state, proc, event)
    if proc.step(event.step).decision is not None and event.step not in state.revising:
        raise IllegalMove(
            _("step {step} is a decision: close it with --approve or --reject --reason TEXT").format(step=event.step)
        )
    return _close(state, proc, _closure(state, event, "done"), {**state.steps, event.step: StepState.done})


def _decided_step(state: RunState, proc: Procedure, event: Decided) -> None:
    """Refuse a decision at a step that is not one, or whose revision is awaited instead."""
    _check_step(state, proc, event)
    if proc.step(event.step).decision is None:
        raise IllegalMove(
            _("step {step} is not a decision: complete it without --approve or --reject").format(step=event.step)
        )
    if event.step in state.revising:
        raise IllegalMove(
            _(
                "step {step} is being revised after its rejection: record the revision without --approve or "
                "--reject; the manual then continues without a second decision"
            ).format(step=event.step)
        )


def _skip_between(steps: dict[int, StepState], after: int, until: int | None, keep: int | None = None) -> None:
    # The manual continues at `until`: the steps it passes over are skipped by the decision.
    if until is None:
        return
    for number in range(after + 1, until):
        if number != keep and steps.get(number) is StepState.pending:
            steps[number] = StepState.skipped


def _approve(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Decided)
    _decided_step(state, proc, event)
    decision = proc.step(event.step).decision
    assert decision is not None
    steps = {**state.steps, event.step: StepState.done}
    _skip_between(steps, event.step, decision.approve_to)
    return _close(state, proc, _closure(state, event, Outcome.approved), steps)


def _reject(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Decided)
    _decided_step(state, proc, event)
    step = proc.step(event.step)
    decision = step.decision
    assert decision is not None
    closure = _closure(state, event, Outcome.rejected)
    # Every rejection opens a new decision round; the history keeps each one.
    after = replace(state, round=state.round + 1, history=(*state.history, closure), last_activity=event.date)
    if decision.kind is DecisionKind.resubmit:
        assert decision.reject_to is not None
        # The steps from the loop target on are to be done again, the decision included.
        return replace(
            after,
            steps={n: (StepState.pending if n >= decision.reject_to else s) for n, s in state.steps.items()},
            closed_by={n: c for n, c in state.closed_by.items() if n < decision.reject_to},
        )
    # Revise, then continue: the revision step is (re)opened, the decision is settled, and the work
    # goes on where the manual says, without a second decision.
    target = step.revision_step
    assert target is not None
    steps = {**state.steps, target: StepState.pending}
    closed_by = {n: c for n, c in state.closed_by.items() if n != target}
    revising = state.revising
    if target == event.step:
        revising = revising | {target}
    else:
        steps[event.step] = StepState.done
        closed_by[event.step] = closure
    _skip_between(steps, event.step, decision.approve_to, keep=target)
    return replace(after, steps=steps, closed_by=closed_by, revising=revising)


def _attach(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, NoteAdded | EvidenceAdded | HoursLogged)
    if event.step is not None and event.step not in state.steps:
        raise IllegalMove(
            _("procedure {number} has no step {step}; its steps are 1 to {count}").format(
                number=proc.number, step=event.step, count=len(proc.steps)
            )
        )
    attachment = Attachment(
        event=event.id,
        step=event.step,
        by=event.by,
        date=event.date,
        note=event.text if isinstance(event, NoteAdded) else None,
        evidence=event.evidence if isinstance(event, EvidenceAdded) else None,
        hours=event.hours if isinstance(event, HoursLogged) else None,
    )
    return replace(
        state,
        attachments=(*state.attachments, attachment),
        logged_hours=state.logged_hours + (attachment.hours or 0.0),
        last_activity=event.date,
    )


def _cycle_of(state: RunState, proc: Procedure, day: dt.date) -> int | None:
    """The inspection cycle a dated record belongs to, or None when the procedure has no cycles."""
    if proc.cycles is None or state.fy is None:
        return None
    return proc.cycles.cycle_of(state.fy, day)


def _schedule(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Scheduled)
    changed = replace(state, scheduled={**state.scheduled, event.event: event.on}, last_activity=event.date)
    cycle = _cycle_of(state, proc, event.on)
    if cycle is None:
        return changed
    return replace(changed, cycle_scheduled={**state.cycle_scheduled, (event.event, cycle): event.on})


def _met(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, StandardMet)
    days = (*state.met.get(event.ref, ()), event.date)
    return replace(state, met={**state.met, event.ref: days}, last_activity=event.date)


def _count_cycle(state: RunState, proc: Procedure, ref: str, day: dt.date) -> int | None:
    """The cycle a count belongs to: the one of the event its rule counts from, else by its day.

    Forms sent on 5 April (the first round) may come back in May: the count follows the sending. A
    count before an event (the tools of a visit) belongs to the next visit.
    """
    cycle = _cycle_of(state, proc, day)
    rule = proc.timing_of(ref)
    event = getattr(rule, "event", None)
    if cycle is None or event is None:
        return cycle
    dated = {c: on for (name, c), on in state.cycle_scheduled.items() if name == event}
    if rule is not None and rule.kind == "before_event":
        after = [c for c, on in dated.items() if on >= day]
        return min(after) if after else cycle
    before = [c for c, on in dated.items() if on <= day]
    return max(before) if before else cycle


def _count(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, CountReported)
    tally = (event.received, event.expected, event.date)
    changed = replace(state, counts={**state.counts, event.ref: tally}, last_activity=event.date)
    cycle = _count_cycle(state, proc, event.ref, event.date)
    if cycle is None:
        return changed
    return replace(changed, cycle_counts={**state.cycle_counts, (event.ref, cycle): tally})


def _cancel(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Cancelled)
    return replace(state, status=RunStatus.cancelled, cancel_reason=event.reason, last_activity=event.date)


def _assign(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Assigned)
    if event.step is not None and event.step not in state.steps:
        raise IllegalMove(
            _("procedure {number} has no step {step}; its steps are 1 to {count}").format(
                number=proc.number, step=event.step, count=len(proc.steps)
            )
        )
    if event.step is None:
        # The whole run changes hands: earlier handings over of single steps go with it.
        return replace(state, assigned={None: event.persons})
    return replace(state, assigned={**state.assigned, event.step: event.persons})


def holder_ids(proc: Procedure, state: RunState, step: int | None) -> tuple[str, ...]:
    """Staff ids of who holds `step` (None: every step of the run): as handed over, else the manual's persons."""
    if step is not None:
        if step in state.assigned:
            return state.assigned[step]
        if None in state.assigned:
            return state.assigned[None]
        return proc.row_of(step).responsible
    people: list[str] = []
    for each in proc.steps:
        people += [p for p in holder_ids(proc, state, each.number) if p not in people]
    return tuple(people)


def _refuse(message: str) -> Handler:
    def refuse(state: RunState, proc: Procedure, event: Event) -> RunState:
        raise IllegalMove(_(message).format(run=state.run, procedure=proc.number))

    return refuse


_NOT_STARTED = _refuse(N_("run {run} of procedure {procedure} has not been started"))
_FINISHED = _refuse(N_("run {run} of procedure {procedure} is finished: every step is done"))
_CANCELLED = _refuse(N_("run {run} of procedure {procedure} was cancelled"))
_STARTED_TWICE = _refuse(N_("run {run} of procedure {procedure} is already started"))

# The whole state machine: what each event does in each state.
TRANSITIONS: dict[tuple[RunStatus, Move], Handler] = {
    (RunStatus.not_started, Move.start): _start,
    **{(RunStatus.not_started, m): _NOT_STARTED for m in Move if m is not Move.start},
    (RunStatus.open, Move.start): _STARTED_TWICE,
    (RunStatus.open, Move.complete): _complete,
    (RunStatus.open, Move.approve): _approve,
    (RunStatus.open, Move.reject): _reject,
    (RunStatus.open, Move.note): _attach,
    (RunStatus.open, Move.evidence): _attach,
    (RunStatus.open, Move.hours): _attach,
    (RunStatus.open, Move.schedule): _schedule,
    (RunStatus.open, Move.met): _met,
    (RunStatus.open, Move.tally): _count,
    (RunStatus.open, Move.cancel): _cancel,
    (RunStatus.open, Move.assign): _assign,
    (RunStatus.finished, Move.start): _STARTED_TWICE,
    (RunStatus.finished, Move.complete): _FINISHED,
    (RunStatus.finished, Move.approve): _FINISHED,
    (RunStatus.finished, Move.reject): _FINISHED,
    # A finished run still takes late evidence, notes and hours: the report needs them.
    (RunStatus.finished, Move.note): _attach,
    (RunStatus.finished, Move.evidence): _attach,
    (RunStatus.finished, Move.hours): _attach,
    (RunStatus.finished, Move.schedule): _schedule,
    (RunStatus.finished, Move.met): _met,
    (RunStatus.finished, Move.tally): _count,
    (RunStatus.finished, Move.cancel): _FINISHED,
    (RunStatus.finished, Move.assign): _FINISHED,
    **{(RunStatus.cancelled, m): _CANCELLED for m in Move},
}


def apply(state: RunState, proc: Procedure, event: Event) -> RunState:
    """Return the state after `event`, or raise IllegalMove naming the state and the event."""
    return TRANSITIONS[(state.status, move_of(event))](state, proc, event)


@dataclass(frozen=True)
class Rejected:
    """An event that replay could not apply, and why."""

    event: Event
    message: str
    other: str | None = None  # the event it contradicts, if that is the reason


def replay_order(events: Iterable[Event]) -> list[Event]:
    """Events in the deterministic replay order: time recorded, then id."""
    return sorted(events, key=lambda e: (e.at, e.id))


def effective_voids(events: Iterable[Event]) -> set[str]:
    """Ids of the events that do not count: the targets of voids that are not themselves undone.

    Voiding a void undoes it (the event counts again); voiding that one voids the event again.
    A void is written after its target, so deciding the latest voids first settles every chain.
    """
    voids = sorted((e for e in events if isinstance(e, Voided)), key=lambda e: (e.at, e.id), reverse=True)
    voiders: dict[str, list[str]] = {}
    for void in voids:
        voiders.setdefault(void.target, []).append(void.id)
    effective: dict[str, bool] = {}
    for void in voids:
        effective[void.id] = not any(effective.get(other, False) for other in voiders.get(void.id, ()))
    return {void.target for void in voids if effective[void.id]}


def replay(proc: Procedure, run: str, events: Iterable[Event]) -> tuple[RunState, list[Rejected]]:
    """Replay a run's events, skipping voided ones; return the state and the events that did not apply."""
    events = list(events)
    voided = effective_voids(events)
    state = new_run(proc, run)
    rejected: list[Rejected] = []
    for event in replay_order(e for e in events if not isinstance(e, Voided) and e.id not in voided):
        try:
            state = apply(state, proc, event)
        except Contradiction as exc:
            rejected.append(Rejected(event, str(exc), exc.other))
        except IllegalMove as exc:
            rejected.append(Rejected(event, str(exc)))
    return state, rejected
