"""Print the median wall time of `sop status` on a workspace with 5,000 event files.

    .venv/bin/python bench/status.py [--events 5000] [--runs 11]

"cold" removes sop's cache (.sop-cache/) before each run, so every event file is read and
validated; "warm" runs with the cache in place. Targets (issue 3): warm under 300 ms, cold under 2 s.
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


def timed(args: list[str], cwd: Path) -> float:
    """Wall time of one run in milliseconds."""
    env = {**os.environ, "NO_COLOR": "1", "SOP_NOW": "2027-03-01T09:00"}
    env.pop("SOP_ROOT", None)
    start = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, capture_output=True, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Build the history, then measure cold and warm runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    sop = sop_executable()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "office"
        count = build(root, options.events)
        cold = []
        for _ in range(options.runs):
            shutil.rmtree(root / ".sop-cache", ignore_errors=True)
            cold.append(timed([sop, "status"], root))
        timed([sop, "status"], root)
        warm = [timed([sop, "status"], root) for _ in range(options.runs)]
    print(f"sop status on {count} events, cold: median {statistics.median(cold):7.1f} ms  (target < 2000 ms)")
    print(f"sop status on {count} events, warm: median {statistics.median(warm):7.1f} ms  (target < 300 ms)")


if __name__ == "__main__":
    main()
