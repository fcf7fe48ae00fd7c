"""A workspace with known events for the people's commands: who holds what on 25 Nov 2026 (FY 2570)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.people.smtp import smtp_server  # noqa: F401 - the fixture, for the tests of this folder

Run = Callable[..., Result]


def record(sop: Run, ws: Workspace, *args: str) -> Result:
    """Run one `sop` command in `ws` that must succeed."""
    done = sop(*args, cwd=ws.root)
    assert done.code == ExitCode.OK, f"sop {' '.join(args)}: {done.err}"
    return done


@pytest.fixture
def busy(office: Workspace, sop: Run) -> Workspace:
    """Procedure 1 started with its coordination meeting (20 Nov) and inspection visit (10 Dec) dated;
    procedure 2 at its decision step 8 after seven steps done by saowalak.

    On 25 Nov 2026 this gives, for the four supervisors of procedures 1 and 2 (days counted by hand
    in calendar/holidays.yaml): ๖.๑ due 13 Nov (a week before the meeting), 8 working days late;
    ๖.๕ due 25 Nov, 10 working days before 10 Dec (7 Dec, the substitution day of 5 Dec, and 10
    Dec itself are days off), 0 left; ๖.๔ due 30 Nov, 7 working days before, 3 left.
    """
    record(sop, office, "start", "1", "--date", "2569-11-02")
    record(sop, office, "schedule", "1", "--event", "coordination_meeting", "--date", "2569-11-20")
    record(sop, office, "schedule", "1", "--event", "inspection_visit", "--date", "2569-12-10")
    record(sop, office, "start", "2", "--date", "2569-11-02")
    for day in ("03", "04", "05", "06", "09", "10", "11"):
        record(sop, office, "advance", "2", "--date", f"2569-11-{day}", "--by", "saowalak")
    return office
