"""`sop todo` on 5,000 events against `sop status` on the same history, both warm.

    .venv/bin/python bench/todo.py [--events 5000] [--runs 11]

Target (issue 15): a warm `sop todo` takes at most 1.3 × a warm `sop status`, measured in the
same run, the commands taking turns; right after a `sop note`, at most 1.3 × `sop status` right
after one too (one procedure's duties are computed again).
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Verdicts, arguments, interleaved, office, run_ms, sop_executable


def main() -> None:
    """Build the history, then measure."""
    parser = arguments(__doc__, 11)
    options = parser.parse_args()
    sop = sop_executable()
    with office(options.events) as bench:
        root, count, env = bench.root, bench.count, bench.env
        run = next(p.name[3:] for p in sorted((root / "records" / "2570").iterdir()) if p.name.startswith("05-"))

        def status() -> float:
            return run_ms([sop, "status"], root, env)

        def todo() -> float:
            return run_ms([sop, "todo"], root, env)

        def note() -> None:
            run_ms([sop, "note", "5", "ประสานงานแล้ว", "--run", run], root, env)

        def status_after_note() -> float:
            note()
            return status()

        def todo_after_note() -> float:
            note()
            return todo()

        status(), todo()  # warm both caches
        medians = interleaved(options.runs, status=status, todo=todo)
        after = interleaved(max(3, options.runs // 2), status=status_after_note, todo=todo_after_note)
    print(f"sop todo on {count} events (medians of {options.runs} runs)")
    print(f"  warm: status {medians['status']:.0f} ms, todo {medians['todo']:.0f} ms; ", end="")
    print(f"after a note: status {after['status']:.0f} ms, todo {after['todo']:.0f} ms")
    verdicts = Verdicts()
    verdicts.at_most("warm todo / warm status", medians["todo"] / medians["status"], 1.3, "×")
    verdicts.at_most("todo after a note / status after a note", after["todo"] / after["status"], 1.3, "×")
    verdicts.finish()


if __name__ == "__main__":
    main()
