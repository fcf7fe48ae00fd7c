"""Records that cannot silently rot, through the `sop` command: each case found, refused and repaired.

Every case ends with `sop check` green again, reached with sop commands only.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under

Run = Callable[..., Result]


def git(root: Path, *args: str) -> str:
    """Run git in `root` and return its output."""
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def committed(office: Workspace) -> None:
    """Make the workspace a git repository with everything committed."""
    git(office.root, "init", "-q")
    git(office.root, "add", "-A")
    git(office.root, "commit", "-qm", "records")


def event_files(office: Workspace, number: int, kind: str) -> list[Path]:
    """The event files of procedure `number` whose type is `kind`, in name order."""
    found = sorted(office.records.glob(f"*/{number:02d}-*/events/*.yaml"))
    return [p for p in found if f'type: "{kind}"' in p.read_text(encoding="utf-8")]


def green(sop: Run, office: Workspace) -> None:
    """`sop check` passes."""
    result = sop("check", cwd=office.root)
    assert result.code == ExitCode.OK, result.err


# --- events deleted or changed after they were recorded ---------------------------------------------


@pytest.mark.parametrize("how", ["deleted", "changed"])
def test_committed_event_deleted_or_changed_is_found_refused_and_restored(
    office: Workspace, sop: Run, how: str
) -> None:
    """check names the file; writes to the run are refused; `sop repair` restores it from git."""
    sop("start", "2", cwd=office.root)
    sop("advance", "2", "--note", "ศึกษาแล้ว", cwd=office.root)
    committed(office)
    (done,) = event_files(office, 2, "step_completed")
    original = done.read_bytes()
    if how == "deleted":
        done.unlink()
    else:
        done.write_bytes(original.replace("ศึกษาแล้ว".encode(), "แก้ไขภายหลัง".encode()))
    check = sop("check", cwd=office.root)
    assert check.code == ExitCode.USER_ERROR
    shown = str(done.relative_to(office.root))
    assert f"{shown}:1:1: event file {how} after it was recorded: put it back with `sop repair`" in check.err

    before = files_under(office.root)
    refused = sop("note", "2", "ต่อ", cwd=office.root)
    assert refused.code == ExitCode.USER_ERROR
    assert f"the event file {shown} was {how} after it was recorded; nothing was written" in refused.err
    assert files_under(office.root) == before

    repaired = sop("repair", cwd=office.root)
    assert repaired.code == ExitCode.OK and f"restored {shown} from git" in repaired.out
    assert done.read_bytes() == original
    green(sop, office)
    assert sop("note", "2", "ต่อ", cwd=office.root).code == ExitCode.OK


def test_without_git_a_changed_event_is_found_and_can_be_accepted(office: Workspace, sop: Run) -> None:
    """Without git, sop remembers the hash of what it wrote; a change is reported until accepted."""
    sop("start", "2", cwd=office.root)
    sop("note", "2", "บันทึกเดิม", cwd=office.root)
    (note,) = event_files(office, 2, "note")
    note.write_text(note.read_text(encoding="utf-8").replace("บันทึกเดิม", "บันทึกใหม่"), encoding="utf-8")
    shown = str(note.relative_to(office.root))
    check = sop("check", cwd=office.root)
    assert f"{shown}:1:1: event file changed after it was recorded" in check.err
    advice = sop("repair", cwd=office.root)
    assert advice.code == ExitCode.USER_ERROR and f"sop repair --accept {shown}" in advice.err
    assert sop("repair", "--accept", shown, cwd=office.root).code == ExitCode.OK
    green(sop, office)


@pytest.mark.parametrize("seen", [True, False], ids=["changed here", "arrived broken"])
def test_without_git_a_broken_event_is_set_aside_and_check_is_green_again(
    office: Workspace, sop: Run, seen: bool
) -> None:
    """Without git, an event file that no longer reads as an event (changed here, or one this computer
    never saw whole) is moved to .sop/set-aside/ by `sop repair --accept`, bytes kept, and check is green."""
    sop("start", "2", cwd=office.root)
    sop("note", "2", "บันทึกเดิม", cwd=office.root)
    (note,) = event_files(office, 2, "note")
    if not seen:  # as if copied in broken: this computer has no hash of it
        broken = note.with_name(note.name.replace("-nanthana-", "-saowalak-"))
        broken.write_bytes(b"{{{\n")
        note = broken
    else:
        note.write_bytes(b"{{{\n")
    shown = str(note.relative_to(office.root))
    assert sop("check", cwd=office.root).code == ExitCode.USER_ERROR
    repaired = sop("repair", "--accept", shown, cwd=office.root)
    assert repaired.code == ExitCode.OK, repaired.err
    kept = office.root / ".sop" / "set-aside" / shown
    assert f"set aside {shown}" in repaired.out and kept.read_bytes() == b"{{{\n"
    assert not note.exists()
    green(sop, office)
    assert sop("note", "2", "ต่อ", cwd=office.root).code == ExitCode.OK


# --- damaged, unloadable and future events ---------------------------------------------------------


DOES_NOT_LOAD = "has an event file that does not load or does not apply"


@pytest.mark.parametrize(
    ("damage", "message", "refusal"),
    [
        (lambda text: text.replace("step: 1", "step: 77"), "has no step 77", DOES_NOT_LOAD),
        (lambda text: text[: len("schema_version: 1\n")], "not a sop event", DOES_NOT_LOAD),
        (
            lambda text: text.replace("schema_version: 1", "schema_version: 2"),
            "written by a newer version of sop (event schema 2): upgrade sop to read it",
            "has an event file written by a newer version of sop",
        ),
    ],
    ids=["invalid step", "truncated", "newer schema"],
)
def test_damaged_run_is_shown_and_never_written_to(
    office: Workspace, sop: Run, damage: Callable[[str], str], message: str, refusal: str
) -> None:
    """status shows the problem on the run's row (table and JSON); advance and note refuse and name the file."""
    sop("start", "2", cwd=office.root)
    sop("advance", "2", cwd=office.root)
    (done,) = event_files(office, 2, "step_completed")
    done.write_text(damage(done.read_text(encoding="utf-8")), encoding="utf-8")
    shown = str(done.relative_to(office.root))
    rows = json.loads(sop("status", "--format", "json", cwd=office.root).out)
    (row,) = [r for r in rows if r["procedure"] == 2]
    assert row["problems"] >= 1 and any(d.startswith(shown) and message in d for d in row["damaged"])
    table = sop("status", cwd=office.root)
    assert table.code == ExitCode.OK
    # The table wraps its cells: read back without line breaks, the row's second ⚠ is the file's problem.
    problem = " ".join(table.out.split()).split("⚠ ")[2]
    assert message in problem and "(see sop status 2)" in problem
    before = files_under(office.root)
    for args in (["advance", "2", "--step", "2"], ["note", "2", "x"]):
        refused = sop(*args, cwd=office.root)
        assert refused.code == ExitCode.USER_ERROR
        assert refusal in refused.err and shown in refused.err and "nothing was written" in refused.err
    assert files_under(office.root) == before


# --- mistakes people make ---------------------------------------------------------------------------


def test_a_second_advance_typed_by_accident_is_refused(office: Workspace, sop: Run) -> None:
    """The same advance twice at once completes one step; naming the step completes the next."""
    sop("start", "3", cwd=office.root)
    assert sop("advance", "3", cwd=office.root).code == ExitCode.OK
    again = sop("advance", "3", cwd=office.root)
    assert again.code == ExitCode.USER_ERROR
    assert "you closed step 1 of this run moments ago" in again.err and "sop advance 3 --step 2" in again.err
    wrong = sop("advance", "3", "--step", "3", cwd=office.root)
    assert wrong.code == ExitCode.USER_ERROR and "step 3 is not the next step (the next is step 2)" in wrong.err
    assert sop("advance", "3", "--step", "2", cwd=office.root).code == ExitCode.OK
    rows = json.loads(sop("status", "--format", "json", cwd=office.root).out)
    assert [r["done"] for r in rows if r["procedure"] == 3] == [2]


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2568-09-30", "is not in fiscal year 2570 of this run"),
        ("2025-11-25", "is not in fiscal year 2570 of this run"),
        ("2569-10-02", "is before the run started"),
    ],
)
def test_dates_outside_the_run_are_refused_unless_a_reason_is_given(
    office: Workspace, sop: Run, date: str, message: str
) -> None:
    """A year slip, a CE year or a day before the run's start is refused; --date-reason records why."""
    sop("start", "1", "--date", "2569-10-05", cwd=office.root)
    before = files_under(office.root)
    refused = sop("note", "1", "ประชุมเตรียมการ", "--date", date, cwd=office.root)
    assert refused.code == ExitCode.USER_ERROR and message in refused.err
    assert files_under(office.root) == before
    reason = "ประชุมเตรียมการก่อนเปิดงานในระบบ"
    accepted = sop("note", "1", "ประชุมเตรียมการ", "--date", date, "--date-reason", reason, cwd=office.root)
    assert accepted.code == ExitCode.OK
    (note,) = event_files(office, 1, "note")
    assert reason in note.read_text(encoding="utf-8")
    green(sop, office)


def test_log_orders_by_the_date_of_the_fact(office: Workspace, sop: Run) -> None:
    """An event recorded today for an earlier day sits with that day in `sop log`."""
    sop("start", "4", "--date", "2569-11-01", cwd=office.root)
    sop("note", "4", "วันนี้", cwd=office.root)
    sop("note", "4", "ย้อนหลัง", "--date", "2569-11-10", cwd=office.root)
    log = json.loads(sop("log", "4", "--format", "json", cwd=office.root).out)
    assert [e["date"] for e in log] == ["2026-11-25", "2026-11-10", "2026-11-01"]


def test_empty_evidence_and_impossible_hours_are_refused(office: Workspace, sop: Run, tmp_path: Path) -> None:
    """A 0-byte file is not evidence; more hours than a day holds need --confirm-hours."""
    sop("start", "5", cwd=office.root)
    empty = tmp_path / "ว่าง.pdf"
    empty.write_bytes(b"")
    before = files_under(office.root)
    refused = sop("note", "5", "--evidence", str(empty), cwd=office.root)
    assert refused.code == ExitCode.USER_ERROR and "is empty (0 bytes)" in refused.err
    too_many = sop("note", "5", "--hours", "500", cwd=office.root)
    assert too_many.code == ExitCode.USER_ERROR and "add --confirm-hours" in too_many.err
    assert files_under(office.root) == before
    assert sop("note", "5", "--hours", "500", "--confirm-hours", cwd=office.root).code == ExitCode.OK
    assert sop("note", "5", "--hours", "6", cwd=office.root).code == ExitCode.OK


# --- cancelled runs and labels ----------------------------------------------------------------------


def test_start_cancel_start_leaves_check_green(office: Workspace, sop: Run) -> None:
    """A cancelled run holds no label: starting again is allowed and `sop check` stays green."""
    sop("start", "4", cwd=office.root)
    assert sop("cancel", "4", "--reason", "เริ่มผิดงาน", cwd=office.root).code == ExitCode.OK
    assert sop("start", "4", cwd=office.root).code == ExitCode.OK
    green(sop, office)
    assert sop("note", "4", "ต่อ", cwd=office.root).code == ExitCode.OK


def test_a_label_finds_the_live_run_not_the_cancelled_one(office: Workspace, sop: Run) -> None:
    """--run LABEL picks the live run when a cancelled run had the same label."""
    sop("start", "1", "--label", "ครั้งที่ 2", cwd=office.root)
    sop("cancel", "1", "--run", "ครั้งที่ 2", "--reason", "ซ้ำ", cwd=office.root)
    live = sop("start", "1", "--label", "ครั้งที่ 2", cwd=office.root)
    assert live.code == ExitCode.OK
    noted = sop("note", "1", "ต่อ", "--run", "ครั้งที่ 2", cwd=office.root)
    assert noted.code == ExitCode.OK
    green(sop, office)


def test_labels_that_differ_only_by_invisible_characters_are_the_same(office: Workspace, sop: Run) -> None:
    """A zero-width space or a non-breaking space does not make a second label."""
    sop("start", "1", "--label", "ครั้งที่ 1", cwd=office.root)
    for look_alike in ("ครั้งที่ 1\u200b", "ครั้งที่\u00a01"):
        refused = sop("start", "1", "--label", look_alike, cwd=office.root)
        assert refused.code == ExitCode.USER_ERROR and "already has a run labelled" in refused.err


# --- documents: voided, duplicated, unique names ----------------------------------------------------


def test_a_voided_document_is_not_checked_and_check_stays_green(office: Workspace, sop: Run) -> None:
    """The evidence event of a memo voided: its file may go, and `sop check` is green."""
    sop("start", "3", cwd=office.root)
    sop("memo", "3", "--step", "1", cwd=office.root)
    (evidence,) = event_files(office, 3, "evidence_added")
    event_id = next(line for line in evidence.read_text(encoding="utf-8").splitlines() if line.startswith("id:"))
    event_id = json.loads(event_id.split(": ", 1)[1])
    assert sop("void", event_id, "--reason", "ออกเลขซ้ำ จะออกใหม่", cwd=office.root).code == ExitCode.OK
    (document,) = office.records.glob("*/03-*/documents/*.docx")
    document.write_bytes(b"replaced by hand")
    problems = sop("check", cwd=office.root)
    assert "evidence file was altered" not in problems.err
    register = next((office.root / "register").rglob("out-*.yaml"))
    assert sop("register", "withdraw", "1", "--reason", "ออกเลขซ้ำ", cwd=office.root).code == ExitCode.OK
    listing = json.loads(sop("register", "--year", "2569", "--format", "json", cwd=office.root).out)
    assert listing["rows"][0]["withdrawn"] == "ออกเลขซ้ำ"
    assert register.is_file()  # the number stays in the register, marked
    green(sop, office)


def test_a_number_issued_twice_is_repaired_by_withdrawing_one(office: Workspace, sop: Run) -> None:
    """After a merge two entries share a number: check says so; withdrawing one makes it green."""
    sop("start", "3", cwd=office.root)
    sop("memo", "3", "--step", "1", cwd=office.root)
    (entry,) = (office.root / "register").rglob("out-*.yaml")
    twin = entry.with_name(entry.name[:-11] + "zzzzzz.yaml")  # as a second clone would have named it
    twin.write_bytes(entry.read_bytes())
    check = sop("check", cwd=office.root)
    assert "was issued 2 times" in check.err and "sop register withdraw" in check.err
    ambiguous = sop("register", "withdraw", "ศธ ๐๒๘๘/๑", "--reason", "ซ้ำ", cwd=office.root)
    assert ambiguous.code == ExitCode.USER_ERROR and "say which with --entry FILE" in ambiguous.err
    withdrawn = sop("register", "withdraw", "ศธ ๐๒๘๘/๑", "--entry", twin.name, "--reason", "ซ้ำ", cwd=office.root)
    assert withdrawn.code == ExitCode.OK
    green(sop, office)
    again = sop("memo", "3", "--step", "1", cwd=office.root)
    assert again.code == ExitCode.OK and "ศธ ๐๒๘๘/๒" in again.out  # a withdrawn number is never reused


def test_two_memos_of_one_step_never_share_a_file_name(office: Workspace, sop: Run) -> None:
    """Document names carry the number, the run and a random part: two clones cannot collide."""
    sop("start", "3", cwd=office.root)
    sop("memo", "3", "--step", "1", cwd=office.root)
    sop("memo", "3", "--step", "1", cwd=office.root)
    names = sorted(p.name for p in office.records.glob("*/03-*/documents/*.docx"))
    assert len(names) == 2 and len(set(names)) == 2
    run = next(office.records.glob("*/03-*")).name[3:]
    assert all(f"-{run}-" in name for name in names)
