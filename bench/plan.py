"""`sop plan` on 5,000 events: the terminal summary, the workbook and the page, each under 3 s.

    .venv/bin/python bench/plan.py [--events 5000] [--runs 5]

Target (issue 15): `sop plan` under 3 s, cold (no cache: the plan reads every run of the year)
and for each output.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Verdicts, arguments, interleaved, office, run_ms, sop_executable


def main() -> None:
    """Build the history, then measure."""
    parser = arguments(__doc__, 5)
    options = parser.parse_args()
    sop = sop_executable()
    with office(options.events) as bench:
        home, root, count, env = bench.home, bench.root, bench.count, bench.env
        out = home / "out"
        out.mkdir()

        def summary() -> float:
            shutil.rmtree(home / "cache", ignore_errors=True)
            return run_ms([sop, "plan"], root, env)

        def workbook() -> float:
            return run_ms([sop, "plan", "--out", str(out / "plan.xlsx"), "--force"], root, env)

        def page() -> float:
            return run_ms([sop, "plan", "--out", str(out / "plan.html"), "--force"], root, env)

        medians = interleaved(options.runs, summary=summary, xlsx=workbook, html=page)
    print(f"sop plan on {count} events (medians of {options.runs} runs)")
    verdicts = Verdicts()
    verdicts.at_most("sop plan, the terminal summary, cold", medians["summary"], 3000, "ms")
    verdicts.at_most("sop plan --out plan.xlsx", medians["xlsx"], 3000, "ms")
    verdicts.at_most("sop plan --out plan.html", medians["html"], 3000, "ms")
    verdicts.finish()


if __name__ == "__main__":
    main()
