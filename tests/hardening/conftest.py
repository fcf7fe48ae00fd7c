"""Run the installed `sop` as a real process, with a time limit: a hostile file must never hang it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace

Proc = subprocess.CompletedProcess[str]
RunSop = Callable[..., Proc]


def sop_command() -> list[str]:
    """The installed `sop` of this interpreter's environment, else `python -m sop_cli`."""
    found = shutil.which("sop", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "sop_cli"]


@pytest.fixture
def run_sop(office: Workspace) -> RunSop:
    """Run `sop ARGS` in a process in the office workspace (or `cwd`), killed after `timeout` seconds."""

    def run(*args: str, cwd: Path | None = None, timeout: float = 60) -> Proc:
        env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
        env.pop("SOP_ROOT", None)
        return subprocess.run(
            [*sop_command(), *args],
            cwd=cwd or office.root,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
            env=env,
        )

    return run


def run_folder(ws: Workspace, procedure: int) -> Path:
    """The one run folder of `procedure` in fiscal year 2570."""
    (folder,) = (ws.records / "2570").glob(f"{procedure:02d}-*")
    return folder


def event_file(ws: Workspace, procedure: int, kind: str) -> Path:
    """The last event file of `procedure` whose type is `kind`."""
    files = sorted((run_folder(ws, procedure) / "events").glob("*.yaml"))
    return [p for p in files if f'type: "{kind}"' in p.read_text(encoding="utf-8")][-1]
