"""Print the median time of `sop sync` with nothing to do and of claiming a number, against a local bare repository.

Run with the interpreter of the environment where sop is installed:
    .venv/bin/python bench/sync.py [--runs 7]
Targets (issue 11): each at most 1 s; the script fails when a median is more than 20 % above.
The server has sop's pre-receive hook, as `sop init --server` installs it: every claim pays for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TARGET_MS = 1000.0
TOLERANCE = 1.2
BANGKOK = dt.timezone(dt.timedelta(hours=7))


def sop_executable() -> str:
    """The `sop` script installed next to this interpreter (not a pyenv shim)."""
    found = shutil.which("sop", path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit("sop is not installed next to this Python; run: pip install -e .")
    return found


def office(root: Path, sop: str, env: dict[str, str]) -> Path:
    """A new office repository on a bare server in `root`, and one person's copy of it; return the copy."""
    server = root / "server" / "office.git"
    first, copy = root / "first", root / "copy"
    for args in (
        [sop, "init", str(first), "--from", str(PROJECT), "--user", "nanthana", "--server", str(server)],
        [sop, "join", str(server), str(copy), "--user", "saowalak"],
    ):
        subprocess.run(args, cwd=root, env=env, capture_output=True, check=True)
    subprocess.run([sop, "start", "3"], cwd=copy, env={**env, "SOP_USER": "saowalak"}, capture_output=True, check=True)
    subprocess.run([sop, "sync"], cwd=copy, env={**env, "SOP_USER": "saowalak"}, capture_output=True, check=True)
    return copy


def time_sync(copy: Path, sop: str, env: dict[str, str], runs: int) -> list[float]:
    """Wall time of `sop sync` with nothing to do, in milliseconds, `runs` times."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        english = {**env, "SOP_LANG": "en"}  # the check below reads the English sentence
        done = subprocess.run([sop, "sync"], cwd=copy, env=english, capture_output=True, text=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
        assert "nothing to send or receive" in done.stdout, done.stdout
    return times


def time_claims(copy: Path, runs: int) -> list[float]:
    """Time of `push_claim` of a new register entry (commit, push, the server's hook), in milliseconds."""
    from sop_cli.models.register import RegisterEntry, Series
    from sop_cli.storage.git import Author, ClaimOutcome, push_claim
    from sop_cli.storage.register import next_number, write_entry
    from sop_cli.workspace import Workspace

    ws = Workspace(copy)
    author = Author("เสาวลักษณ์ นันไชยบัว", "saowalak@users.sop.invalid")
    times = []
    for _ in range(runs):
        number = next_number(ws, Series.outgoing, 2569)
        entry = RegisterEntry(
            schema_version=1,
            series=Series.outgoing,
            year=2569,
            number=number,
            printed=f"ศธ ๐๒๘๘/{number}",
            kind="memo",
            subject="ทดสอบความเร็ว",
            issued=dt.date(2026, 11, 25),
            at=dt.datetime(2026, 11, 25, 9, 0, tzinfo=BANGKOK),
            by="saowalak",
            procedure=3,
            document=str(copy.parent / "outside.docx"),
            sha256="0" * 64,
            size=0,
        )
        path = write_entry(ws, entry)
        start = time.perf_counter()
        claim = push_claim(ws, [path], f"จองเลข {number}\n", author)
        times.append((time.perf_counter() - start) * 1000)
        assert claim.outcome is ClaimOutcome.CLAIMED, claim
    return times


def verdict(label: str, times: list[float]) -> bool:
    """Print one line for a measurement; say whether it is within the tolerance of the target."""
    median = statistics.median(times)
    within = median <= TARGET_MS * TOLERANCE
    state = "ok" if median <= TARGET_MS else ("within 20 %" if within else "TOO SLOW")
    print(f"{label:<28} median {median:6.0f} ms over {len(times)} runs  (target ≤ {TARGET_MS:.0f} ms: {state})")
    return within


def main() -> None:
    """Build an office on a local bare repository, measure, print, and fail when too slow."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    sop = sop_executable()
    with tempfile.TemporaryDirectory(prefix="sop-bench-sync-") as scratch:
        root = Path(scratch)
        config = root / "gitconfig"
        config.write_text("", encoding="utf-8")
        env = {**os.environ, "NO_COLOR": "1", "GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}
        env.pop("SOP_ROOT", None)
        os.environ.update({"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"})
        copy = office(root, sop, env)
        good = verdict("sop sync (nothing to do)", time_sync(copy, sop, {**env, "SOP_USER": "saowalak"}, runs))
        good &= verdict("push_claim (a number)", time_claims(copy, runs))
    if not good:
        sys.exit(1)


if __name__ == "__main__":
    main()
