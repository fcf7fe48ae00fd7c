"""`sop report --period year` on a workspace with 5,000 event files, cold and warm.

    .venv/bin/python bench/report.py [--events 5000] [--runs 5]

"cold" removes sop's cache folder (SOP_CACHE_DIR) before the run; "warm" keeps it. Target
(issue 6): under 5 s; it fails beyond the machine's noise (bench/measure.py).
"""

from __future__ import annotations

import shutil
import statistics
import sys
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Verdicts, arguments, office, run_ms, sop_executable

TARGET_MS = 5000.0
NOW = "2027-09-30T17:00"


def main() -> None:
    """Build the history, then measure cold and warm runs."""
    parser = arguments(__doc__, 5)
    options = parser.parse_args()
    sop = sop_executable()
    with office(options.events, SOP_NOW=NOW) as bench:
        home, root, count, env = bench.home, bench.root, bench.count, bench.env
        out = home / "report.docx"
        args = [sop, "report", "--fy", "2570", "--period", "year", "--force", "--out", str(out)]
        cold = []
        for _ in range(options.runs):
            shutil.rmtree(home / "cache", ignore_errors=True)
            cold.append(run_ms(args, root, env))
        warm = [run_ms(args, root, env) for _ in range(options.runs)]
        size = out.stat().st_size
    what = f"sop report --period year on {count} events ({size // 1024} KB)"
    print(f"{what}, medians of {options.runs} runs")
    verdicts = Verdicts()
    verdicts.at_most(f"{what}, cold", statistics.median(cold), TARGET_MS, "ms")
    verdicts.at_most(f"{what}, warm", statistics.median(warm), TARGET_MS, "ms")
    verdicts.finish()


if __name__ == "__main__":
    main()
