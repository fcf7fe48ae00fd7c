"""The run state machine: apply events to a run's state, a pure function driven by a table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sop_cli.errors import SopError
from sop_cli.models.procedure import Procedure
from sop_cli.models.records import (
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


class StepState(StrEnum):
    """State of one step in the current round."""

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
    round: int
    by: str
    date: dt.date
    at: dt.datetime
    outcome: str = "done"  # done, approved or rejected
    forced: bool = False
    reason: str | None = None
    note: str | None = None


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
    """Everything known about one run after replaying its events."""

    procedure: int
    run: str
    status: RunStatus = RunStatus.not_started
    fy: int | None = None
    label: str | None = None
    started_by: str | None = None
    started_on: dt.date | None = None
    steps: dict[int, StepState] = field(default_factory=dict)
    closed_by: dict[int, Closure] = field(default_factory=dict)  # closures of the current round
    round: int = 1
    history: tuple[Closure, ...] = ()  # every closure of every round, in order
    attachments: tuple[Attachment, ...] = ()
    last_activity: dt.date | None = None
    cancel_reason: str | None = None
    logged_hours: float = 0.0  # kept apart from the attachments, which a summary may drop
    scheduled: dict[str, dt.date] = field(default_factory=dict)  # named event → its date (latest wins)
    met: dict[str, tuple[dt.date, ...]] = field(default_factory=dict)  # deadline ref → days it was met
    counts: dict[str, tuple[int, int, dt.date]] = field(default_factory=dict)  # ref → (received, expected, day)

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
        raise IllegalMove(f"procedure {proc.number} has no step {step}; its steps are 1 to {len(proc.steps)}")
    if event.round != state.round:
        # Made in another round: after a merge, the same step closed twice in that round.
        for earlier in state.history:
            if earlier.step == step and earlier.round == event.round:
                raise Contradiction(
                    f"step {step} was already closed in round {event.round} by event {earlier.event} "
                    f"({earlier.by}, {earlier.date.isoformat()})",
                    other=earlier.event,
                )
        raise IllegalMove(f"the event belongs to round {event.round}, but the run is in round {state.round}")
    closure = state.closed_by.get(step)
    if state.steps[step] is StepState.done and closure is not None:
        raise Contradiction(
            f"step {step} was already closed in round {state.round} by event {closure.event} "
            f"({closure.by}, {closure.date.isoformat()})",
            other=closure.event,
        )
    current = state.current
    if step != current and not event.forced:
        raise IllegalMove(
            f"step {step} is not the next step (the next is step {current}); "
            "to do it out of order, add --force --reason TEXT"
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
    )


def _close(state: RunState, closure: Closure, steps: dict[int, StepState]) -> RunState:
    """The state after a step is done or approved; finished when no step is left."""
    closed = replace(
        state,
        steps=steps,
        closed_by={**state.closed_by, closure.step: closure},
        history=(*state.history, closure),
        last_activity=closure.date,
    )
    return replace(closed, status=RunStatus.finished) if closed.current is None else closed


def _complete(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, StepCompleted)
    _check_step(state, proc, event)
    if proc.step(event.step).decision is not None:
        raise IllegalMove(f"step {event.step} is a decision: close it with --approve or --reject --reason TEXT")
    return _close(state, _closure(state, event, "done"), {**state.steps, event.step: StepState.done})


def _decision_of(proc: Procedure, step: int) -> tuple[int, int | None]:
    decision = proc.step(step).decision
    if decision is None:
        raise IllegalMove(f"step {step} is not a decision: complete it without --approve or --reject")
    return decision.reject_to, decision.approve_to


def _approve(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Decided)
    _check_step(state, proc, event)
    _, approve_to = _decision_of(proc, event.step)
    closure = _closure(state, event, Outcome.approved)
    steps = {**state.steps, event.step: StepState.done}
    if approve_to is not None:
        # The manual continues at `approve_to`: the steps it passes over are skipped by the decision.
        for number in range(event.step + 1, approve_to):
            if steps.get(number) is StepState.pending:
                steps[number] = StepState.skipped
    return _close(state, closure, steps)


def _reject(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Decided)
    _check_step(state, proc, event)
    reject_to, _ = _decision_of(proc, event.step)
    closure = _closure(state, event, Outcome.rejected)
    # A rejection opens a new round: the steps from the loop target on are to be done again.
    steps = {n: (StepState.pending if n >= reject_to else s) for n, s in state.steps.items()}
    kept = {n: c for n, c in state.closed_by.items() if n < reject_to}
    return replace(
        state,
        steps=steps,
        closed_by=kept,
        round=state.round + 1,
        history=(*state.history, closure),
        last_activity=event.date,
    )


def _attach(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, NoteAdded | EvidenceAdded | HoursLogged)
    if event.step is not None and event.step not in state.steps:
        raise IllegalMove(f"procedure {proc.number} has no step {event.step}; its steps are 1 to {len(proc.steps)}")
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


def _schedule(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Scheduled)
    return replace(state, scheduled={**state.scheduled, event.event: event.on}, last_activity=event.date)


def _met(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, StandardMet)
    days = (*state.met.get(event.ref, ()), event.date)
    return replace(state, met={**state.met, event.ref: days}, last_activity=event.date)


def _count(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, CountReported)
    counts = {**state.counts, event.ref: (event.received, event.expected, event.date)}
    return replace(state, counts=counts, last_activity=event.date)


def _cancel(state: RunState, proc: Procedure, event: Event) -> RunState:
    assert isinstance(event, Cancelled)
    return replace(state, status=RunStatus.cancelled, cancel_reason=event.reason, last_activity=event.date)


def _refuse(message: str) -> Handler:
    def refuse(state: RunState, proc: Procedure, event: Event) -> RunState:
        raise IllegalMove(message.format(run=state.run, procedure=proc.number))

    return refuse


_NOT_STARTED = _refuse("run {run} of procedure {procedure} has not been started")
_FINISHED = _refuse("run {run} of procedure {procedure} is finished: every step is done")
_CANCELLED = _refuse("run {run} of procedure {procedure} was cancelled")
_STARTED_TWICE = _refuse("run {run} of procedure {procedure} is already started")

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
