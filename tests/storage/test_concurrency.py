"""Real processes writing records at once, and processes killed in the middle of writing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.actions.runs import add_note, run_timeline, start_run
from sop_cli.storage.records import load_events
from sop_cli.workspace import Workspace
from tests.values import ME

WRITER = """
import datetime as dt, sys
from pathlib import Path
from sop_cli.actions.runs import Actor, add_note
from sop_cli.workspace import Workspace
from sop_cli.thai_calendar import BANGKOK
ws = Workspace(Path(sys.argv[1]))
for i in range(int(sys.argv[3])):
    now = dt.datetime.now(BANGKOK)
    add_note(ws, 2, Actor("saowapha", now), f"บันทึก {sys.argv[2]}-{i}")
    print(i, flush=True)  # this note's command has finished
"""


def _spawn(workspace: Workspace, name: str, count: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(workspace.root), name, str(count)], stdout=subprocess.PIPE
    )


@pytest.mark.slow
def test_eight_processes_add_two_hundred_notes(workspace: Workspace) -> None:
    """8 processes × 25 notes on one run at once: all 200 events present, valid, and replayed."""
    run = start_run(workspace, 2, ME).run
    writers = [_spawn(workspace, f"p{n}", 25) for n in range(8)]
    assert [w.wait(timeout=300) for w in writers] == [0] * 8
    stored, problems = load_events(workspace, 2570)
    assert problems == []
    notes = [s.event for s in stored if s.event.type == "note"]
    assert len(notes) == 200
    assert len({n.id for n in notes}) == 200
    texts = {getattr(n, "text", "") for n in notes}
    assert texts == {f"บันทึก p{p}-{i}" for p in range(8) for i in range(25)}
    timeline = run_timeline(workspace, 2, 2570, run)
    assert timeline.problems == ()
    assert len(timeline.run_attachments) == 200
    assert check_workspace(workspace).ok


@pytest.mark.slow
def test_killed_writers_never_leave_partial_files(workspace: Workspace) -> None:
    """SIGKILL in the middle of writes, many times: no partial event file, no finished command lost.

    The writer says when each command has finished; it is killed after a number of finished
    commands drawn from a seeded generator, so the kill lands at varied points of the next one.
    A command killed before it finished may leave its files until the next write undoes them.
    """
    import random

    pick = random.Random(2570)
    start_run(workspace, 2, ME)
    finished: set[str] = set()
    for attempt in range(12):
        writer = _spawn(workspace, f"k{attempt}", 1000)
        assert writer.stdout is not None
        wanted = pick.randint(1, 4)
        for _ in range(wanted):
            done = int(writer.stdout.readline())
            finished.add(f"บันทึก k{attempt}-{done}")
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
        stored, problems = load_events(workspace, 2570)
        assert problems == [], problems[:3]  # every visible file is a whole, valid event
        texts = {getattr(s.event, "text", None) for s in stored}
        assert finished <= texts  # every command that finished is kept
    add_note(workspace, 2, ME, "หลังจากนั้น")  # the next write undoes what the last killed command began
    stored, _ = load_events(workspace, 2570)
    texts = {getattr(s.event, "text", None) for s in stored}
    assert finished <= texts
    assert check_workspace(workspace).ok


def test_write_cleans_leftovers_of_killed_writers(workspace: Workspace) -> None:
    """The next write on a run removes temporary files left by a killed process (it holds the lock)."""
    run = start_run(workspace, 2, ME).run
    events = workspace.records / "2570" / f"02-{run}" / "events"
    (events / ".tmp-abandoned.yaml").write_text("schema_ver", encoding="utf-8")
    add_note(workspace, 2, ME, "ต่อ")
    assert not list(events.glob(".tmp-*"))
    assert check_workspace(workspace).ok


def test_files_keep_normal_permissions(workspace: Workspace) -> None:
    """Event and evidence files are readable by colleagues (not the 0600 of temporary files)."""
    start_run(workspace, 2, ME)
    for path in workspace.records.rglob("*.yaml"):
        assert path.stat().st_mode & 0o044 == 0o044, oct(path.stat().st_mode)
