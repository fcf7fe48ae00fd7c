"""`sop sync` killed at random system calls, many times (strace): the next sync recovers, nothing is lost.

strace injects SIGKILL into whichever process of the sync (sop itself or one of the git commands it
runs) makes its n-th call of a chosen kind: git killed while writing a ref, an object or the index
is the realistic case. The points are drawn from a seeded generator, so a failure repeats; set
SOP_SYNC_KILLS to try more of them.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sharing.conftest import Office, event_files, git, git_busy, head, ok, sop_in, sop_process

STRACE = shutil.which("strace")
pytestmark = [
    pytest.mark.skipif(sys.platform != "linux", reason="kill points are counted with strace, which is Linux only"),
    pytest.mark.skipif(STRACE is None, reason="strace is not installed (apt-get install strace; .ci/run does)"),
    pytest.mark.slow,
]

CALLS = ("rename", "renameat", "unlink", "unlinkat", "link", "fsync", "mkdir", "openat", "write")
KILLS = int(os.environ.get("SOP_SYNC_KILLS", "12"))
SEED = int(os.environ.get("SOP_SYNC_KILL_SEED", "20261201"))


def _killed_sync(clone: Path, user: str, call: str, n: int) -> int:
    """Run `sop sync` under strace, killing the process that makes its `n`-th `call`; the exit code."""
    assert STRACE is not None
    env = {**os.environ, "SOP_USER": user}
    done = subprocess.run(
        [STRACE, "-f", "-qq", "-o", os.devnull, "-e", f"trace=?{call}", "-e", f"inject=?{call}:signal=KILL:when={n}",
         sys.executable, "-m", "sop_cli", "sync"],
        cwd=clone, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip
    return done.returncode


def test_sync_killed_at_random_calls_recovers_every_time(office: Office) -> None:
    """Each round: the other copy sends work, this one writes, its sync is killed at a random call of
    sop or git; the next `sop sync` finishes, leaves no merge or rebase, and every event is kept and sent."""
    a, b = office.join("nanthana"), office.join("saowalak")
    ok(sop_in(a, "nanthana", "start", "1"))
    ok(sop_in(b, "saowalak", "start", "2"))
    written = event_files(a) | event_files(b)
    chosen = random.Random(SEED)
    killed = 0
    for round_ in range(KILLS):
        call, n = chosen.choice(CALLS), chosen.randint(1, 6)
        ok(sop_in(b, "saowalak", "note", "2", f"ก่อนรอบ {round_}"))
        ok(sop_in(b, "saowalak", "sync"))
        ok(sop_in(a, "nanthana", "note", "1", f"รอบ {round_}"))
        written |= event_files(a) | event_files(b)

        code = _killed_sync(a, "nanthana", call, n)
        killed += code != 0

        again = sop_process(a, "nanthana", "sync")
        assert again.code == 0, f"round {round_}, killed at {call} #{n} (exit {code}): {again.out}{again.err}"
        assert git_busy(a) == [], (round_, call, n)
        assert git(a, "status", "--porcelain", "--", "records") == "", (round_, call, n)
        assert event_files(a) >= written, (round_, call, n)
        assert head(a) == git(office.server, "rev-parse", "main").strip(), (round_, call, n)
    assert killed >= KILLS // 2, f"only {killed} of {KILLS} syncs were really killed: choose other calls"
    ok(sop_in(b, "saowalak", "sync"))
    assert event_files(b) == event_files(a)
