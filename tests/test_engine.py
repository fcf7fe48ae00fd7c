"""The run state machine: every (state, move) pair, decision loops, rounds and contradictions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

from sop_cli.engine import (
    TRANSITIONS,
    Contradiction,
    IllegalMove,
    Move,
    RunState,
    RunStatus,
    StepState,
    apply,
    new_run,
    replay,
)
from sop_cli.loading.catalog import load_catalog
from sop_cli.models.procedure import Procedure
from sop_cli.models.records import Event
from sop_cli.storage.records import _event_adapter
from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT

# Four steps; step 3 is a decision that loops back to 2 and continues at 4.
PROC = Procedure.model_validate(
    {
        "schema_version": 1,
        "number": 2,
        "short_title": "ทดสอบ",
        "header": {
            "title": "งานทดสอบ",
            "work_unit": "กลุ่มงานทดสอบ",
            "page": "๑/๑",
            "effective_date": "2024-10-01",
            "revision": "-",
        },
        "objectives": ["x"],
        "scope": ["x"],
        "responsibilities": [{"text": "x"}],
        "rows": [
            {
                "label": "๑-๓",
                "hours": 10,
                "steps": [
                    {"number": 1, "text": "หนึ่ง"},
                    {"number": 2, "text": "สอง"},
                    {
                        "number": 3,
                        "text": "เสนอ",
                        "decision": {"by": ["committee"], "wording": "กรณีไม่เห็นชอบ…", "reject_to": 2, "approve_to": 4},
                    },
                ],
            },
            {"label": "๔", "hours": 5, "steps": [{"number": 4, "text": "รายงาน"}]},
        ],
        "standards": [{"text": "x"}],
        "monitoring": {"text": "x"},
    }
)
# A procedure whose approval jumps over a step, as procedure ๒'s step ๘ continues at ๑๐.
JUMP = Procedure.model_validate(
    PROC.model_dump()
    | {
        "rows": [
            {
                "label": "๑-๔",
                "hours": 10,
                "steps": [
                    {"number": 1, "text": "หนึ่ง"},
                    {
                        "number": 2,
                        "text": "เสนอ",
                        "decision": {"by": ["committee"], "wording": "…", "reject_to": 1, "approve_to": 4},
                    },
                    {"number": 3, "text": "แจ้ง"},
                    {"number": 4, "text": "จบ"},
                ],
            }
        ]
    }
)
_counter = itertools.count()
T0 = dt.datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK)


def ev(kind: str, **fields: Any) -> Event:
    """An event of the run r1 of PROC, each one a second after the previous."""
    n = next(_counter)
    base = {
        "schema_version": 1,
        "id": f"ev{n:06d}",
        "procedure": 2,
        "run": "run1",
        "at": T0 + dt.timedelta(seconds=n),
        "date": "2026-11-25",
        "by": "nanthana",
    }
    data = base | {"type": kind} | fields
    return _event_adapter().validate_python(data)


def started() -> RunState:
    return apply(new_run(PROC, "run1"), PROC, ev("started", fy=2570))


def finished() -> RunState:
    state = started()
    for event in (ev("step_completed", step=1), ev("step_completed", step=2)):
        state = apply(state, PROC, event)
    state = apply(state, PROC, ev("decision", step=3, outcome="approved"))
    return apply(state, PROC, ev("step_completed", step=4))


def cancelled() -> RunState:
    return apply(started(), PROC, ev("cancelled", reason="ไม่ได้รับงบประมาณ"))


STATES = {
    RunStatus.not_started: lambda: new_run(PROC, "run1"),
    RunStatus.open: started,
    RunStatus.finished: finished,
    RunStatus.cancelled: cancelled,
}


def sample(move: Move, state: RunState) -> Event:
    """A representative event of each move, valid in spirit for the state's next step."""
    step = state.current or 1
    if move is Move.start:
        return ev("started", fy=2570)
    if move is Move.complete:
        return ev("step_completed", step=step)
    if move is Move.approve:
        return ev("decision", step=3, outcome="approved")
    if move is Move.reject:
        return ev("decision", step=3, outcome="rejected", reason="ไม่ครบ")
    if move is Move.note:
        return ev("note", text="บันทึก")
    if move is Move.evidence:
        return ev("evidence_added", evidence={"kind": "link", "url": "https://drive.google.com/x"})
    if move is Move.hours:
        return ev("hours_logged", hours=2)
    if move is Move.schedule:
        return ev("scheduled", event="inspection_visit", on="2027-02-15")
    if move is Move.met:
        return ev("standard_met", ref="6.2")
    if move is Move.tally:
        return ev("count", ref="6.6", received=42, expected=50)
    if move is Move.assign:
        return ev("assigned", persons=["saowalak"], step=step)
    return ev("cancelled", reason="ยกเลิก")


# What each pair does: the status it leads to, or None for a refusal.
EXPECTED: dict[tuple[RunStatus, Move], RunStatus | None] = {
    (RunStatus.not_started, Move.start): RunStatus.open,
    **{(RunStatus.not_started, m): None for m in Move if m is not Move.start},
    (RunStatus.open, Move.start): None,
    (RunStatus.open, Move.complete): RunStatus.open,
    (RunStatus.open, Move.approve): None,  # step 3 is not the next step of a fresh run
    (RunStatus.open, Move.reject): None,
    (RunStatus.open, Move.note): RunStatus.open,
    (RunStatus.open, Move.evidence): RunStatus.open,
    (RunStatus.open, Move.hours): RunStatus.open,
    (RunStatus.open, Move.schedule): RunStatus.open,
    (RunStatus.open, Move.met): RunStatus.open,
    (RunStatus.open, Move.tally): RunStatus.open,
    (RunStatus.open, Move.cancel): RunStatus.cancelled,
    (RunStatus.open, Move.assign): RunStatus.open,
    (RunStatus.finished, Move.start): None,
    (RunStatus.finished, Move.complete): None,
    (RunStatus.finished, Move.approve): None,
    (RunStatus.finished, Move.reject): None,
    (RunStatus.finished, Move.note): RunStatus.finished,
    (RunStatus.finished, Move.evidence): RunStatus.finished,
    (RunStatus.finished, Move.hours): RunStatus.finished,
    (RunStatus.finished, Move.schedule): RunStatus.finished,
    (RunStatus.finished, Move.met): RunStatus.finished,
    (RunStatus.finished, Move.tally): RunStatus.finished,
    (RunStatus.finished, Move.cancel): None,
    (RunStatus.finished, Move.assign): None,  # a finished run has no work left to hand over
    **{(RunStatus.cancelled, m): None for m in Move},
}


def test_table_covers_every_pair() -> None:
    """The transition table has an entry for every state and every move."""
    assert set(TRANSITIONS) == {(s, m) for s in RunStatus for m in Move}
    assert set(EXPECTED) == set(TRANSITIONS)


@pytest.mark.parametrize(("status", "move"), sorted(EXPECTED, key=str), ids=lambda x: str(x))
def test_every_state_and_move(status: RunStatus, move: Move) -> None:
    """Each (state, move) pair either leads to the expected state or is refused with a message."""
    state = STATES[status]()
    assert state.status is status
    event = sample(move, state)
    expected = EXPECTED[(status, move)]
    if expected is None:
        with pytest.raises(IllegalMove) as refused:
            apply(state, PROC, event)
        assert str(refused.value)
    else:
        assert apply(state, PROC, event).status is expected


def test_steps_go_in_order_and_finish() -> None:
    """Completing steps in order moves the current step and finishes the run after the last."""
    state = started()
    assert state.current == 1
    state = apply(state, PROC, ev("step_completed", step=1))
    assert (state.current, state.done_count) == (2, 1)
    with pytest.raises(IllegalMove, match=r"step 4 is not the next step .* --force --reason"):
        apply(state, PROC, ev("step_completed", step=4))
    assert finished().status is RunStatus.finished


def test_forced_step_is_marked() -> None:
    """An out-of-order step with --force is done, marked as forced, and the current step stays."""
    state = apply(started(), PROC, ev("step_completed", step=4, forced=True, reason="ทำล่วงหน้า"))
    assert state.steps[4] is StepState.done
    assert state.history[-1].forced and state.history[-1].reason == "ทำล่วงหน้า"
    assert state.current == 1


def test_decision_rules() -> None:
    """A decision step needs --approve/--reject; other steps refuse them; a rejection needs a reason."""
    state = started()
    state = apply(state, PROC, ev("step_completed", step=1))
    state = apply(state, PROC, ev("step_completed", step=2))
    with pytest.raises(IllegalMove, match="step 3 is a decision"):
        apply(state, PROC, ev("step_completed", step=3))
    with pytest.raises(IllegalMove, match="step 1 is not a decision"):
        apply(started(), PROC, ev("decision", step=1, outcome="approved"))
    with pytest.raises(ValueError, match="a rejection needs a reason"):
        ev("decision", step=3, outcome="rejected")


def test_rejection_opens_a_new_round_and_keeps_history() -> None:
    """A rejection reopens the loop target onwards as round 2; both rounds stay in the history."""
    state = started()
    for event in (ev("step_completed", step=1), ev("step_completed", step=2)):
        state = apply(state, PROC, event)
    state = apply(state, PROC, ev("decision", step=3, outcome="rejected", reason="แก้ตัวชี้วัด"))
    assert state.round == 2
    assert state.current == 2
    assert state.steps[1] is StepState.done and state.steps[2] is StepState.pending
    state = apply(state, PROC, ev("step_completed", step=2, round=2))
    state = apply(state, PROC, ev("decision", step=3, outcome="approved", round=2))
    assert state.current == 4
    assert [(c.step, c.round, c.outcome) for c in state.history] == [
        (1, 1, "done"),
        (2, 1, "done"),
        (3, 1, "rejected"),
        (2, 2, "done"),
        (3, 2, "approved"),
    ]
    assert [c.reason for c in state.rejections] == ["แก้ตัวชี้วัด"]


def test_approval_continues_where_the_manual_says() -> None:
    """An approval that continues at a later step marks the steps in between as skipped."""
    state = apply(new_run(JUMP, "run1"), JUMP, ev("started", fy=2570))
    state = apply(state, JUMP, ev("step_completed", step=1))
    state = apply(state, JUMP, ev("decision", step=2, outcome="approved"))
    assert state.steps[3] is StepState.skipped
    assert state.current == 4


def test_same_step_twice_is_a_contradiction() -> None:
    """Two completions of one step in one round contradict each other (after a merge)."""
    first = ev("step_completed", step=1)
    state = apply(started(), PROC, first)
    with pytest.raises(Contradiction) as clash:
        apply(state, PROC, ev("step_completed", step=1))
    assert clash.value.other == first.id


def test_approved_and_rejected_in_one_round_is_a_contradiction() -> None:
    """A decision both rejected and approved in round 1 is flagged, whichever came first."""
    state = started()
    for event in (ev("step_completed", step=1), ev("step_completed", step=2)):
        state = apply(state, PROC, event)
    rejection = ev("decision", step=3, outcome="rejected", reason="ไม่ผ่าน")
    after = apply(state, PROC, rejection)
    with pytest.raises(Contradiction) as clash:
        apply(after, PROC, ev("decision", step=3, outcome="approved", round=1))
    assert clash.value.other == rejection.id
    approval = ev("decision", step=3, outcome="approved")
    after = apply(state, PROC, approval)
    with pytest.raises(Contradiction):
        apply(after, PROC, ev("decision", step=3, outcome="rejected", reason="x", round=1))


def test_replay_is_ordered_and_skips_voided_events() -> None:
    """Replay sorts by time recorded whatever the input order, drops voided events, reports the rest."""
    start, one, dup = ev("started", fy=2570), ev("step_completed", step=1), ev("step_completed", step=1)
    state, rejected = replay(PROC, "run1", [dup, one, start])
    assert state.current == 2
    assert [(r.event.id, r.other) for r in rejected] == [(dup.id, one.id)]
    void = ev("voided", target=one.id, reason="บันทึกซ้ำ")
    state, rejected = replay(PROC, "run1", [dup, one, start, void])
    assert rejected == [] and state.history[0].event == dup.id


def test_schedule_met_and_counts_are_kept() -> None:
    """Scheduled dates (latest wins), met deadlines and reported counts are part of the state."""
    state = started()
    state = apply(state, PROC, ev("scheduled", event="inspection_visit", on="2027-02-15"))
    state = apply(state, PROC, ev("scheduled", event="inspection_visit", on="2027-02-22"))
    state = apply(state, PROC, ev("standard_met", ref="6.2"))
    state = apply(state, PROC, ev("count", ref="6.6", received=30, expected=50))
    state = apply(state, PROC, ev("count", ref="6.6", received=42, expected=50))
    assert state.scheduled == {"inspection_visit": dt.date(2027, 2, 22)}
    assert state.met == {"6.2": (dt.date(2026, 11, 25),)}
    assert state.counts["6.6"][:2] == (42, 50)
    with pytest.raises(ValueError, match="51 received is more than the 50 expected"):
        ev("count", ref="6.6", received=51, expected=50)


def test_unknown_step_is_refused() -> None:
    """A step number the procedure does not have is refused, with the valid range."""
    with pytest.raises(IllegalMove, match="has no step 9; its steps are 1 to 4"):
        apply(started(), PROC, ev("step_completed", step=9, forced=True, reason="x"))


# --- "revise, then continue" decisions and inspection cycles ----------------------------------------


def _proc(steps: list[dict[str, Any]], **extra: Any) -> Procedure:
    """A one-row procedure with these steps (and other fields), for the engine's tests."""
    return Procedure.model_validate(PROC.model_dump() | {"rows": [{"label": "๑", "hours": 10, "steps": steps}]} | extra)


def _revise(revise: int | None, approve_to: int | None = None) -> dict[str, Any]:
    return {"by": ["committee"], "wording": "…", "kind": "revise", "revise": revise, "approve_to": approve_to}


# ๒ ๘ in small: a rejection at 3 revises 2, then the work goes on at 5 (4 is passed over either way).
REVISE_BACK = _proc(
    [
        {"number": 1, "text": "หนึ่ง"},
        {"number": 2, "text": "ยกร่าง"},
        {"number": 3, "text": "เสนอ", "decision": _revise(2, 5)},
        {"number": 4, "text": "ข้าม"},
        {"number": 5, "text": "แจ้ง"},
    ]
)
# ๑ ๖ in small: "ปรับปรุงตามข้อเสนอแนะ" names no step, so step 2 itself is revised.
REVISE_SELF = _proc(
    [
        {"number": 1, "text": "หนึ่ง"},
        {"number": 2, "text": "รับฟัง", "decision": _revise(None)},
        {"number": 3, "text": "จัดทำ"},
    ]
)
# ๘ ๒.๓–๒.๕ in small: approval passes over the conditional revision 2; suggestions make it happen.
REVISE_AFTER = _proc(
    [
        {"number": 1, "text": "เสนอ", "decision": _revise(2, 3)},
        {"number": 2, "text": "ปรับปรุงตามที่เสนอแนะ"},
        {"number": 3, "text": "แจ้ง"},
    ]
)
# ๒ in small: steps 3-4 are done again in each of the two inspection cycles (February, August).
CYCLED = _proc(
    [
        {"number": 1, "text": "วางแผน"},
        {"number": 2, "text": "แจ้ง"},
        {"number": 3, "text": "ตรวจ"},
        {"number": 4, "text": "เสนอ", "decision": _revise(3)},
    ],
    cycles={"ref": "๒.๒", "months": [2, 8], "first_step": 3, "last_step": 4},
)


def walk(proc: Procedure, *events: Event) -> RunState:
    """A started run of `proc` after `events`."""
    state = apply(new_run(proc, "run1"), proc, ev("started", fy=2570))
    for event in events:
        state = apply(state, proc, event)
    return state


def test_revise_then_continue_reopens_the_revision_step_only() -> None:
    """A rejection at 3 reopens 2 (round 2), settles 3, passes over 4, and continues at 5 without a new decision."""
    state = walk(
        REVISE_BACK,
        ev("step_completed", step=1),
        ev("step_completed", step=2),
        ev("decision", step=3, outcome="rejected", reason="ปรับตัวชี้วัด"),
    )
    assert (state.round, state.current) == (2, 2)
    assert [state.steps[n] for n in (1, 3, 4, 5)] == [
        StepState.done,
        StepState.done,
        StepState.skipped,
        StepState.pending,
    ]
    state = apply(state, REVISE_BACK, ev("step_completed", step=2, round=2))
    assert state.current == 5  # not 3: the manual asks for no second decision
    with pytest.raises(Contradiction):
        apply(state, REVISE_BACK, ev("decision", step=3, outcome="approved", round=2))
    state = apply(state, REVISE_BACK, ev("step_completed", step=5, round=2))
    assert state.status is RunStatus.finished
    assert [(c.step, c.round, c.outcome) for c in state.history] == [
        (1, 1, "done"),
        (2, 1, "done"),
        (3, 1, "rejected"),
        (2, 2, "done"),
        (5, 2, "done"),
    ]
    assert [c.reason for c in state.rejections] == ["ปรับตัวชี้วัด"]


def test_approval_of_a_revise_decision_goes_on_where_the_manual_says() -> None:
    """Approved, the same decision passes over 4 and goes on at 5; nothing is reopened."""
    state = walk(
        REVISE_BACK,
        ev("step_completed", step=1),
        ev("step_completed", step=2),
        ev("decision", step=3, outcome="approved"),
    )
    assert (state.round, state.current, state.steps[4]) == (1, 5, StepState.skipped)


def test_a_decision_that_revises_itself_takes_the_revision_without_a_second_decision() -> None:
    """๑ ๖: "ไม่เป็นที่ยอมรับ" sends step 2 back for revision; its next closure is a completion, then 3."""
    state = walk(REVISE_SELF, ev("step_completed", step=1), ev("decision", step=2, outcome="rejected", reason="ปรับ"))
    assert (state.current, state.revising, state.round) == (2, frozenset({2}), 2)
    with pytest.raises(IllegalMove, match="being revised after its rejection"):
        apply(state, REVISE_SELF, ev("decision", step=2, outcome="approved", round=2))
    state = apply(state, REVISE_SELF, ev("step_completed", step=2, round=2, note="ปรับกรอบแล้ว"))
    assert (state.current, state.revising) == (3, frozenset())
    assert [(c.step, c.round, c.outcome) for c in state.history if c.step == 2] == [(2, 1, "rejected"), (2, 2, "done")]
    with pytest.raises(IllegalMove, match="step 2 is a decision"):
        apply(walk(REVISE_SELF, ev("step_completed", step=1)), REVISE_SELF, ev("step_completed", step=2))


def test_a_conditional_revision_happens_only_when_the_decision_asks_for_it() -> None:
    """๘ ๒.๔: approval at 1 passes over 2; suggestions at 1 open 2, and then 3 follows."""
    approved = walk(REVISE_AFTER, ev("decision", step=1, outcome="approved"))
    assert (approved.current, approved.steps[2]) == (3, StepState.skipped)
    suggested = walk(REVISE_AFTER, ev("decision", step=1, outcome="rejected", reason="เสนอแนะให้ปรับ"))
    assert (suggested.current, suggested.steps[1], suggested.round) == (2, StepState.done, 2)
    suggested = apply(suggested, REVISE_AFTER, ev("step_completed", step=2, round=2))
    assert suggested.current == 3


def test_one_run_carries_both_inspection_cycles() -> None:
    """Steps 3-4 are done in cycle 1, reopen in cycle 2, and the run finishes after the second; 1-2 once."""
    state = walk(
        CYCLED,
        ev("step_completed", step=1),
        ev("step_completed", step=2),
        ev("step_completed", step=3),
        ev("decision", step=4, outcome="approved"),
    )
    assert (state.cycle, state.current, state.status) == (2, 3, RunStatus.open)
    assert (state.steps[1], state.steps[2], state.done_count) == (StepState.done, StepState.done, 2)
    state = apply(state, CYCLED, ev("step_completed", step=3, cycle=2))
    state = apply(state, CYCLED, ev("decision", step=4, outcome="rejected", reason="สั่งการให้ปรับ"))
    assert (state.cycle, state.current, state.round) == (2, 3, 2)  # revise 3, then no second decision
    state = apply(state, CYCLED, ev("step_completed", step=3, round=2))
    assert state.status is RunStatus.finished and state.cycle == 2
    assert [(c.step, c.cycle, c.round, c.outcome) for c in state.history] == [
        (1, 1, 1, "done"),
        (2, 1, 1, "done"),
        (3, 1, 1, "done"),
        (4, 1, 1, "approved"),
        (3, 2, 1, "done"),
        (4, 2, 1, "rejected"),
        (3, 2, 2, "done"),
    ]


def test_a_cycle_closed_twice_after_a_merge_is_a_contradiction() -> None:
    """Step 3 of cycle 1 recorded again from another clone is flagged; an unknown cycle is refused."""
    first = ev("step_completed", step=3)
    state = walk(CYCLED, ev("step_completed", step=1), ev("step_completed", step=2), first)
    state = apply(state, CYCLED, ev("decision", step=4, outcome="approved"))
    with pytest.raises(Contradiction) as clash:
        apply(state, CYCLED, ev("step_completed", step=3, cycle=1))
    assert clash.value.other == first.id
    with pytest.raises(IllegalMove, match="belongs to inspection cycle 3, but the run is in cycle 2"):
        apply(state, CYCLED, ev("step_completed", step=3, cycle=3))


@pytest.mark.parametrize(
    ("on", "cycle"),
    [
        ("2026-10-20", 1),  # October: the first round of the fiscal year
        ("2027-02-15", 1),
        ("2027-04-30", 1),  # April is nearer February than August
        ("2027-05-15", 2),  # May is halfway: the first term of the next academic year, inspected in August
        ("2027-08-10", 2),
        ("2027-09-30", 2),
        ("2027-12-01", 2),  # after the fiscal year: its last cycle
    ],
)
def test_dated_records_belong_to_the_nearest_cycle(on: str, cycle: int) -> None:
    """A visit's date (or a count's day) places it in the inspection cycle whose month is nearest."""
    state = walk(CYCLED, ev("scheduled", event="inspection_visit", on=on))
    assert state.cycle_scheduled == {("inspection_visit", cycle): dt.date.fromisoformat(on)}
    assert state.scheduled == {"inspection_visit": dt.date.fromisoformat(on)}  # the latest, as before
    counted = walk(CYCLED, ev("count", ref="6.6", received=4, expected=5, date=on))
    assert set(counted.cycle_counts) == {("6.6", cycle)}


def test_procedure_two_as_the_manual_means_it() -> None:
    """The shipped ๒: a rejection at ๘ reopens ๗ then goes on at ๙; ๑๐–๑๔ are done in both rounds."""
    two = load_catalog(Workspace(PROJECT)).procedure(2)
    events: list[Event] = [ev("step_completed", step=n) for n in range(1, 8)]
    events.append(ev("decision", step=8, outcome="rejected", reason="กศจ. ให้ปรับตัวชี้วัด"))
    state = walk(two, *events)
    assert (state.current, state.round) == (7, 2)
    state = apply(state, two, ev("step_completed", step=7, round=2))
    assert state.current == 9 and state.steps[8] is StepState.done
    for round_cycle in (1, 2):
        for n in (9, 10, 11, 12) if round_cycle == 1 else (10, 11, 12):
            state = apply(state, two, ev("step_completed", step=n, round=2))
        state = apply(state, two, ev("decision", step=13, outcome="approved", round=2))
        state = apply(state, two, ev("step_completed", step=14, round=2))
    assert state.status is RunStatus.finished and state.cycle == 2
    assert sorted(c.cycle for c in state.history if c.step == 11) == [1, 2]
    assert [c.step for c in state.history if c.outcome == "rejected"] == [8]


def test_procedure_one_repeats_no_step() -> None:
    """The shipped ๑ has two rounds but no repeated step: eight steps finish the run, in cycle 1."""
    one = load_catalog(Workspace(PROJECT)).procedure(1)
    events: list[Event] = [ev("step_completed", step=n) for n in range(1, 6)]
    events += [ev("decision", step=6, outcome="approved"), ev("step_completed", step=7), ev("step_completed", step=8)]
    state = walk(one, *events)
    assert (state.status, state.cycle) == (RunStatus.finished, 1)


def test_old_event_files_without_a_cycle_still_replay() -> None:
    """An event file of schema 1 written before cycles existed (no `cycle:`) loads and replays."""
    text = {
        "schema_version": 1,
        "type": "step_completed",
        "id": "old00001",
        "procedure": 2,
        "run": "run1",
        "at": "2026-12-25T09:00:00+07:00",  # after the run's start, in the replay order
        "date": "2026-12-25",
        "by": "nanthana",
        "step": 1,
        "round": 1,
    }
    event = _event_adapter().validate_python(text)
    assert event.cycle is None
    state, rejected = replay(CYCLED, "run1", [ev("started", fy=2570), event])
    assert rejected == [] and state.history[0].cycle == 1


def test_an_old_second_decision_is_reported_after_the_change() -> None:
    """Records of the old semantics (reject ๘, redo ๗, approve ๘ again) replay with the approval refused.

    The CHANGELOG tells the office to void it; the revised step ๗ stands and ๙ is next.
    """
    two = load_catalog(Workspace(PROJECT)).procedure(2)
    events: list[Event] = [ev("started", fy=2570), *(ev("step_completed", step=n) for n in range(1, 8))]
    rejection = ev("decision", step=8, outcome="rejected", reason="ปรับ")
    events += [rejection, ev("step_completed", step=7, round=2)]
    again = ev("decision", step=8, outcome="approved", round=2)
    state, rejected = replay(two, "run1", [*events, again])
    assert [(r.event.id, r.other) for r in rejected] == [(again.id, rejection.id)]
    assert (state.current, state.steps[9]) == (9, StepState.pending)
    state, rejected = replay(two, "run1", [*events, again, ev("voided", target=again.id, reason="ใช้ครั้งเดียว")])
    assert rejected == [] and state.current == 9
