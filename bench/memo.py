"""`sop memo` on the 5,000-event workspace: number taken, .docx written, registered, recorded.

    .venv/bin/python bench/memo.py [--events 5000] [--runs 7]

Target (issue 9): at most 0.5 s (median), beside `sop --help` measured in the same run to show
what the machine pays for any Python command.
"""

from __future__ import annotations

import sys
from pathlib import Path

# bench/ is a folder of scripts, not a package: import its neighbours by path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import Verdicts, arguments, interleaved, office, run_ms, sop_executable


def main() -> None:
    """Build the history, then issue memos of procedure 3 step 1."""
    parser = arguments(__doc__, 7)
    options = parser.parse_args()
    sop = sop_executable()
    with office(options.events) as bench:
        root, count, env = bench.root, bench.count, bench.env
        run_ms([sop, "memo", "3", "--step", "1"], root, env)  # warm the caches
        medians = interleaved(
            options.runs,
            help=lambda: run_ms([sop, "--help"], root, env),
            memo=lambda: run_ms([sop, "memo", "3", "--step", "1"], root, env),
        )
    print(f"sop memo on {count} events: median {medians['memo']:.0f} ms (sop --help {medians['help']:.0f} ms)")
    verdicts = Verdicts()
    verdicts.at_most("sop memo 3 --step 1", medians["memo"], 500, "ms")
    verdicts.finish()


if __name__ == "__main__":
    main()
