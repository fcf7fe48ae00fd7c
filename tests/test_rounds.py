"""The inspection rounds of procedures ๑ and ๒ and the "revise, then continue" decisions, end to end."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result

Run = Callable[..., Result]


def _due(sop: Run, office: Workspace, number: int) -> list[dict[str, object]]:
    data = json.loads(sop("due", "--format", "json", cwd=office.root).out)
    return [d for d in data if d["procedure"] == number]


def test_one_run_of_procedure_one_owes_each_deadline_once(office: Workspace, sop: Run) -> None:
    """One run of ๑ carries both rounds: each yearly deadline once, each round's twice, none duplicated."""
    assert sop("start", "1", cwd=office.root).code == ExitCode.OK
    found = _due(sop, office, 1)
    assert {d["run"] for d in found} != {None}
    keys = Counter((d["ref"], d["cycle"], d["detail"]) for d in found)
    assert max(keys.values()) == 1
    by_ref = Counter(d["ref"] for d in found)
    assert [by_ref[r] for r in ("6.1", "6.2", "6.3", "6.7", "6.8", "7.1", "7.2")] == [1] * 7
    assert [by_ref[r] for r in ("6.4", "6.5", "6.6", "2.2")] == [2] * 4
    assert {d["cycle"] for d in found if d["ref"] == "6.4"} == {1, 2}


def test_a_rejection_at_two_eight_revises_seven_and_goes_on_at_nine(office: Workspace, sop: Run) -> None:
    """`sop advance 2 --reject` at ๘ reopens ๗; after it, ๙ is next (no second decision); history kept."""
    sop("start", "2", cwd=office.root)
    for step in range(1, 8):
        sop("advance", "2", "--step", str(step), cwd=office.root)
    rejected = sop("advance", "2", "--step", "8", "--reject", "--reason", "กศจ. ให้ปรับตัวชี้วัด", cwd=office.root)
    assert rejected.code == ExitCode.OK and "next: step 7:" in rejected.out
    revised = sop("advance", "2", "--step", "7", "--note", "ปรับแผนแล้ว", cwd=office.root)
    assert "✓ step 7 done" in revised.out and "next: step 9:" in revised.out
    second = sop("advance", "2", "--step", "8", "--approve", cwd=office.root)
    assert second.code == ExitCode.USER_ERROR and "step 8" in second.err
    timeline = sop("status", "2", "--lang", "th", cwd=office.root).out
    assert "ไม่เห็นชอบ" in timeline and "กศจ. ให้ปรับตัวชี้วัด" in timeline
    assert "→ 9. แจ้งปฏิทิน" in timeline
    log = sop("log", "2", cwd=office.root).out
    assert log.count("step 7 done") == 2 and "step 8 rejected" in log


def test_procedure_two_does_its_inspection_twice_in_one_run(office: Workspace, sop: Run) -> None:
    """After ๑๔ of the February round, ๑๐ opens again: the status row is in round 2 and ๒.๒ of round 1 is met."""
    sop("start", "2", cwd=office.root)
    for step in range(1, 15):
        decision = ["--approve"] if step in (8, 13) else []
        assert sop("advance", "2", "--step", str(step), *decision, cwd=office.root).code == ExitCode.OK, step
    rows = json.loads(sop("status", "--format", "json", cwd=office.root).out)
    (row,) = [r for r in rows if r["procedure"] == 2]
    assert (row["status"], row["current_step"], row["cycle"], row["done"]) == ("open", 10, 2, 9)
    inspections = [(d["cycle"], d["due"]) for d in _due(sop, office, 2) if d["ref"] == "2.2"]
    assert inspections == [(2, "2027-08-31")]  # the February one was met by step ๑๑ of round 1
    for step in range(10, 15):
        decision = ["--approve"] if step == 13 else []
        sop("advance", "2", "--step", str(step), *decision, cwd=office.root)
    (row,) = [r for r in json.loads(sop("status", "--format", "json", cwd=office.root).out) if r["procedure"] == 2]
    assert (row["status"], row["cycle"]) == ("finished", 2)
    assert sop("check", cwd=office.root).code == ExitCode.OK


def test_a_visit_in_august_belongs_to_the_second_round(office: Workspace, sop: Run) -> None:
    """A visit scheduled for 16 Aug dates the second round's notice and tools; the first round still waits."""
    sop("start", "1", cwd=office.root)
    for step in range(1, 9):
        sop("advance", "1", "--step", str(step), *(["--approve"] if step == 6 else []), cwd=office.root)
    sop("schedule", "1", "--event", "inspection_visit", "--date", "2570-08-16", cwd=office.root)
    seen = [(d["ref"], d["cycle"], d["due"]) for d in _due(sop, office, 1) if d["ref"] in ("6.4", "6.5")]
    assert ("6.4", 2, "2027-08-04") in seen and ("6.5", 2, "2027-07-30") in seen
    assert ("6.4", 1, None) in seen  # the February visit has no date yet
