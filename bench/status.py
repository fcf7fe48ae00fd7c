"""`sop status` on 5,000 events: warm against a minimal typer + rich program, right after a write, cold.

    .venv/bin/python bench/status.py [--events 5000] [--runs 11]

Targets (issue 9): warm at most 1.3 × the floor program (bench/floor.py) measured in the same
run; right after a `sop note`, at most 1.3 × warm (a change to one run keeps the cache of the
others); cold (no cache) under 2 s.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Verdicts, arguments, interleaved, office, run_ms, sop_executable

FLOOR = Path(__file__).resolve().parent / "floor.py"


def main() -> None:
    """Build the history, then measure."""
    parser = arguments(__doc__, 11)
    options = parser.parse_args()
    sop = sop_executable()
    with office(options.events) as bench:
        home, root, count, env = bench.home, bench.root, bench.count, bench.env
        run = next(p.name[3:] for p in sorted((root / "records" / "2570").iterdir()) if p.name.startswith("05-"))

        def status() -> float:
            return run_ms([sop, "status"], root, env)

        def floor() -> float:
            return run_ms([sys.executable, str(FLOOR)], root, env)

        def after_write() -> float:
            run_ms([sop, "note", "5", "ประสานงานแล้ว", "--run", run], root, env)
            return status()

        def cold() -> float:
            shutil.rmtree(home / "cache", ignore_errors=True)
            return status()

        status()  # warm the cache
        medians = interleaved(options.runs, floor=floor, warm=status, after_write=after_write)
        cold_ms = interleaved(max(3, options.runs // 3), cold=cold)["cold"]
    print(f"sop status on {count} events (medians of {options.runs} runs)")
    print(f"  floor (typer + rich, 14 rows) {medians['floor']:.0f} ms, warm {medians['warm']:.0f} ms, ", end="")
    print(f"after a note {medians['after_write']:.0f} ms, cold {cold_ms:.0f} ms")
    verdicts = Verdicts()
    verdicts.at_most("warm status / floor program", medians["warm"] / medians["floor"], 1.3, "×")
    verdicts.at_most("status right after a note / warm status", medians["after_write"] / medians["warm"], 1.3, "×")
    verdicts.at_most("cold status", cold_ms, 2000, "ms")
    verdicts.finish()


if __name__ == "__main__":
    main()
