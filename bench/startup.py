"""Print the median wall time of `sop list` and `sop --help` in the installed environment.

Run with the interpreter of the environment where sop is installed:
    .venv/bin/python bench/startup.py [--runs 21]
Target (issue 2): `sop list` under 250 ms median on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def sop_executable() -> str:
    """The `sop` script installed next to this interpreter (not a pyenv shim)."""
    found = shutil.which("sop", path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit("sop is not installed next to this Python; run: pip install -e .")
    return found


def median_ms(args: list[str], runs: int) -> float:
    """Median wall time of running `args` in the project workspace, in milliseconds."""
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("SOP_ROOT", None)
    subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, check=True)  # warm the caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, cwd=PROJECT, env=env, capture_output=True, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    """Measure and print one line per command."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    runs = parser.parse_args().runs
    sop = sop_executable()
    for label, args, target in (
        ("sop list", [sop, "list"], 250.0),
        ("sop --help", [sop, "--help"], None),
    ):
        ms = median_ms(args, runs)
        verdict = "" if target is None else (f"  (target < {target:.0f} ms: {'ok' if ms < target else 'SLOW'})")
        print(f"{label:<12} median {ms:6.1f} ms over {runs} runs{verdict}")


if __name__ == "__main__":
    main()
