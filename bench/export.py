"""Print the median wall time of the xlsx export on a workspace with 5,000 event files.

    .venv/bin/python bench/export.py [--events 5000] [--runs 5] [--format xlsx]

Each run is the installed `sop export` in the workspace built by bench/history.py. "cold" removes sop's cache
(.sop-cache/) before the run; "warm" keeps it. Target (issue 6): under 5 s.
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

TARGET_MS = 5000.0


def timed(root: Path, fmt: str) -> float:
    """Wall time of one export in a new process, in milliseconds."""
    env = {**os.environ, "NO_COLOR": "1", "SOP_NOW": "2027-03-01T09:00"}
    env.pop("SOP_ROOT", None)
    args = [sop_executable(), "export", "--fy", "2570", "--format", fmt, "--out", str(root / "out"), "--force"]
    start = time.perf_counter()
    subprocess.run(args, cwd=root, env=env, capture_output=True, check=True)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    """Build the history, then measure cold and warm exports."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", default="xlsx", choices=["csv", "xlsx", "json", "html"])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "office"
        count = build(root, options.events)
        (root / "out").mkdir()
        cold = []
        for _ in range(options.runs):
            shutil.rmtree(root / ".sop-cache", ignore_errors=True)
            cold.append(timed(root, options.format))
        warm = [timed(root, options.format) for _ in range(options.runs)]
        written = sorted(p.name for p in (root / "out").iterdir())
    what = f"export --format {options.format} on {count} events"
    print(f"{what}, cold: median {statistics.median(cold):7.1f} ms  (target < {TARGET_MS:.0f} ms)")
    print(f"{what}, warm: median {statistics.median(warm):7.1f} ms  (target < {TARGET_MS:.0f} ms)")
    print(f"wrote {', '.join(written)}")


if __name__ == "__main__":
    main()
