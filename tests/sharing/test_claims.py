"""Numbers claimed on the office's server: real clones of one bare repository, real `sop` processes."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML

from sop_cli.actions.check import check_workspace
from sop_cli.journal import Transaction
from sop_cli.rendering.docx_common import plain_text
from sop_cli.thai_calendar import arabic_digits
from sop_cli.workspace import Workspace
from tests.sharing.conftest import Office, Ran, git, head, ok, sop_in, sop_process

PEOPLE = ("nanthana", "saowalak", "kasemsan")


def register_entries(clone: Path, prefix: str = "out") -> list[dict[str, object]]:
    """The register entries of a series in the clone, read as plain YAML."""
    yaml = YAML(typ="safe")
    return [yaml.load(p.read_text(encoding="utf-8")) for p in sorted(clone.glob(f"register/*/{prefix}-*.yaml"))]


def withdrawals(clone: Path) -> list[dict[str, object]]:
    """The withdrawals of the clone's register, read as plain YAML."""
    yaml = YAML(typ="safe")
    return [yaml.load(p.read_text(encoding="utf-8")) for p in sorted(clone.glob("register/*/withdrawn-*.yaml"))]


def printed_number(document: Path) -> str:
    """The number a memo prints after ที่ (Arabic digits)."""
    lines = [plain_text(p.text) for p in docx.Document(str(document)).paragraphs]
    found = next(re.search(r"^ที่\s+(\S+ \S+)\t", line) for line in lines if line.startswith("ที่"))
    assert found is not None
    return arabic_digits(found.group(1))


def server_files(office: Office, folder: str) -> list[str]:
    """The files under `folder` in the server's main branch."""
    return git(office.server, "ls-tree", "-r", "--name-only", "main", "--", folder).split()


def start(office: Office, user: str) -> Path:
    """Join the office as `user` and open a run of procedure ๓ labelled with their name."""
    clone = office.join(user)
    ok(sop_in(clone, user, "start", "3", "--label", f"ของ {user}"))
    return clone


@pytest.mark.slow
def test_three_clones_issue_memos_at_the_same_time(office: Office) -> None:
    """Three people, two memos each, all at once: six numbers, distinct and consecutive, each printed as registered."""
    clones = {user: start(office, user) for user in PEOPLE}
    results: dict[str, list[Ran]] = {user: [] for user in PEOPLE}

    def issue(user: str) -> None:
        for _ in range(2):
            results[user].append(sop_process(clones[user], user, "memo", "3", "--step", "1", "--run", f"ของ {user}"))

    threads = [threading.Thread(target=issue, args=(user,)) for user in PEOPLE]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for ran in (r for runs in results.values() for r in runs):
        ok(ran)
    for user in PEOPLE:  # everyone brings in the others' records
        ok(sop_in(clones[user], user, "sync"))
    for user in PEOPLE:
        ok(sop_in(clones[user], user, "sync"))
    clone = clones[PEOPLE[0]]
    entries = register_entries(clone)
    assert sorted(int(str(e["number"])) for e in entries) == [1, 2, 3, 4, 5, 6]
    for entry in entries:
        assert printed_number(clone / str(entry["document"])) == arabic_digits(str(entry["printed"]))
    assert len(server_files(office, "register")) == 6
    assert check_workspace(Workspace(clone)).problems == []


def test_a_claim_refused_by_a_colleague_takes_the_next_number(office: Office) -> None:
    """A sent number 1 first; B, not in step, is refused 1 by the server, takes 2 and now has A's entry too."""
    a, b = start(office, "nanthana"), start(office, "saowalak")
    first = ok(sop_in(a, "nanthana", "memo", "3", "--step", "1"))
    assert "ศธ ๐๒๘๘/๑ " in first.out and "the number is the office's" in first.out
    second = ok(sop_in(b, "saowalak", "memo", "3", "--step", "1"))
    assert "ศธ ๐๒๘๘/๒ " in second.out
    numbers = {int(str(e["number"])): str(e["by"]) for e in register_entries(b)}
    assert numbers == {1: "nanthana", 2: "saowalak"}
    (mine,) = [e for e in register_entries(b) if e["by"] == "saowalak"]
    assert printed_number(b / str(mine["document"])) == "ศธ 0288/2"
    assert len(server_files(office, "register")) == 2
    log = git(office.server, "log", "--format=%s", "main")
    assert log.count("จองเลขทะเบียนหนังสือ") == 2


def test_offline_no_number_is_promised_and_nothing_is_written(office: Office) -> None:
    """The server out of reach: one sentence, exit 1, no file, no commit; --dry-run still shows the memo."""
    clone = start(office, "nanthana")
    git(clone, "remote", "set-url", "origin", str(office.root / "unreachable" / "office.git"))
    before_head = head(clone)
    before = sorted(p for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts and ".sop" not in p.parts)
    refused = sop_in(clone, "nanthana", "memo", "3", "--step", "1")
    assert refused.code == 1
    assert "the office's server cannot be reached" in refused.err and "no number can be promised" in refused.err
    after = sorted(p for p in clone.rglob("*") if p.is_file() and ".git" not in p.parts and ".sop" not in p.parts)
    assert after == before and head(clone) == before_head
    assert not (clone / "register").exists()
    dry = ok(sop_in(clone, "nanthana", "memo", "3", "--step", "1", "--dry-run"))
    assert "would be no. ศธ ๐๒๘๘/๑" in dry.out


def test_a_command_failing_after_the_claim_withdraws_the_number(
    office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The .docx cannot be written after the server had the number: it stays registered, withdrawn, never reused."""
    clone = start(office, "nanthana")

    def full_disk(self: Transaction, path: Path, data: bytes) -> Path:
        raise OSError(28, "No space left on device", str(path))

    with monkeypatch.context() as patched:  # only the full disk is undone afterwards, not the fixtures' env
        patched.setattr(Transaction, "create_file", full_disk)
        failed = sop_in(clone, "nanthana", "memo", "3", "--step", "1")
    assert failed.code == 1 and "no space left" in failed.err
    (entry,) = register_entries(clone)
    (withdrawal,) = withdrawals(clone)
    assert (entry["number"], withdrawal["number"], withdrawal["reason"]) == (1, 1, "interrupted")
    assert not list(clone.glob("records/*/*/documents/*"))
    assert len(server_files(office, "register")) == 1  # the claim reached the server
    again = ok(sop_in(clone, "nanthana", "memo", "3", "--step", "1"))
    assert "ศธ ๐๒๘๘/๒ " in again.out
    ok(sop_in(clone, "nanthana", "sync"))
    listing = ok(sop_in(clone, "nanthana", "register", "--format", "json"))
    assert '"withdrawn": "interrupted"' in listing.out
    assert check_workspace(Workspace(clone)).problems == []
    assert len(server_files(office, "register")) == 3  # both entries and the withdrawal


def test_incoming_numbers_are_claimed_too(office: Office, tmp_path: Path) -> None:
    """Two people record received letters: the second, not in step, gets รับ 2 from the server."""
    a, b = start(office, "nanthana"), start(office, "saowalak")
    for clone, user, name in ((a, "nanthana", "ก.pdf"), (b, "saowalak", "ข.pdf")):
        path = tmp_path / name
        path.write_bytes(f"%PDF {name}".encode())
        args = ["--from", "สพฐ.", "--their-number", "ศธ 04010/ว 1", "--their-date", "2569-11-20", "--subject", "แจ้ง"]
        ok(sop_in(clone, user, "receive", "3", str(path), *args, "--run", f"ของ {user}"))
    numbers = {int(str(e["number"])): str(e["by"]) for e in register_entries(b, "in")}
    assert numbers == {1: "nanthana", 2: "saowalak"}
    assert len(server_files(office, "register")) == 2
