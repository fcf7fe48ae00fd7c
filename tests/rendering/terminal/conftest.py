"""A year of work to draw: one history built once, and `sop` run in-process on it at a fixed width."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sop_cli.cli import main
from tests.conftest import PROJECT

NOW = "2026-11-25T09:00:00"
EVIDENCE_URL = "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOpQrStUvWxYz"

# The history every drawing test reads: procedure 2 through a rejected and an approved round,
# procedure 1 with a scheduled visit and a note with a link, procedure 10 at step 10, the rest
# started. Each command records one event, a minute after the previous one, so that the order of
# the log is fixed; event and run ids are random: `History.text` replaces them with fixed ones.
SCRIPT: list[list[str]] = [
    ["start", "2"],
    ["advance", "2", "--note", "ศึกษาบทบาทและตัวชี้วัดแล้ว"],
    ["note", "2", "--step", "1", "--hours", "6"],
    *[["advance", "2"] for _ in range(6)],
    ["advance", "2", "--reject", "--reason", "กศจ. ให้ปรับตัวชี้วัดให้ตรงบริบทจังหวัด"],
    ["advance", "2", "--note", "ปรับแผนตามข้อเสนอแนะ"],
    ["note", "2", "--step", "7", "--hours", "1"],
    ["advance", "2"],
    ["start", "1"],
    ["schedule", "1", "--event", "inspection_visit", "--date", "2570-02-15"],
    ["note", "1", "โทรประสาน สพป.ชร.1 แล้ว"],
    ["note", "1", "--hours", "1.5"],
    ["note", "1", "--evidence", EVIDENCE_URL],
    *[["start", str(n)] for n in range(3, 15)],
    *[["advance", "10"] for _ in range(6)],
    ["advance", "10", "--approve"],  # step 7 is the committee's decision (drawn in the flowchart)
    *[["advance", "10"] for _ in range(2)],
]


@dataclass(frozen=True)
class Drawn:
    """What one command printed."""

    code: int
    out: str
    err: str


def run_sop(root: Path, args: list[str], width: int = 100, lang: str = "th", **env: str) -> Drawn:
    """Run `sop ARGS` in-process in `root` with a terminal `width` cells wide, in `lang`."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("SOP_ROOT", "NO_COLOR", "FORCE_COLOR"):
            patch.delenv(name, raising=False)
        values = {"COLUMNS": str(width), "SOP_NOW": NOW, "SOP_USER": "nanthana", "SOP_LANG": lang, **env}
        for name, value in values.items():
            patch.setenv(name, value)
        patch.chdir(root)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    return Drawn(code, out.getvalue(), err.getvalue())


@dataclass(frozen=True)
class History:
    """The workspace of the drawn year and the random ids to hide."""

    root: Path
    ids: dict[str, str]

    def text(self, drawn: str) -> str:
        """`drawn` with every random id replaced by a fixed one of the same width."""
        return re.sub("|".join(map(re.escape, self.ids)), lambda m: self.ids[m.group()], drawn) if self.ids else drawn


@pytest.fixture(scope="package")
def history(tmp_path_factory: pytest.TempPathFactory) -> Iterator[History]:
    """The history of SCRIPT in a fresh workspace, built once for all the drawing tests."""
    import json

    root = tmp_path_factory.mktemp("drawn") / "office"
    shutil.copytree(PROJECT / "sops", root / "sops")
    shutil.copytree(PROJECT / "calendar", root / "calendar")
    (root / "records").mkdir()
    for minute, args in enumerate(SCRIPT):
        done = run_sop(root, args, lang="en", SOP_NOW=f"2026-11-25T{8 + minute // 60:02d}:{minute % 60:02d}:00")
        assert done.code == 0, (args, done.err)
    events = json.loads(run_sop(root, ["log", "--format", "json"], lang="en").out)
    ids: dict[str, str] = {}
    events.sort(key=lambda e: str(e["at"]))  # the order of SCRIPT
    runs = list(dict.fromkeys(e["run"] for e in events))
    for n, run in enumerate(runs, start=1):
        ids[run] = f"run{n:03d}"[: len(run)].ljust(len(run), "0")
    for n, event in enumerate(events, start=1):
        ids[event["event"]] = f"ev{n:06d}"[: len(event["event"])].ljust(len(event["event"]), "0")
    yield History(root, ids)


Draw = Callable[..., Drawn]
