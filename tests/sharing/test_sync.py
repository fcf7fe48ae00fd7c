"""`sop sync`: commit what sop wrote, bring in the others' work, check it, send; and every way it can stop."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT, SHIPPED_SOPS
from tests.sharing.conftest import (
    Office,
    event_files,
    git,
    git_busy,
    head,
    ok,
    sop_in,
    sop_process,
    tree_files,
)


@pytest.mark.slow
def test_a_workspace_without_git_works_as_before(tmp_path: Path) -> None:
    """Recording, status and check work outside git; `sop sync` says how to start sharing (exit 1)."""
    root = tmp_path / "alone"
    shutil.copytree(SHIPPED_SOPS, root / "sops")
    shutil.copytree(PROJECT / "calendar", root / "calendar")
    ok(sop_process(root, "nanthana", "start", "1"))
    ok(sop_process(root, "nanthana", "advance", "1", "--note", "ทำแล้ว"))
    assert "0 runs" not in ok(sop_process(root, None, "check")).out
    ok(sop_process(root, None, "status"))
    ran = sop_process(root, None, "sync")
    assert ran.code == 1
    assert "is not shared through git: run `sop init`" in ran.err
    assert not (root / ".git").exists()


def test_a_repository_without_a_server_commits_each_command_and_has_nothing_to_send(tmp_path: Path) -> None:
    """With git but no remote, each command commits its own files; `sop sync` says there is nothing to send, exit 0."""
    root = tmp_path / "local"
    ok(sop_process(tmp_path, None, "init", str(root), "--from", str(PROJECT), "--user", "nanthana"))
    ok(sop_process(root, "nanthana", "start", "2"))
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%an: %s").startswith("นันทนา จันทร์ฝั้น: นันทนา จันทร์ฝั้น: ")
    ok(sop_process(root, None, "status"))
    ran = ok(sop_process(root, None, "sync"))
    assert ran.out.splitlines() == ["this copy has no office server (no git remote): nothing to send"]


def test_sync_commits_what_sop_wrote_when_commits_are_turned_off(tmp_path: Path) -> None:
    """[sharing] commit = false: the records wait uncommitted, and `sop sync` commits them in one commit."""
    root = tmp_path / "local"
    ok(sop_process(tmp_path, None, "init", str(root), "--from", str(PROJECT), "--user", "nanthana"))
    settings = root / "sop.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("commit = true", "commit = false"), "utf-8")
    git(root, "commit", "-qam", "no commit per command")
    ok(sop_process(root, "nanthana", "start", "2"))
    assert "?? records/" in git(root, "status", "--porcelain")
    ran = ok(sop_process(root, None, "sync"))
    assert ran.out.splitlines() == [
        "✓ committed 1 file sop wrote",
        "this copy has no office server (no git remote): nothing to send",
    ]
    assert git(root, "status", "--porcelain") == ""
    assert git(root, "log", "-1", "--format=%an: %s") == "นันทนา จันทร์ฝั้น: นันทนา จันทร์ฝั้น: บันทึกงานที่ยังไม่ได้ส่ง\n"


def test_sync_with_nothing_to_do(office: Office) -> None:
    """A fresh copy syncs with nothing to send or receive, and changes nothing."""
    a = office.join("nanthana")
    before = head(a)
    ran = ok(sop_in(a, "nanthana", "sync"))
    assert ran.out == "✓ in step with the office: nothing to send or receive\n"
    assert head(a) == before


@pytest.mark.slow
def test_two_clones_that_both_wrote_records_end_with_the_same_tree(office: Office) -> None:
    """Both record offline; syncing in turn gives both the same commits and files, no merge commit, a green check."""
    a, b = office.join("nanthana"), office.join("saowalak")
    ok(sop_in(a, "nanthana", "start", "1"))
    ok(sop_in(a, "nanthana", "advance", "1", "--note", "ประชุมแล้ว"))
    ok(sop_in(b, "saowalak", "start", "2"))
    ok(sop_in(b, "saowalak", "advance", "2", "--hours", "3"))

    first = ok(sop_in(a, "nanthana", "sync"))
    assert first.out == "✓ sent 2 changes to the office\n✓ sop check: no problems\n"
    second = ok(sop_in(b, "saowalak", "sync"))
    assert second.out.splitlines() == [
        "✓ received 2 changes from the office",
        "✓ sent 2 changes to the office",
        "✓ sop check: no problems",
    ]
    ok(sop_in(a, "nanthana", "sync"))

    assert head(a) == head(b) == git(office.server, "rev-parse", "main").strip()
    assert tree_files(a) == tree_files(b)
    assert len(event_files(a)) == 5
    assert git(a, "rev-list", "--merges", "--count", "HEAD").strip() == "0"
    assert check_workspace(Workspace(a)).problems == []
    assert git(a, "status", "--porcelain") == "" == git(b, "status", "--porcelain")


@pytest.mark.slow
def test_three_clones_sync_to_the_same_tree_with_a_green_check(office: Office) -> None:
    """Three people record in their own procedures and add notes to each other's; all end identical and green."""
    people = {"nanthana": 1, "saowalak": 2, "thidarat": 3}
    clones = {user: office.join(user) for user in people}
    for user, number in people.items():
        ok(sop_in(clones[user], user, "start", str(number)))
        ok(sop_in(clones[user], user, "sync"))
    for user, number in people.items():
        ok(sop_in(clones[user], user, "sync"))
        ok(sop_in(clones[user], user, "advance", str(number)))
        ok(sop_in(clones[user], user, "note", str(number % 3 + 1), f"บันทึกของ {user}"))
    for user in people:
        ok(sop_in(clones[user], user, "sync"))
    for user in people:
        ok(sop_in(clones[user], user, "sync"))
    heads = {head(c) for c in clones.values()}
    assert heads == {git(office.server, "rev-parse", "main").strip()}
    trees = [tree_files(c) for c in clones.values()]
    assert trees[0] == trees[1] == trees[2]
    assert len(event_files(clones["nanthana"])) == 9
    for clone in clones.values():
        assert check_workspace(Workspace(clone)).problems == []
        assert git_busy(clone) == []


def test_offline_is_normal_and_the_next_sync_sends(office: Office) -> None:
    """With the server away, sync says what waits (exit 0); once back, it sends it."""
    a, b = office.join("nanthana"), office.join("saowalak")
    ok(sop_in(a, "nanthana", "start", "1"))
    away = office.server.with_name("away.git")
    office.server.rename(away)
    ran = ok(sop_in(a, "nanthana", "sync"))
    assert ran.out.startswith("not sent yet: the office's server cannot be reached (")
    assert "nothing is lost, 1 change waits here: run `sop sync` again when online" in ran.out
    ok(sop_in(a, "nanthana", "note", "1", "ยังออฟไลน์"))
    away.rename(office.server)
    ran = ok(sop_in(a, "nanthana", "sync"))
    assert "✓ sent 2 changes to the office" in ran.out
    ok(sop_in(b, "saowalak", "sync"))
    assert tree_files(a) == tree_files(b)


def test_a_conflict_puts_everything_back_and_keeps_the_work_on_a_rescue_branch(office: Office) -> None:
    """Both change calendar/holidays.yaml: sync stops in one sentence, nothing moved, the work is on a branch."""
    a, b = office.join("nanthana"), office.join("saowalak")
    for clone, text in ((a, "# วันหยุดพิเศษ ก\n"), (b, "# วันหยุดพิเศษ ข\n")):
        with (clone / "calendar" / "holidays.yaml").open("a", encoding="utf-8") as f:
            f.write(text)
        git(clone, "commit", "-qam", "แก้วันหยุด")
    ok(sop_in(a, "nanthana", "sync"))
    ok(sop_in(b, "saowalak", "start", "4"))
    before = head(b)

    ran = sop_in(b, "saowalak", "sync")

    assert ran.code == 1
    assert ran.err.startswith(
        "error: sync stopped: calendar/holidays.yaml changed both here and in the office, differently; everything "
        "is back as it was and nothing is lost (your work is also kept on branch sop-rescue/saowalak-20261125-090000, "
        "here and on the server): ask the person who set up the office's server to combine them"
    )
    # The branch is where it was (the record was committed by `sop start`); nothing of the office came in.
    assert head(b) == before
    assert git(b, "log", "-1", "--format=%s").startswith("เสาวลักษณ์")
    assert git_busy(b) == [] and git(b, "status", "--porcelain") == ""
    assert git(office.server, "rev-parse", "sop-rescue/saowalak-20261125-090000").strip() == head(b)
    assert "# วันหยุดพิเศษ ข" in (b / "calendar" / "holidays.yaml").read_text(encoding="utf-8")


def test_an_unsaved_change_in_the_way_stops_without_touching_anything(office: Office) -> None:
    """An uncommitted edit to a file the office changed: sync says so and moves nothing."""
    a, b = office.join("nanthana"), office.join("saowalak")
    with (a / "sop.toml").open("a", encoding="utf-8") as f:
        f.write("# แก้โดย ก\n")
    git(a, "commit", "-qam", "settings")
    ok(sop_in(a, "nanthana", "sync"))
    with (b / "sop.toml").open("a", encoding="utf-8") as f:
        f.write("# ยังไม่ได้บันทึก\n")
    before = head(b)
    ran = sop_in(b, "saowalak", "sync")
    assert ran.code == 1
    assert "sync stopped: your unsaved changes to sop.toml stand in the way of the office's changes" in ran.err
    assert head(b) == before
    assert (b / "sop.toml").read_text(encoding="utf-8").endswith("# ยังไม่ได้บันทึก\n")


def test_abort_undoes_a_merge_left_by_a_hand_made_git_pull(office: Office) -> None:
    """A `git pull` that stopped in a conflict blocks every write; `sop sync --abort` puts things back."""
    a, b = office.join("nanthana"), office.join("saowalak")
    for clone, text in ((a, "# ก\n"), (b, "# ข\n")):
        with (clone / "sop.toml").open("a", encoding="utf-8") as f:
            f.write(text)
        git(clone, "commit", "-qam", "settings")
    ok(sop_in(a, "nanthana", "sync"))
    before = head(b)
    git(b, "pull", "--no-rebase", "-q", check=False)
    assert git_busy(b) == ["MERGE_HEAD"]

    stopped = sop_in(b, "saowalak", "sync")
    assert stopped.code == 1
    assert "git is in the middle of a merge (a git conflict): run `sop sync --abort`" in stopped.err

    ran = ok(sop_in(b, "saowalak", "sync", "--abort"))
    assert ran.out == "stopped the unfinished git merge: back to before it\n"
    assert git_busy(b) == [] and head(b) == before
    assert "<<<<<<<" not in (b / "sop.toml").read_text(encoding="utf-8")


def test_a_record_edited_by_hand_is_not_sent_until_restored(office: Office) -> None:
    """An event file changed after it was sent: sync refuses and names it; --restore puts it back; sync sends."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "1"))
    ok(sop_in(a, "nanthana", "sync"))
    (event,) = sorted((a / "records").rglob("events/*.yaml"))
    original = event.read_bytes()
    event.write_bytes(original + b"# edited by hand\n")
    shown = event.relative_to(a).as_posix()

    ran = sop_in(a, "nanthana", "sync")
    assert ran.code == 1
    assert ran.err.startswith(f"error: {shown} changed after sop recorded them; records are never edited")
    assert "run `sop sync --restore`" in ran.err

    assert ok(sop_in(a, "nanthana", "sync", "--restore")).out == f"✓ restored {shown}\n"
    assert event.read_bytes() == original
    assert ok(sop_in(a, "nanthana", "sync")).out == "✓ in step with the office: nothing to send or receive\n"


def test_untrack_stops_sharing_a_committed_cache(office: Office) -> None:
    """A .sop/ (this computer's lock) committed by hand is warned about; `sop sync --untrack` un-shares it."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "1"))  # a write: the records lock is made in .sop/
    git(a, "add", "-f", ".sop")
    git(a, "commit", "-qm", "oops")
    ran = ok(sop_in(a, "nanthana", "sync"))
    assert "warning: .sop/ is tracked by git, but it belongs to this computer only" in ran.err
    assert ok(sop_in(a, "nanthana", "sync", "--untrack")).out == "✓ no longer shared: .sop/\n"
    assert git(a, "ls-files", ".sop") == ""
    assert any((a / ".sop").iterdir())
    ran = ok(sop_in(a, "nanthana", "sync"))
    assert "warning" not in ran.err
    assert git(office.server, "ls-tree", "-r", "--name-only", "main", ".sop") == ""


def test_records_keep_their_bytes_where_git_would_convert_line_endings(office: Office, tmp_path: Path) -> None:
    """A colleague whose git converts line endings (core.autocrlf=true) still gets evidence with the same hash."""
    a = office.join("nanthana")
    evidence = tmp_path / "บันทึก.txt"
    evidence.write_bytes(b"line one\nline two\r\nline three\n")
    ok(sop_in(a, "nanthana", "start", "1"))
    ok(sop_in(a, "nanthana", "advance", "1", "--evidence", str(evidence)))
    ok(sop_in(a, "nanthana", "sync"))
    (office.root / "gitconfig-autocrlf").write_text("[core]\n\tautocrlf = true\n", encoding="utf-8")
    import os

    os.environ["GIT_CONFIG_GLOBAL"] = str(office.root / "gitconfig-autocrlf")
    b = office.join("saowalak")
    (copied,) = (b / "records").rglob("evidence/*บันทึก.txt")
    assert copied.read_bytes() == evidence.read_bytes()
    assert check_workspace(Workspace(b)).problems == []


def test_a_copy_that_knows_nobody_says_who_must_be_named(tmp_path: Path) -> None:
    """No staff id and no git identity: sync stops with the setting to make, and commits nothing."""
    root = tmp_path / "anon"
    ok(sop_process(tmp_path, None, "init", str(root), "--from", str(PROJECT)))
    settings = root / "sop.toml"  # records left uncommitted, for sync to commit
    settings.write_text(settings.read_text(encoding="utf-8").replace("commit = true", "commit = false"), "utf-8")
    git(root, "commit", "-qam", "no commit per command")
    ok(sop_process(root, "nanthana", "start", "1"))
    before = head(root)
    ran = sop_process(root, None, "sync")
    assert ran.code == 1
    assert "who is acting? git knows no name for this copy: set your staff id with `git config sop.user ID`" in ran.err
    assert head(root) == before
