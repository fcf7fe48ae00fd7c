"""In a real terminal (tmux, 80 columns), `sop status` shows what the recorded drawing shows: nothing cut."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.rendering.terminal.conftest import NOW, History

TMUX = shutil.which("tmux")
SOP = shutil.which("sop", path=str(Path(sys.executable).parent))
pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed here (.ci/run installs it)"),
    pytest.mark.skipif(SOP is None, reason="sop is not installed next to this Python (pip install -e .)"),
]


def _tmux(socket: str, *args: str) -> str:
    assert TMUX is not None
    done = subprocess.run([TMUX, "-L", socket, *args], capture_output=True, text=True, check=True)
    return done.stdout


def test_status_in_a_real_terminal_matches_the_recording(history: History) -> None:
    """Typed in an 80-column tmux pane, `sop status` shows every line of the recording, colours aside."""
    assert SOP is not None
    socket = f"sop-test-{os.getpid()}"
    start, marker = "--- sop starts ---", "--- sop finished ---"
    command = (
        f"cd {shlex.quote(str(history.root))} && echo '{start}' && "
        f"env -u COLUMNS -u NO_COLOR SOP_NOW={NOW} SOP_USER=nanthana SOP_LANG=th {shlex.quote(SOP)} status; "
        f"echo '{marker}'"
    )
    _tmux(socket, "new-session", "-d", "-s", "sop", "-x", "80", "-y", "200", "bash --norc --noprofile")
    try:
        _tmux(socket, "send-keys", "-t", "sop", command, "Enter")
        deadline = time.monotonic() + 30
        screen = ""
        while time.monotonic() < deadline:
            screen = _tmux(socket, "capture-pane", "-p", "-t", "sop", "-S", "-300")
            if re.search(rf"^{marker}$", screen, re.MULTILINE):
                break
            time.sleep(0.2)
        assert re.search(rf"^{marker}$", screen, re.MULTILINE), screen
    finally:
        _tmux(socket, "kill-server")
    found = re.search(rf"^{start}\n(.*?)\n{marker}$", screen, re.MULTILINE | re.DOTALL)
    assert found, screen
    shown = found.group(1).splitlines()
    recorded = (PROJECT / "tests" / "data" / "terminal" / "status-80.txt").read_text(encoding="utf-8").splitlines()
    assert [history.text(line).rstrip() for line in shown] == [line.rstrip() for line in recorded]
