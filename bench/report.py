"""Print the median wall time of `sop report --period year` on a workspace with 5,000 event files.

    .venv/bin/python bench/report.py [--events 5000] [--runs 5]

Runs the installed `sop report` in the workspace built by bench/history.py. "cold" removes sop's cache
(.sop-cache/) before each run; "warm" keeps it. Target (issue 6): under 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import build
from startup import sop_executable

NOW = "2027-09-30T17:00"


def command(out: Path) -> list[str]:
    """The `sop report` command line measured."""
    return [sop_executable(), "report", "--fy", "2570", "--period", "year", "--force", "--out", str(out)]


def timed(args: list[str], cwd: Path) -> float:
    """Wall time of one run in seconds."""
    env = {**os.environ, "NO_COLOR": "1", "SOP_NOW": NOW}
    env.pop("SOP_ROOT", None)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    """Build the history, then measure cold and warm runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "office"
        count = build(root, options.events)
        args = command(Path(tmp) / "report.docx")
        cold = []
        for _ in range(options.runs):
            shutil.rmtree(root / ".sop-cache", ignore_errors=True)
            cold.append(timed(args, root))
        warm = [timed(args, root) for _ in range(options.runs)]
        size = (Path(tmp) / "report.docx").stat().st_size
    how = "sop report"
    print(f"{how} --period year on {count} events ({size // 1024} KB), cold: median {statistics.median(cold):5.2f} s")
    print(f"{how} --period year on {count} events ({size // 1024} KB), warm: median {statistics.median(warm):5.2f} s")
    print("target < 5 s")


if __name__ == "__main__":
    main()
