"""`sop sync` killed (SIGKILL) at each of its steps: the next `sop sync` recovers and nothing is lost."""

from __future__ import annotations

import json
import signal
import sys

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.workspace import Workspace
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

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

# The points `sop sync` passes, in order; SOP_TEST_CRASH_AT=point kills the process there.
POINTS = ("after-commit", "after-fetch", "before-move", "after-move", "after-check", "after-push")


def killed_sync(clone_user: tuple[object, str], point: str) -> None:
    """Run `sop sync` as a real process that kills itself with SIGKILL at `point`."""
    clone, user = clone_user
    ran = sop_process(clone, user, "sync", env={"SOP_TEST_CRASH_AT": point})  # type: ignore[arg-type]
    assert ran.code == -signal.SIGKILL, f"{point}: {ran.code} {ran.out} {ran.err}"


@pytest.mark.slow
def test_sync_killed_at_each_step_recovers_on_the_next_sync(office: Office) -> None:
    """At every step, a killed sync loses nothing: the next one finishes, and both copies end identical."""
    a, b = office.join("nanthana"), office.join("saowalak")
    ok(sop_in(a, "nanthana", "start", "1"))
    ok(sop_in(b, "saowalak", "start", "2"))
    written = event_files(a) | event_files(b)
    for point in POINTS:
        # The other copy sends something first, so that this sync has to receive, replay, move and send.
        ok(sop_in(b, "saowalak", "note", "2", f"ก่อน {point}"))
        ok(sop_in(b, "saowalak", "sync"))
        ok(sop_in(a, "nanthana", "note", "1", f"ระหว่าง {point}"))
        written |= event_files(a) | event_files(b)

        killed_sync((a, "nanthana"), point)

        again = ok(sop_process(a, "nanthana", "sync"))
        assert "error" not in again.err
        assert not (a / ".git" / "sop-sync.json").exists()
        assert git_busy(a) == [] and git(a, "status", "--porcelain") == ""
        assert event_files(a) >= written, point
        assert head(a) == git(office.server, "rev-parse", "main").strip(), point
    ok(sop_in(b, "saowalak", "sync"))
    assert tree_files(a) == tree_files(b)
    assert event_files(b) == written
    assert check_workspace(Workspace(a)).problems == []
    assert git(a, "rev-list", "--merges", "--count", "HEAD").strip() == "0"


@pytest.mark.slow
def test_a_working_folder_left_half_moved_by_a_killed_git_is_put_back(office: Office) -> None:
    """Killed while git was writing the office's files (some written, index.lock left): the next sync repairs it."""
    a, b = office.join("nanthana"), office.join("saowalak")
    ok(sop_in(b, "saowalak", "start", "2"))
    ok(sop_in(b, "saowalak", "start", "3"))
    ok(sop_in(b, "saowalak", "sync"))
    ok(sop_in(a, "nanthana", "start", "1"))
    mine = event_files(a)
    killed_sync((a, "nanthana"), "before-move")
    marker = json.loads((a / ".git" / "sop-sync.json").read_text(encoding="utf-8"))
    old, new = marker["old"], marker["new"]
    assert head(a) == old and new != old
    # What a git killed in the middle of `reset --keep` leaves: some of the new files, and its lock.
    incoming = git(a, "diff-tree", "-r", "--name-only", "--no-renames", old, new).split()
    assert len(incoming) == 2
    whole, partial = (a / path for path in incoming)
    for path, size in ((whole, None), (partial, 40)):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(git(a, "show", f"{new}:{path.relative_to(a).as_posix()}").encode("utf-8")[:size])
    (a / ".git" / "index.lock").write_bytes(b"")

    ran = ok(sop_process(a, "nanthana", "sync"))

    # Nothing of the office's is taken for the person's own work: it only arrives, whole.
    assert ran.out.splitlines() == [
        "✓ repaired a sync that was interrupted",
        "✓ received 2 changes from the office",
        "✓ sent 1 change to the office",
        "✓ sop check: no problems",
    ]
    assert not (a / ".git" / "index.lock").exists()
    assert git(a, "status", "--porcelain") == ""
    assert event_files(a) == mine | event_files(b)
    ok(sop_in(b, "saowalak", "sync"))
    assert tree_files(a) == tree_files(b)
    assert check_workspace(Workspace(a)).problems == []
