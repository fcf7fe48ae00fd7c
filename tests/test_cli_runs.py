"""The run commands through the real entry point: output, exit codes, one-line refusals."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under

Run = Callable[..., Result]


def test_start_advance_and_status(office: Workspace, sop: Run, tmp_path: Path) -> None:
    """start prints the run id; advance says what changed and what is next; status shows it."""
    started = sop("start", "2", cwd=office.root)
    assert started.code == ExitCode.OK
    assert "started run " in started.out and "for fiscal year 2570" in started.out
    assert "next: step 1:" in started.out
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF minutes")
    advanced = sop("advance", "2", "--note", "ประชุมแล้ว", "--evidence", str(minutes), "--hours", "4", cwd=office.root)
    assert advanced.code == ExitCode.OK
    assert "✓ evidence (step 1): minutes.pdf (12 bytes, sha256 " in advanced.out
    assert "✓ 4 hours (step 1)" in advanced.out
    assert "✓ step 1 done: ประชุมแล้ว · ศึกษาบทบาทหน้าที่" in advanced.out and "next: step 2:" in advanced.out
    status = sop("status", "--lang", "th", cwd=office.root)
    assert "สถานะงาน ปีงบประมาณ 2570" in status.out
    assert "2. จัดทำแนวทางกระบวนการตรวจราชการ" in status.out
    assert "1/14" in status.out and "4/1188 ชม." in status.out and "25 พ.ย. 2569" in status.out
    timeline = sop("status", "2", "--lang", "th", cwd=office.root)
    assert "✓ 1. ศึกษาบทบาทหน้าที่" in timeline.out
    assert "→ 2. จัดทำแนวทาง" in timeline.out
    assert "หลักฐาน: minutes.pdf" in timeline.out and "บันทึก: ประชุมแล้ว" in timeline.out


def test_status_json_and_log_json(office: Workspace, sop: Run) -> None:
    """--format json gives the status rows and the log entries to scripts, dates in ISO."""
    sop("start", "5", cwd=office.root)
    rows = json.loads(sop("status", "--format", "json", cwd=office.root).out)
    assert len(rows) == 14 and rows[4]["status"] == "open" and rows[4]["last_activity"] == "2026-11-25"
    log = json.loads(sop("log", "--format", "json", cwd=office.root).out)
    assert log[0]["type"] == "started" and log[0]["procedure"] == 5 and log[0]["date"] == "2026-11-25"
    timeline = json.loads(sop("status", "5", "--format", "json", cwd=office.root).out)
    assert timeline["steps"][0]["state"] == "current"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["advance", "2", "--approve"], "error: step 1 is not a decision"),
        (["advance", "2", "--reject"], "error: --reject needs --reason TEXT saying why"),
        (["advance", "2", "--step", "4"], "error: step 4 is not the next step (the next is step 1)"),
        (["advance", "2", "--date", "2570-02-30"], "error: '2570-02-30' is not a day of the calendar"),
        (["advance", "2", "--date", "25690-01-01"], "has a year that cannot be meant"),
        (["advance", "2", "--by", "somchai"], "error: 'somchai' is not in the staff roster"),
        (["advance", "2", "--fy", "70"], "error: fiscal year 70 cannot be meant"),
        (["start", "2"], "error: procedure 2 already has a run without a label in fiscal year 2570"),
        (["cancel", "2", "--reason", ""], "error: --reason must not be empty"),
        (["void", "zzzzzzzz", "--reason", "x"], "error: there is no event zzzzzzzz"),
        (["advance", "15"], "error: There is no procedure 15"),
    ],
)
def test_refusals_are_one_line_and_write_nothing(office: Workspace, sop: Run, args: list[str], message: str) -> None:
    """Each mistake: exit 1, one clear line on stderr, no traceback, no file written."""
    assert sop("start", "2", cwd=office.root).code == ExitCode.OK
    before = files_under(office.root)
    result = sop(*args, cwd=office.root)
    assert result.code == ExitCode.USER_ERROR
    assert message in result.err
    assert result.err.count("\n") == 1
    assert "Traceback" not in result.err
    assert files_under(office.root) == before


def test_no_actor_is_a_clear_error(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --by, SOP_USER or git config sop.user, a mutating command says how to set one."""
    monkeypatch.delenv("SOP_USER", raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(workspace.root))
    result = sop("start", "2", cwd=workspace.root)
    assert result.code == ExitCode.USER_ERROR
    assert "who is acting? pass --by ID, set SOP_USER=ID, or run `git config sop.user ID`" in result.err


def test_bad_clock_variable(office: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A malformed SOP_NOW is refused in one sentence."""
    monkeypatch.setenv("SOP_NOW", "yesterday")
    result = sop("status", cwd=office.root)
    assert result.code == ExitCode.USER_ERROR
    assert "SOP_NOW='yesterday' is not an ISO date-time" in result.err


def test_buddhist_era_dates_are_accepted(office: Workspace, sop: Run) -> None:
    """--date takes Buddhist Era years and Thai digits; the log shows the date in BE."""
    sop("start", "2", "--date", "๒๕๖๙-๑๑-๒๐", cwd=office.root)
    log = sop("log", cwd=office.root).out
    assert "20 พ.ย. 2569" in log
