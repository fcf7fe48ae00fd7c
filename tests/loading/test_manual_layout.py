"""The new parts of a procedure file (decision kinds, cycles, layout, questions) are checked in place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Result
from tests.loading.test_bad_input import PROC_PATH, PROCEDURE, make_workspace  # noqa: F401 (fixture)

# The base text of tests/loading/test_bad_input.py: step 2 decides (reject_to 1, approve_to 3).
REVISE = PROCEDURE.replace(
    "          reject_to: 1\n          approve_to: 3", "          kind: revise\n          revise: 1"
)


def _edit(old: str, new: str, base: str = PROCEDURE) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


CASES: list[tuple[str, str, str]] = [
    (
        "revise with reject_to",
        _edit("          reject_to: 1\n", "          kind: revise\n          reject_to: 1\n"),
        ":28:11: rows[0].steps[1].decision: a decision of kind revise continues after the revision: "
        "give revise, not reject_to",
    ),
    (
        "resubmit without reject_to",
        _edit("          reject_to: 1\n", ""),
        ":28:11: rows[0].steps[1].decision: a resubmitting decision needs reject_to",
    ),
    (
        "revise a missing step",
        _edit("          revise: 1", "          revise: 0", REVISE),
        ":31:19: rows[0].steps[1].decision.revise: must be at least 1",
    ),
    (
        "revise after the decision without approve_to",
        _edit("          revise: 1", "          revise: 3", REVISE),
        ":25:9: rows[0].steps[1]: a revision after the decision (step 3) needs approve_to beyond it",
    ),
    (
        "unknown decision kind",
        _edit("          revise: 1", "          revise: 1\n          source: rumour", REVISE),
        ":32:19: rows[0].steps[1].decision.source: must be one of 'text', 'flowchart' or 'standard', got 'rumour'",
    ),
    (
        "a part twice",
        _edit("short_title: ทดสอบ\n", "short_title: ทดสอบ\nsections: [objectives, objectives]\n"),
        ":1:1: (top level): sections must list each part once",
    ),
    (
        "an unknown heading",
        _edit("short_title: ทดสอบ\n", "short_title: ทดสอบ\nheadings: {preface: คำนำ}\n"),
        ":4:21: headings.preface.[key]: must be one of 'objectives', 'scope',",
    ),
    (
        "per_cycle without cycles",
        _edit("  - text: มาตรฐาน\n", "  - text: มาตรฐาน\n    per_cycle: true\n"),
        ":1:1: (top level): per_cycle needs the procedure's cycles",
    ),
    (
        "cycles repeat a missing step",
        PROCEDURE + "cycles: {ref: '๒.๒', months: [2, 8], first_step: 3, last_step: 9}\n",
        ":43:64: cycles.last_step: the cycles repeat step 9, which does not exist",
    ),
    (
        "cycles out of order",
        PROCEDURE + "cycles: {ref: '๒.๒', months: [8, 2]}\n",
        ":43:9: cycles: list the months of the cycles in fiscal-year order (October first), each once",
    ),
    (
        "a round both dated and in quarters",
        _edit("{name: ๖ เดือน, quarters: [1, 2]}", "{name: สิ้นปีการศึกษา, quarters: [2], at: academic_year_end}"),
        ":42:7: monitoring.rounds[0]: give a round either quarters or at, not both and not neither",
    ),
    (
        "a timing that anchors on a missing step",
        _edit(
            "  - text: มาตรฐาน\n",
            "  - text: มาตรฐาน\n    timing: {kind: before_event, event: meeting, days: 7, step: 9}\n",
        ),
        ":39:65: standards[0].timing.step: the timing rule refers to step 9, which does not exist",
    ),
    (
        "two timings with one ref",
        PROCEDURE
        + "timings:\n  - {ref: '๑๐', text: ก, timing: {kind: each_quarter}}\n"
        + "  - {ref: '๑๐', text: ข, timing: {kind: each_month}}\n",
        ":45:11: timings[1].ref: the ref ๑๐ is also the ref of another deadline",
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_layout_and_decision_mistakes_are_placed(
    make_workspace: Callable[[str | bytes], Path],  # noqa: F811 (the fixture imported above)
    sop: Callable[..., Result],
    name: str,
    text: str,
    expected: str,
) -> None:
    """`sop check` names the file, line and column of each mistake in the new parts, exit 1."""
    root = make_workspace(text)
    result = sop("check", cwd=root)
    assert result.code == 1
    assert f"{PROC_PATH}{expected}" in result.err, result.err
    assert "Traceback" not in result.err


def test_the_new_parts_validate_when_right(
    make_workspace: Callable[[str | bytes], Path],  # noqa: F811
    sop: Callable[..., Result],
) -> None:
    """A revise decision, cycles, a layout and a dated round all written right: `sop check` is green."""
    text = REVISE + (
        "cycles: {ref: '๒.๒', months: [2, 8], first_step: 3, last_step: 3}\n"
        "headings: {scope: ขอบเขต}\n"
        "numbering: {objectives: plain}\n"
        "intros: {scope: ดังนี้}\n"
        "notes: {steps: 'เอกสารอ้างอิง : แผน'}\n"
    )
    text = text.replace("{name: ๖ เดือน, quarters: [1, 2]}", "{name: สิ้นปีการศึกษา, at: academic_year_end}")
    result = sop("check", cwd=make_workspace(text))
    assert result.code == 0, result.err
