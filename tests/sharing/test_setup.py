"""`sop init` makes the office's repository; `sop join` gives a person their copy, set up."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import PROJECT, SHIPPED_SOPS
from tests.sharing.conftest import Office, git, ok, sop_in, sop_process


def test_init_makes_a_new_office_repository_with_its_first_commit(tmp_path: Path) -> None:
    """Procedures, calendar, settings, templates' README, ignore rules, .gitattributes; one commit; a green check."""
    root = tmp_path / "office"
    ran = ok(sop_process(tmp_path, None, "init", str(root), "--from", str(PROJECT), "--user", "nanthana"))
    assert ran.out == f"✓ the office's repository is ready in {root}\nyou are nanthana in this copy\n"
    tracked = set(git(root, "ls-files").split())
    assert {".gitignore", ".gitattributes", "sop.toml", "calendar/holidays.yaml", "templates/README.md"} <= tracked
    assert {f"sops/{p.name}" for p in SHIPPED_SOPS.glob("*.yaml")} <= tracked
    assert "records/README.md" in tracked
    assert not any(p.startswith((".sop-cache", "records/20")) for p in tracked)
    assert git(root, "log", "--format=%an <%ae>|%s") == (
        "นันทนา จันทร์ฝั้น <nanthana@users.sop.invalid>|นันทนา จันทร์ฝั้น: เริ่มคลังงานของสำนักงาน\n"
    )
    assert git(root, "config", "sop.user") == "nanthana\n"
    assert git(root, "config", "core.autocrlf") == "false\n"
    assert git(root, "config", "pull.rebase") == "true\n"
    assert (root / ".gitattributes").read_text(encoding="utf-8").splitlines()[-1] == "* -text"
    assert ".sop-cache/" in (root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert git(root, "status", "--porcelain") == ""
    assert ok(sop_process(root, None, "check")).out.startswith("ok: 14 procedures")


def test_init_turns_an_existing_workspace_into_a_repository_in_place(tmp_path: Path) -> None:
    """A folder that already holds sops/ (and records) becomes the repository, records included."""
    root = tmp_path / "ws"
    shutil.copytree(SHIPPED_SOPS, root / "sops")
    shutil.copytree(PROJECT / "calendar", root / "calendar")
    ok(sop_process(root, "saowalak", "start", "2"))
    ok(sop_process(tmp_path, None, "init", str(root), "--user", "saowalak"))
    assert any(p.startswith("records/2570/") for p in git(root, "ls-files").split())
    assert git(root, "status", "--porcelain") == ""


def test_init_refuses_what_it_must_not_touch(tmp_path: Path) -> None:
    """An existing repository, a folder with other files, an unknown person: refused, nothing written."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    ran = sop_in(tmp_path, None, "init", str(repo), "--from", str(PROJECT))
    assert ran.code == 1 and "is already a git repository; to work with the office's, use `sop join URL`" in ran.err

    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("x", encoding="utf-8")
    ran = sop_in(tmp_path, None, "init", str(busy), "--from", str(PROJECT))
    assert ran.code == 1 and "is neither empty nor a sop workspace" in ran.err

    ran = sop_in(tmp_path, None, "init", str(tmp_path / "new"), "--from", str(PROJECT), "--user", "somchai")
    assert ran.code == 1 and "'somchai' is not in the staff roster (sops/staff.yaml); known ids: nanthana" in ran.err
    assert not (tmp_path / "new").exists()


def test_join_sets_the_person_up(office: Office) -> None:
    """The copy knows who the person is, has git's settings, a name and e-mail, and is in step."""
    folder = office.root / "copy"
    ran = ok(sop_in(office.root, None, "join", str(office.server), str(folder), "--user", "thidarat"))
    assert ran.out == (
        f"✓ your copy of the office's repository is in {folder}\n"
        "you are thidarat; run sop there, and `sop sync` to share\n"
    )
    config = {key: git(folder, "config", key).strip() for key in ("sop.user", "pull.rebase", "core.autocrlf")}
    assert config == {"sop.user": "thidarat", "pull.rebase": "true", "core.autocrlf": "false"}
    assert git(folder, "config", "core.quotepath") == "off\n"
    assert git(folder, "config", "user.name") == "ธิดารัตน์ สิงห์แก้ว\n"
    assert git(folder, "config", "user.email") == "thidarat@users.sop.invalid\n"
    assert (folder / ".git" / "sop-last-sync").read_text(encoding="utf-8") == "2026-11-25T09:00:00+07:00\n"


def test_join_refuses_an_unknown_person_and_leaves_no_half_copy(office: Office) -> None:
    """A wrong id: the error lists the ids; the copy is removed, so the next try starts clean."""
    folder = office.root / "copy"
    ran = sop_in(office.root, None, "join", str(office.server), str(folder), "--user", "Saowalak")
    assert ran.code == 1
    assert "'Saowalak' is not in the staff roster (sops/staff.yaml); known ids: nanthana, saowalak" in ran.err
    assert not folder.exists()
    nobody = sop_in(office.root, None, "join", str(office.server), str(folder))
    assert nobody.code == 1 and "who are you? pass --user ID" in nobody.err
    ok(sop_in(office.root, None, "join", str(office.server), str(folder), "--user", "saowalak"))


def test_join_refuses_a_repository_that_is_not_an_office(tmp_path: Path) -> None:
    """A repository without sops/ is not an office: said in one sentence, nothing left behind."""
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "-q")
    (other / "a.txt").write_text("a", encoding="utf-8")
    git(other, "add", "a.txt")
    git(other, "commit", "-qm", "a")
    ran = sop_in(tmp_path, None, "join", str(other), str(tmp_path / "copy"), "--user", "nanthana")
    assert ran.code == 1 and "is not an office repository of sop (it has no sops/ folder)" in ran.err
    assert not (tmp_path / "copy").exists()
    gone = sop_in(tmp_path, None, "join", str(tmp_path / "nowhere.git"), str(tmp_path / "copy2"), "--user", "x")
    assert gone.code == 1 and "could not copy the office's repository from" in gone.err


def test_join_adds_missing_ignore_rules_locally_and_warns_about_tracked_local_folders(tmp_path: Path) -> None:
    """An office repository made by hand without ignore rules and with a committed cache: join keeps the
    rules on this computer only (.git/info/exclude) and warns about the cache."""
    origin = tmp_path / "origin"
    shutil.copytree(SHIPPED_SOPS, origin / "sops")
    (origin / ".sop-cache").mkdir()
    (origin / ".sop-cache" / "catalog.pickle").write_bytes(b"x")
    git(origin, "init", "-q", "-b", "main")
    git(origin, "add", "-A")
    git(origin, "commit", "-qm", "by hand")
    ran = ok(sop_in(tmp_path, None, "join", str(origin), str(tmp_path / "copy"), "--user", "nanthana"))
    assert "warning: .sop-cache/ is tracked by git, but it belongs to this computer only" in ran.err
    exclude = (tmp_path / "copy" / ".git" / "info" / "exclude").read_text(encoding="utf-8").splitlines()
    assert {".sop-cache/", ".venv/", "exports/", "reports/"} <= set(exclude)
    assert not (tmp_path / "copy" / ".gitignore").exists()


def test_init_says_why_the_server_refused_the_first_push(tmp_path: Path) -> None:
    """A workspace with a broken procedure file: the repository is made here, the server refuses it, and says why."""
    root = tmp_path / "ws"
    shutil.copytree(SHIPPED_SOPS, root / "sops")
    shutil.copytree(PROJECT / "calendar", root / "calendar")
    path = next((root / "sops").glob("02-*.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 7", 1), "utf-8")
    ran = sop_in(tmp_path, None, "init", str(root), "--server", str(tmp_path / "server.git"))
    assert ran.code == 1
    assert "the office's repository is ready here, but sending it to" in ran.err
    assert f"sop: refused: sops/{path.name}:" in ran.err
    assert git(root, "log", "--format=%s").count("\n") == 1
