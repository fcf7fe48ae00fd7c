"""`sop note` and `sop advance` on 5,000 events against the same commands on an empty workspace.

    .venv/bin/python bench/write.py [--events 5000] [--runs 9]

Target (issue 9): at most 1.2 × the empty workspace, measured in the same run: an append reads
and replays the run it writes to, never the rest of the year.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from history import PROJECT, build
from measure import Verdicts, environment, interleaved, run_ms, sop_executable

NUMBER = "8"  # fifteen steps, a decision among them


def _open_run(sop: str, root: Path, env: dict[str, str], run: str | None = None) -> tuple[str, int]:
    """(run id, current step) of procedure 8's run (its only one, or `run`); step 0 when it is finished."""
    args = [sop, "status", NUMBER, "--format", "json", *(["--run", run] if run else [])]
    timeline = json.loads(subprocess.run(args, cwd=root, env=env, capture_output=True).stdout)
    current = next((s["number"] for s in timeline["steps"] if s["state"] == "current"), 0)
    return timeline["run"], current


def _new_run(sop: str, root: Path, env: dict[str, str], label: str) -> str:
    """Start another run of procedure 8 labelled `label`; its id."""
    run_ms([sop, "start", NUMBER, "--label", label], root, env)
    listed = subprocess.run([sop, "status", "--format", "json"], cwd=root, env=env, capture_output=True)
    rows = json.loads(listed.stdout)
    return str(next(r["run"] for r in rows if r["procedure"] == int(NUMBER) and r["label"] == label))


def main() -> None:
    """Build both workspaces, then measure each command on both, taking turns."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    options = parser.parse_args()
    sop = sop_executable()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        full = home / "full" / "office"
        count = build(full, options.events)
        empty = home / "empty" / "office"
        empty.mkdir(parents=True)
        for part in ("sops", "calendar"):
            shutil.copytree(PROJECT / part, empty / part)
        envs = {root: environment(root.parent) for root in (empty, full)}
        run_ms([sop, "start", NUMBER], empty, envs[empty])
        state = {root: _open_run(sop, root, envs[root]) for root in (empty, full)}
        steps = {root: state[root][1] for root in (empty, full)}

        def note(root: Path) -> float:
            return run_ms([sop, "note", NUMBER, "ประสานงานแล้ว", "--run", state[root][0]], root, envs[root])

        shown = subprocess.run(
            [sop, "show", NUMBER, "--format", "json"], cwd=empty, env=envs[empty], capture_output=True
        )
        rows = json.loads(shown.stdout)["rows"]
        decisions = {step["number"] for row in rows for step in row["steps"] if step["decision"]}

        def advance(root: Path) -> float:
            if steps[root] == 0:  # the run is finished: the next measures go to a new run
                run = _new_run(sop, root, envs[root], f"bench {len(extra)}")
                extra.append(run)
                state[root] = (run, 1)
                steps[root] = 1
            step = steps[root]
            args = [sop, "advance", NUMBER, "--run", state[root][0], "--step", str(step)]
            elapsed = run_ms(args + (["--approve"] if step in decisions else []), root, envs[root])
            # The next step is the run's, not step + 1: an approval may pass over a conditional step.
            steps[root] = _open_run(sop, root, envs[root], state[root][0])[1]
            return elapsed

        extra: list[str] = []
        note(empty), note(full)  # warm the caches
        runs = options.runs  # a finished run of procedure 8 is followed by a new one
        medians = interleaved(
            runs,
            note_empty=lambda: note(empty),
            note_full=lambda: note(full),
            advance_empty=lambda: advance(empty),
            advance_full=lambda: advance(full),
        )
    print(f"writes on an empty workspace and on {count} events (medians of {runs} runs, ms)")
    for name in ("note", "advance"):
        print(f"  sop {name}: empty {medians[f'{name}_empty']:.0f}, full {medians[f'{name}_full']:.0f}")
    verdicts = Verdicts()
    for name in ("note", "advance"):
        ratio = medians[f"{name}_full"] / medians[f"{name}_empty"]
        verdicts.at_most(f"sop {name} on {count} events / on an empty workspace", ratio, 1.2, "×")
    verdicts.finish()


if __name__ == "__main__":
    main()
