"""The office simulation, bigger than the test suite's: people working and syncing at random, in step at the end.

    .venv/bin/python bench/simulation.py [--people 14] [--steps 300] [--seed 2570]

It runs tests/sharing/test_simulation.py (real clones of a bare repository, real `sop` commands:
start, advance, note, memo, void and sync, with offline spells) with more people and steps, and
prints its wall time and the time per step. It fails when the simulation does not end with every
copy identical, `sop check` green, every event present and no number twice (the test's own
checks), or when a step takes more than 2 s on average (about 0.2 s on the 2-core machine).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Verdicts

PROJECT = Path(__file__).resolve().parent.parent
TARGET_MS_PER_STEP = 2000.0


def main() -> None:
    """Run the simulation once with the sizes asked for."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=14)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--seed", type=int, default=2570)
    options = parser.parse_args()
    env = {
        **os.environ,
        "SOP_SIMULATION_PEOPLE": str(options.people),
        "SOP_SIMULATION_STEPS": str(options.steps),
        "SOP_SIMULATION_SEED": str(options.seed),
    }
    test = "tests/sharing/test_simulation.py"
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test], cwd=PROJECT, env=env, check=False
    )
    elapsed = time.perf_counter() - start
    print(f"simulation of {options.people} people, {options.steps} steps (seed {options.seed}): {elapsed:.1f} s")
    if done.returncode != 0:
        sys.exit("the simulation did not end in step: see the test's output above")
    verdicts = Verdicts()
    verdicts.at_most("time per step", elapsed * 1000 / options.steps, TARGET_MS_PER_STEP, "ms")
    verdicts.finish()


if __name__ == "__main__":
    main()
