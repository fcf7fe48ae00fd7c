"""The journal's undo: what a command that failed, was interrupted or was killed had begun goes away whole."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from sop_cli.actions.check import UNFINISHED, check_workspace
from sop_cli.actions.runs import add_note, start_run
from sop_cli.journal import Intent, Transaction, undo_unfinished
from sop_cli.models.values import Evidence
from sop_cli.storage.records import load_events
from sop_cli.workspace import Workspace
from tests.conftest import files_under
from tests.values import ME


def _notes(ws: Workspace) -> list[str]:
    return [getattr(s.event, "text", "") for s in load_events(ws, 2570)[0] if s.event.type == "note"]


def test_ctrl_c_after_a_file_is_in_place_removes_it(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C between the link that puts an event in place and the intent hearing of it: the event goes too."""
    start_run(workspace, 2, ME)
    before = files_under(workspace.root)

    def interrupted(self: Intent, path: Path) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(Intent, "created_file", interrupted)
        add_note(workspace, 2, ME, "ถูกหยุด")
    assert files_under(workspace.root) == before
    add_note(workspace, 2, ME, "อีกครั้ง")
    assert _notes(workspace) == ["อีกครั้ง"]
    assert check_workspace(workspace).ok


def test_ctrl_c_after_the_evidence_copy_is_in_place_removes_it(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Ctrl-C just after the evidence copy is renamed to its final name: no orphan evidence is left."""
    start_run(workspace, 2, ME)
    minutes = tmp_path / "minutes.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    before = files_under(workspace.root)
    real = os.replace

    def replace(src: Any, dst: Any) -> None:
        real(src, dst)
        if Path(dst).parent.name == "evidence" and not Path(dst).name.startswith(".tmp-"):
            raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(os, "replace", replace)
        add_note(workspace, 2, ME, "แนบหลักฐาน", evidence=[Evidence(source=minutes)])
    assert files_under(workspace.root) == before
    assert check_workspace(workspace).ok


def test_an_undone_event_is_forgotten_without_git(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C after the event's hash was remembered: the undone event is not then reported as deleted."""
    start_run(workspace, 2, ME)

    def interrupted(self: Transaction) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched, pytest.raises(KeyboardInterrupt):
        patched.setattr(Transaction, "_refresh_status", interrupted)
        add_note(workspace, 2, ME, "ถูกหยุด")
    assert _notes(workspace) == []
    assert check_workspace(workspace).ok
    add_note(workspace, 2, ME, "อีกครั้ง")
    assert _notes(workspace) == ["อีกครั้ง"]


def test_the_next_command_finishes_an_undo_that_was_killed_half_way(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command killed after writing, and its undo killed after removing the file: the next one forgets the file."""
    start_run(workspace, 2, ME)
    with monkeypatch.context() as patched:
        patched.setattr(Intent, "done", lambda self: None)  # killed: its list of files stays
        add_note(workspace, 2, ME, "ถูกหยุด")
    (note,) = [p for p in workspace.records.glob("2570/02-*/events/*.yaml") if 'type: "note"' in p.read_text("utf-8")]
    note.unlink()  # the undo of the next command removed it, and was killed before it went on
    add_note(workspace, 2, ME, "อีกครั้ง")
    assert _notes(workspace) == ["อีกครั้ง"]
    assert check_workspace(workspace).ok


def test_the_next_command_removes_temporary_files_of_a_killed_write(workspace: Workspace) -> None:
    """A write killed inside the register leaves a temporary file there: the next command removes it and the folders."""
    intent = Intent(workspace)
    entry = workspace.root / "register" / "2569" / "out-0001-abcdef.yaml"
    intent.will_create(entry)  # then killed inside the atomic write, before the entry was in place
    entry.parent.mkdir(parents=True)
    (entry.parent / ".tmp-k1ll3d.yaml").write_text("schema_version: 1\n", encoding="utf-8")
    listed = json.loads(intent.path.read_text(encoding="utf-8"))["files"]
    assert [Path(p).as_posix() for p in listed] == ["register", "register/2569", "register/2569/out-0001-abcdef.yaml"]
    undo_unfinished(workspace)
    assert not (workspace.root / "register").exists()
    assert not intent.path.exists()
    assert check_workspace(workspace).ok


def test_check_says_the_next_command_removes_what_a_killed_one_began(workspace: Workspace) -> None:
    """Evidence copied in place by a command killed before its event: check says the next command removes
    it (not how to attach it), and after the next command the file is gone and check is green."""
    start_run(workspace, 2, ME)
    (folder,) = workspace.records.glob("2570/02-*")
    intent = Intent(workspace)
    copy = folder / "evidence" / "step01-minutes.pdf"
    intent.will_create(copy)  # then killed after the copy, before the event that records it
    copy.parent.mkdir(exist_ok=True)
    copy.write_bytes(b"%PDF-1.7 minutes")
    found = check_workspace(workspace).problems
    assert [(p.path.replace("\\", "/"), p.message) for p in found] == [
        (workspace.relative(copy).replace("\\", "/"), UNFINISHED)
    ]
    add_note(workspace, 2, ME, "ต่อ")
    assert not copy.exists()
    assert check_workspace(workspace).ok
