"""`sop assign`: who actually holds a run or a step, shown by status, due, log and the exports."""

from __future__ import annotations

import json
from collections.abc import Callable

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under

Run = Callable[..., Result]


def _row(sop: Run, office: Workspace, number: int) -> dict[str, object]:
    rows = json.loads(sop("status", "--format", "json", cwd=office.root).out)
    row = next(r for r in rows if r["procedure"] == number)
    assert isinstance(row, dict)
    return row


def test_the_manual_s_persons_hold_the_work_until_it_is_handed_over(office: Workspace, sop: Run) -> None:
    """Without an assignment the row's persons (and bodies) hold the step; after one, only those named."""
    sop("start", "3", "--date", "2569-11-02", cwd=office.root)
    assert _row(sop, office, 3)["holders"] == ["นันทนา", "เสาวลักษณ์", "ธิดารัตน์", "เสาวภา"]
    done = sop("assign", "3", "saowalak", "ธิดารัตน์ สิงห์แก้ว", "--note", "แบ่งงานตามคำสั่ง", cwd=office.root)
    assert done.code == ExitCode.OK, done.err
    assert "run " in done.out and "of procedure 3 handed to เสาวลักษณ์ นันไชยบัว, ธิดารัตน์ สิงห์แก้ว" in done.out
    assert _row(sop, office, 3)["holders"] == ["เสาวลักษณ์", "ธิดารัตน์"]


def test_a_step_is_handed_over_alone_and_a_whole_run_takes_it_back(office: Workspace, sop: Run) -> None:
    """--step K changes the holder of that step only; handing over the whole run replaces it again."""
    sop("start", "3", "--date", "2569-11-02", cwd=office.root)
    sop("assign", "3", "--step", "1", "warunee", cwd=office.root)
    assert _row(sop, office, 3)["holders"] == ["วรุณี"]
    sop("advance", "3", "--date", "2569-11-03", cwd=office.root)  # step 2 is next: the manual's persons again
    assert _row(sop, office, 3)["holders"] == ["นันทนา", "เสาวลักษณ์", "ธิดารัตน์", "เสาวภา"]
    sop("assign", "3", "--step", "2", "warunee", cwd=office.root)
    sop("assign", "3", "kasemsan", cwd=office.root)
    assert _row(sop, office, 3)["holders"] == ["เกษมสรรค์"]


def test_handing_over_shows_in_the_log_and_due_filters_on_the_real_holder(office: Workspace, sop: Run) -> None:
    """The log names the new holders; `sop due --person` lists the deadlines of the person who holds the run."""
    sop("start", "3", "--date", "2569-11-02", cwd=office.root)
    sop("assign", "3", "kasemsan", cwd=office.root)
    log = sop("log", "3", cwd=office.root)
    assert "the whole run handed to นายเกษมสรรค์ เขตบุญไสย" in log.out
    thai = sop("log", "3", "--lang", "th", cwd=office.root)
    assert "มอบหมายทั้งงาน ให้ นายเกษมสรรค์ เขตบุญไสย" in thai.out
    mine = json.loads(sop("due", "--person", "kasemsan", "--format", "json", cwd=office.root).out)
    assert {d["procedure"] for d in mine} >= {3}
    assert all(d["procedure"] != 3 or d["persons"] == ["เกษมสรรค์"] for d in mine)
    theirs = json.loads(sop("due", "--person", "nanthana", "--format", "json", cwd=office.root).out)
    assert 3 not in {d["procedure"] for d in theirs}


def test_an_unknown_person_or_step_is_refused_and_nothing_is_written(office: Workspace, sop: Run) -> None:
    """A name not in the roster, or a step the procedure lacks, is one sentence and no file."""
    sop("start", "3", cwd=office.root)
    before = files_under(office.root)
    wrong = sop("assign", "3", "somchai", cwd=office.root)
    assert wrong.code == ExitCode.USER_ERROR and "'somchai' is not in the staff roster" in wrong.err
    no_step = sop("assign", "3", "--step", "99", "saowalak", cwd=office.root)
    assert no_step.code == ExitCode.USER_ERROR and "procedure 3 has no step 99" in no_step.err
    assert files_under(office.root) == before
