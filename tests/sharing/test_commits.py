"""Commits made for the person: each command that writes records commits exactly the files it wrote."""

from __future__ import annotations

from pathlib import Path

from tests.sharing.conftest import Office, git, ok, sop_in


def last_commit(clone: Path) -> tuple[str, list[str]]:
    """(message, files) of the newest commit."""
    message = git(clone, "log", "-1", "--format=%B").strip()
    files = git(clone, "show", "--name-only", "--format=", "HEAD").split()
    return message, files


def test_every_write_commits_its_own_files_with_a_thai_message(office: Office) -> None:
    """start, advance and note each make one commit of exactly their files, naming person, procedure and step."""
    a = office.join("nanthana")
    commits = int(git(a, "rev-list", "--count", "HEAD"))
    ok(sop_in(a, "nanthana", "start", "3"))
    message, files = last_commit(a)
    assert message.startswith("นันทนา จันทร์ฝั้น: ") and "งานที่ 3" in message
    assert files and all(f.startswith("records/2570/03-") and "/events/" in f for f in files)
    ok(sop_in(a, "nanthana", "advance", "3", "--note", "แต่งตั้งคณะกรรมการแล้ว"))
    message, files = last_commit(a)
    assert "งานที่ 3 ขั้นตอนที่ 1" in message and "แต่งตั้งคณะกรรมการแล้ว" in message
    assert len(files) == 1
    assert int(git(a, "rev-list", "--count", "HEAD")) == commits + 2
    assert git(a, "status", "--porcelain", "--", "records") == ""


def test_an_unrelated_staged_change_stays_staged_and_uncommitted(office: Office) -> None:
    """Someone's own staged edit is never swept into sop's commit."""
    a = office.join("nanthana")
    (a / "notes.txt").write_text("ร่างของฉัน", encoding="utf-8")
    git(a, "add", "notes.txt")
    ok(sop_in(a, "nanthana", "start", "4"))
    _, files = last_commit(a)
    assert "notes.txt" not in files
    assert "A  notes.txt" in git(a, "status", "--porcelain")


def test_commits_can_be_turned_off_in_sop_toml(office: Office) -> None:
    """[sharing] commit = false: the files stay uncommitted, and `sop sync` commits them later."""
    a = office.join("nanthana")
    settings = a / "sop.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("commit = true", "commit = false"), "utf-8")
    before = git(a, "rev-parse", "HEAD")
    ok(sop_in(a, "nanthana", "start", "5"))
    assert git(a, "rev-parse", "HEAD") == before
    assert "?? records/2570/05-" in git(a, "status", "--porcelain", "-uall")


def test_a_write_during_a_merge_is_refused_naming_the_way_out(office: Office) -> None:
    """A merge left half done: every write is refused with the command that resolves it; nothing is written."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "6"))
    (a / ".git" / "MERGE_HEAD").write_text(git(a, "rev-parse", "HEAD"), encoding="utf-8")
    before = sorted(p.relative_to(a).as_posix() for p in (a / "records").rglob("*"))
    refused = sop_in(a, "nanthana", "note", "6", "ต่อ")
    assert refused.code == 1 and "sop sync --abort" in refused.err
    assert sorted(p.relative_to(a).as_posix() for p in (a / "records").rglob("*")) == before


def test_conflict_markers_in_a_file_sop_reads_stop_writes_and_say_so(office: Office) -> None:
    """Markers left in calendar/holidays.yaml: a git conflict, named, with its way out."""
    a = office.join("nanthana")
    holidays = a / "calendar" / "holidays.yaml"
    text = holidays.read_text(encoding="utf-8")
    holidays.write_text(text + "<<<<<<< HEAD\n  - a\n=======\n  - b\n>>>>>>> other\n", encoding="utf-8")
    refused = sop_in(a, "nanthana", "start", "7")
    assert refused.code == 1
    assert "calendar/holidays.yaml" in refused.err and "conflict" in refused.err


def test_status_ends_with_what_is_not_sent_yet(office: Office) -> None:
    """In a copy with a server, `sop status` ends with how many changes wait and when the last sync was."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "8"))
    shown = ok(sop_in(a, "nanthana", "status", "--lang", "en")).out.strip().splitlines()[-1]
    assert "not sent yet" in shown and "sop sync" in shown
    ok(sop_in(a, "nanthana", "sync"))
    shown = ok(sop_in(a, "nanthana", "status", "--lang", "en")).out.strip().splitlines()[-1]
    assert shown.startswith("everything is sent to the office")


def test_a_memo_commits_its_claim_then_its_document_both_named(office: Office) -> None:
    """`sop memo` in a copy with a server: the number's claim is one commit (sent at once), the
    document and its evidence another, whose message names the memo, its number and subject."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "3"))
    ok(sop_in(a, "nanthana", "memo", "3", "--step", "1"))
    message, files = last_commit(a)
    assert message.startswith("นันทนา จันทร์ฝั้น: ออกบันทึกข้อความ งานที่ 3 ขั้นตอนที่ 1")
    assert "ศธ" in message.split("\n", 2)[-1]
    assert any(f.endswith(".docx") for f in files) and any("/events/" in f for f in files)
    claim = git(a, "log", "-1", "--skip", "1", "--format=%s").strip()
    assert claim == "นันทนา จันทร์ฝั้น: จองเลขทะเบียนหนังสือ งานที่ 3 ขั้นตอนที่ 1"
    assert git(a, "status", "--porcelain", "--", "records", "register") == ""


def test_a_withdrawal_is_committed_with_its_reason(office: Office) -> None:
    """`sop register withdraw` commits the withdrawal file alone, its reason in the message."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "3"))
    ok(sop_in(a, "nanthana", "memo", "3", "--step", "1"))
    ok(sop_in(a, "nanthana", "register", "withdraw", "1", "--reason", "ออกผิดเรื่อง"))
    message, files = last_commit(a)
    assert message.startswith("นันทนา จันทร์ฝั้น: ยกเลิกเลขทะเบียนหนังสือ")
    assert "ออกผิดเรื่อง" in message
    assert len(files) == 1 and files[0].startswith("register/")


def test_handing_over_and_leave_are_committed_and_named(office: Office) -> None:
    """`sop assign` and `sop leave` commit their one file each, with Thai words for what was done."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "3"))
    ok(sop_in(a, "nanthana", "assign", "3", "--step", "1", "saowalak"))
    message, files = last_commit(a)
    assert message.startswith("นันทนา จันทร์ฝั้น: มอบหมายงาน งานที่ 3 ขั้นตอนที่ 1")
    assert len(files) == 1 and "/events/" in files[0]
    ok(
        sop_in(
            a, "nanthana", "leave", "nanthana", "--from", "2026-12-07", "--to", "2026-12-11", "--substitute", "saowalak"
        )
    )
    message, files = last_commit(a)
    assert message.startswith("นันทนา จันทร์ฝั้น: บันทึกการลา")
    assert len(files) == 1 and files[0].startswith("records/people/leave/")
    assert git(a, "status", "--porcelain", "--", "records") == ""


def test_a_half_written_file_is_never_committed_nor_shown_to_git(office: Office) -> None:
    """A `.tmp-` file an interrupted write left is neither committed when named nor seen by git."""
    from sop_cli.storage.git import commit_paths
    from sop_cli.workspace import Workspace

    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "3"))
    (events,) = a.glob("records/2570/03-*/events")
    left = events / ".tmp-k1ll3d.yaml"
    left.write_text("schema_version: 1\n", encoding="utf-8")
    note = events / "README.txt"
    note.write_text("ทดสอบ\n", encoding="utf-8")
    assert commit_paths(Workspace(a), [left, note], "ทดสอบ") is not None
    _, files = last_commit(a)
    assert files == [note.relative_to(a).as_posix()]
    assert git(a, "status", "--porcelain", "--", "records") == ""  # the left-over is ignored, not untracked
