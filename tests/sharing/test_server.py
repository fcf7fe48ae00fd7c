"""The server guards the records: sop's pre-receive hook, and the CI files for a forge."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.conftest import PROJECT
from tests.sharing.conftest import Office, git, ok, sop_in


def push(clone: Path, *extra: str) -> tuple[bool, str]:
    """Push the clone's main branch by hand (as someone who knows git would); say whether it was taken."""
    output = git(clone, "push", *extra, "origin", "HEAD:main", check=False)
    return "rejected" not in output and "error" not in output, output


@pytest.fixture
def sent(office: Office) -> Path:
    """A copy whose first records (procedure 1 started and one step done) are on the server."""
    a = office.join("nanthana")
    ok(sop_in(a, "nanthana", "start", "1"))
    ok(sop_in(a, "nanthana", "advance", "1", "--note", "ประชุมแล้ว"))
    ok(sop_in(a, "nanthana", "sync"))
    return a


def test_the_hook_takes_good_records(office: Office, sent: Path) -> None:
    """A push of new, valid records is accepted, and they are on the server."""
    ok(sop_in(sent, "nanthana", "note", "1", "เพิ่มเติม"))  # sop commits its own files
    taken, output = push(sent)
    assert taken, output
    assert git(office.server, "rev-parse", "main") == git(sent, "rev-parse", "HEAD")


def test_the_hook_refuses_a_changed_event_file_and_says_why(office: Office, sent: Path) -> None:
    """An event file edited and pushed by hand is refused; the person sees which file and why."""
    event = sorted((sent / "records").rglob("events/*.yaml"))[-1]
    event.write_text(event.read_text(encoding="utf-8").replace("ประชุมแล้ว", "แก้ไขภายหลัง"), encoding="utf-8")
    git(sent, "commit", "-qam", "edit")
    before = git(office.server, "rev-parse", "main")
    taken, output = push(sent)
    assert not taken
    shown = event.relative_to(sent).as_posix()
    assert f"remote: sop: refused: {shown} was changed: records are never edited" in output
    assert "pre-receive hook declined" in output
    assert git(office.server, "rev-parse", "main") == before


def test_the_hook_refuses_a_deleted_event_file(office: Office, sent: Path) -> None:
    """Deleting a record that was sent is refused."""
    event = sorted((sent / "records").rglob("events/*.yaml"))[0]
    git(sent, "rm", "-q", str(event))
    git(sent, "commit", "-qm", "delete")
    taken, output = push(sent)
    assert not taken
    assert f"{event.relative_to(sent).as_posix()} was deleted: records are never deleted" in output


def test_the_hook_refuses_a_broken_record(office: Office, sent: Path) -> None:
    """A new event file that does not load is refused with its line and the reason."""
    folder = next((sent / "records").glob("*/*/events"))
    bad = folder / "20261125T020000000000Z-nanthana-zzzzzzzz.yaml"
    bad.write_text("schema_version: 1\ntype: step_completed\nstep: [\n", encoding="utf-8")
    git(sent, "add", str(bad))
    git(sent, "commit", "-qm", "broken")
    taken, output = push(sent)
    assert not taken
    assert f"refused: {bad.relative_to(sent).as_posix()}:" in output
    assert "(a broken record)" in output


def test_the_hook_refuses_a_procedure_file_that_sop_check_rejects(office: Office, sent: Path) -> None:
    """A procedure file that would stop sop for everyone is refused with the check's line."""
    path = next((sent / "sops").glob("01-*.yaml"))
    path.write_text(path.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 9", 1), "utf-8")
    git(sent, "commit", "-qam", "break")
    taken, output = push(sent)
    assert not taken
    assert f"refused: sops/{path.name}:" in output
    assert "(it would stop sop for everyone)" in output


def test_the_server_refuses_a_rewritten_history_and_a_deleted_branch(office: Office, sent: Path) -> None:
    """Force-pushing an older commit and deleting main are both refused."""
    before = git(office.server, "rev-parse", "main")
    git(sent, "reset", "-q", "--hard", "HEAD~1")
    taken, output = push(sent, "--force")
    assert not taken
    assert "[remote rejected] HEAD -> main" in output
    output = git(sent, "push", "origin", "--delete", "main", check=False)
    assert "[remote rejected] main" in output
    assert git(office.server, "rev-parse", "main") == before


def test_a_rescue_branch_is_taken_whatever_it_holds(office: Office, sent: Path) -> None:
    """Someone's work kept aside on sop-rescue/… is accepted unchecked: nothing of it must be lost."""
    event = sorted((sent / "records").rglob("events/*.yaml"))[-1]
    event.write_text("edited\n", encoding="utf-8")
    git(sent, "commit", "-qam", "edit")
    output = git(sent, "push", "origin", "HEAD:refs/heads/sop-rescue/nanthana-1", check=False)
    assert "rejected" not in output
    assert git(office.server, "rev-parse", "sop-rescue/nanthana-1") == git(sent, "rev-parse", "HEAD")


def test_install_hook_on_a_hand_made_bare_repository(tmp_path: Path) -> None:
    """`sop server install-hook` guards a bare repository; it refuses a folder that is not one, or a foreign hook."""
    bare = tmp_path / "office.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    ran = ok(sop_in(tmp_path, None, "server", "install-hook", str(bare)))
    hook = bare / "hooks" / "pre-receive"
    assert ran.out == f"✓ installed {hook}: the server now checks every push with sop\n"
    assert hook.stat().st_mode & 0o111
    assert git(bare, "config", "receive.denyNonFastForwards") == "true\n"
    assert ok(sop_in(tmp_path, None, "server", "install-hook", str(bare))).code == 0  # again: its own hook

    hook.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    refused = sop_in(tmp_path, None, "server", "install-hook", str(bare))
    assert refused.code == 1 and "already has a pre-receive hook of its own; pass --force" in refused.err
    assert sop_in(tmp_path, None, "server", "install-hook", str(bare), "--force").code == 0

    not_bare = sop_in(tmp_path, None, "server", "install-hook", str(tmp_path))
    assert not_bare.code == 1 and "is not a bare git repository" in not_bare.err


def test_the_ci_files_check_every_push_and_publish_the_status_page(office: Office) -> None:
    """`sop server ci` writes and commits the forge's file: it installs sop, runs `sop check`, exports the page."""
    a = office.join("nanthana")
    ran = ok(sop_in(a, "nanthana", "server", "ci", "forgejo", "--package", "git+https://forge.example/sop.git"))
    assert ran.out == "✓ wrote .forgejo/workflows/sop.yml; `sop sync` sends it, then the forge checks every push\n"
    forgejo = YAML(typ="safe").load((a / ".forgejo/workflows/sop.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", step.get("uses")) for step in forgejo["jobs"]["check"]["steps"]]
    assert steps == [
        "actions/checkout@v4",
        "pip install --quiet git+https://forge.example/sop.git",
        "sop check",
        "mkdir -p public && sop export --format html --out public --force",
        "actions/upload-artifact@v3",
    ]
    assert git(a, "status", "--porcelain") == ""
    assert git(a, "log", "-1", "--format=%an|%s").startswith("นันทนา จันทร์ฝั้น|")

    ok(sop_in(a, "nanthana", "server", "ci", "gitlab", "--package", "sop-cli"))
    gitlab = YAML(typ="safe").load((a / ".gitlab-ci.yml").read_text(encoding="utf-8"))
    assert gitlab["check"]["script"] == ["pip install --quiet sop-cli", "sop check"]
    assert "sop export --format html --out public --force" in gitlab["pages"]["script"]
    assert gitlab["pages"]["artifacts"]["paths"] == ["public"]

    again = sop_in(a, "nanthana", "server", "ci", "gitlab", "--package", "sop-cli")
    assert again.code == 1 and ".gitlab-ci.yml already exists; pass --force" in again.err
    no_package = sop_in(a, "nanthana", "server", "ci", "forgejo", "--force")
    assert no_package.code == 1 and "--package SPEC" in no_package.err


def test_the_ci_file_installs_sop_from_the_repository_when_it_holds_the_code(tmp_path: Path) -> None:
    """In a repository that holds sop's own code (pyproject.toml), CI installs from it by default."""
    root = tmp_path / "with-code"
    ok(sop_in(tmp_path, None, "init", str(root), "--from", str(PROJECT)))
    (root / "pyproject.toml").write_text("[project]\nname = 'sop-cli'\n", encoding="utf-8")
    ok(sop_in(root, "nanthana", "server", "ci", "gitlab"))
    assert "pip install --quiet ." in (root / ".gitlab-ci.yml").read_text(encoding="utf-8")
