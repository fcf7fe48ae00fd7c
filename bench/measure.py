"""What every benchmark shares: the installed `sop`, an isolated environment, timing, and verdicts.

A target is missed when the number is worse than the target by more than the machine's noise
(NOISE, 20 %): the benchmark then prints FAIL and exits with 1, so that CI catches a regression.
Ratios are measured with the compared commands interleaved in the same run, so that a busy
machine slows both sides alike.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

NOISE = 0.20
NOW = "2027-03-01T09:00"  # fiscal year 2570, after the bench history's events


def sop_executable() -> str:
    """The `sop` script installed next to this interpreter (not a pyenv shim), its code compiled.

    An office computer runs sop from bytecode: pip compiles an installed package, and an editable
    one writes its `__pycache__` on the first run. A machine with PYTHONDONTWRITEBYTECODE set (CI
    images often are) would instead compile sop's ~100 modules on every run, about 30 ms that no
    user pays, while typer and rich, installed by pip, come precompiled: compile sop once here.
    """
    found = shutil.which("sop", path=str(Path(sys.executable).parent))
    if found is None:
        sys.exit("sop is not installed next to this Python; run: pip install -e .")
    import compileall

    import sop_cli

    compileall.compile_dir(str(Path(sop_cli.__file__).parent), quiet=1)
    return found


def environment(home: Path, **extra: str) -> dict[str, str]:
    """An environment with a fixed clock and user, and cache and state folders of its own under `home`."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "SOP_NOW": NOW, "SOP_USER": "nanthana"}
    env["SOP_CACHE_DIR"] = str(home / "cache")
    env["SOP_STATE_DIR"] = str(home / "state")
    env.pop("SOP_ROOT", None)
    env.update(extra)
    return env


def run_ms(args: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall time of one run of `args`, in milliseconds (the command must succeed)."""
    start = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True)
    elapsed = (time.perf_counter() - start) * 1000
    if done.returncode != 0:
        sys.exit(f"{' '.join(args)} failed in {cwd}:\n{done.stderr.decode('utf-8', 'replace')}")
    return elapsed


def interleaved(runs: int, **jobs: Callable[[], float]) -> dict[str, float]:
    """Median of each job, the jobs taking turns so that a busy machine weighs on all of them."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for _ in range(runs):
        for name, job in jobs.items():
            times[name].append(job())
    return {name: statistics.median(values) for name, values in times.items()}


class Verdicts:
    """Targets checked in one benchmark; `finish()` exits with 1 if any was missed beyond the noise."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def at_most(self, label: str, value: float, target: float, unit: str = "") -> None:
        """Print `value` against `target` (lower is better)."""
        ok = value <= target * (1 + NOISE)
        shown = f"{value:.2f}{unit}" if unit == "×" else f"{value:.0f} {unit}".rstrip()
        aim = f"{target:.2f}{unit}" if unit == "×" else f"{target:.0f} {unit}".rstrip()
        state = "ok" if value <= target else ("ok (within the noise)" if ok else "FAIL")
        print(f"  {label:<58} {shown:>10}   target ≤ {aim}: {state}")
        if not ok:
            self.failed.append(label)

    def finish(self) -> None:
        """Exit with 1 when a target was missed."""
        if self.failed:
            print(f"missed: {', '.join(self.failed)}")
            sys.exit(1)


def arguments(doc: str, runs: int) -> argparse.ArgumentParser:
    """The options every benchmark on the bench history takes: --events and --runs (default `runs`)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=runs)
    return parser


@dataclass(frozen=True)
class Office:
    """The bench history's workspace: `root` under `home` (with its own cache and state), its events."""

    home: Path
    root: Path
    count: int
    env: dict[str, str]


@contextlib.contextmanager
def office(events: int, **env: str) -> Iterator[Office]:
    """A temporary workspace holding `events` events (bench/history.py), removed afterwards."""
    from history import build

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        root = home / "office"
        count = build(root, events)
        yield Office(home, root, count, environment(home, **env))
