"""Build a workspace with a synthetic history of event files, for the benchmarks.

    .venv/bin/python bench/history.py DIR [--events 5000]

Copies the shipped procedures into DIR and writes records for fiscal year 2570: runs of all
fourteen procedures, with steps completed in order, decisions, notes, hours and links, written
through sop's own storage code so every file is a valid event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from pathlib import Path

from sop_cli.loading.catalog import load_catalog
from sop_cli.models.records import Event
from sop_cli.storage.records import _event_adapter, new_id, run_folder, write_event
from sop_cli.workspace import Workspace

PROJECT = Path(__file__).resolve().parent.parent
BANGKOK = dt.timezone(dt.timedelta(hours=7))
STAFF = ["nanthana", "saowalak", "thidarat", "saowapha", "kasemsan", "anurak", "kunjira"]


def build(root: Path, events: int, seed: int = 2570) -> int:
    """Create the workspace at `root` with about `events` event files; return how many were written."""
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(PROJECT / "sops", root / "sops")
    shutil.copytree(PROJECT / "calendar", root / "calendar")
    ws = Workspace(root)
    catalog = load_catalog(ws)
    clock = dt.datetime(2026, 10, 1, 8, 30, tzinfo=BANGKOK)
    written = 0
    # As in the office: two runs (the two inspection rounds) of procedures 1 and 2, one of the rest.
    runs_of = {number: 2 if number <= 2 else 1 for number in catalog.procedures}
    per_run = events // sum(runs_of.values())
    for number, proc in catalog.procedures.items():
        for r in range(runs_of[number]):
            run = new_id(6)
            folder = run_folder(ws, 2570, number, run)
            step_index = 0
            steps = proc.steps
            for i in range(per_run):
                clock += dt.timedelta(minutes=7)
                base = {
                    "schema_version": 1,
                    "id": new_id(),
                    "procedure": number,
                    "run": run,
                    "at": clock,
                    "date": clock.date(),
                    "by": rng.choice(STAFF),
                }
                if i == 0:
                    data = base | {"type": "started", "fy": 2570, "label": f"ชุด {r + 1}"}
                elif step_index < len(steps) - 1 and rng.random() < 0.02:
                    step = steps[step_index]
                    if step.decision is not None:
                        data = base | {"type": "decision", "step": step.number, "outcome": "approved"}
                    else:
                        data = base | {"type": "step_completed", "step": step.number, "note": "เรียบร้อย"}
                    step_index += 1
                elif rng.random() < 0.5:
                    data = base | {"type": "note", "text": f"ประสานงานครั้งที่ {i}"}
                elif rng.random() < 0.5:
                    data = base | {"type": "hours_logged", "hours": rng.choice([1, 2, 3.5, 6])}
                else:
                    url = f"https://drive.google.com/file/d/{new_id(16)}"
                    data = base | {"type": "evidence_added", "evidence": {"kind": "link", "url": url}}
                event: Event = _event_adapter().validate_python(data)
                write_event(folder, event)
                written += 1
    return written


def main() -> None:
    """Parse arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--events", type=int, default=5000)
    args = parser.parse_args()
    print(f"{build(args.dir, args.events)} events written under {args.dir}/records/2570")


if __name__ == "__main__":
    main()
