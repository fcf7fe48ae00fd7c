"""Every kind of broken file gets one placed message, exit 1, no traceback and nothing written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.loading.catalog import scan
from sop_cli.loading.yaml_files import MAX_FILE_BYTES
from sop_cli.workspace import Workspace
from tests.conftest import Result, WriteTree

STAFF = """\
schema_version: 1
staff:
  - id: nanthana
    name: นันทนา จันทร์ฝั้น
    position: ศึกษานิเทศก์
    work_unit: กลุ่มงานสนับสนุนการตรวจราชการ
"""
BODIES = """\
schema_version: 1
bodies:
  - id: committee
    name: คณะกรรมการ
"""
AGENCIES = """\
schema_version: 1
agencies:
  - id: obec
    name: สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน
    affiliation: ministry
"""
# Line numbers below are those of this text (line 1 = schema_version).
PROCEDURE = """\
schema_version: 1
number: 1
short_title: ทดสอบ
header:
  title: งานทดสอบ
  work_unit: กลุ่มงานทดสอบ
  page: ๑/๑
  effective_date: 2024-10-01
  revision: "-"
objectives: [เพื่อทดสอบ]
scope: [ขอบเขต]
definitions:
  - term: หน่วยงานการศึกษา
    meaning: หน่วยงาน
    agencies: [obec]
responsibilities:
  - text: ทดสอบ
rows:
  - label: ๑-๒
    hours: 10
    responsible: [nanthana]
    steps:
      - number: 1
        text: ขั้นแรก
      - number: 2
        text: เสนอเพื่อพิจารณา
        decision:
          by: [committee]
          wording: กรณีไม่เห็นชอบ ดำเนินการปรับปรุงตามข้อ ๑
          reject_to: 1
          approve_to: 3
  - label: "๓"
    hours: 5
    steps:
      - number: 3
        text: ขั้นสุดท้าย
standards:
  - text: มาตรฐาน
monitoring:
  text: ติดตาม
  rounds:
    - {name: ๖ เดือน, quarters: [1, 2]}
"""
PROC_PATH = "sops/01-test.yaml"


@pytest.fixture
def make_workspace(write_tree: WriteTree) -> Callable[[str | bytes], Path]:
    """Build a workspace whose procedure file holds the given text."""

    def make(procedure: str | bytes) -> Path:
        return write_tree(
            {
                "sops/staff.yaml": STAFF,
                "sops/bodies.yaml": BODIES,
                "sops/agencies.yaml": AGENCIES,
                PROC_PATH: procedure,
            }
        )

    return make


def _edit(old: str, new: str) -> str:
    assert old in PROCEDURE, old
    return PROCEDURE.replace(old, new, 1)


def test_minimal_procedure_is_valid(make_workspace: Callable[[str], Path]) -> None:
    """The base text of these tests is itself valid, so each case fails for its own reason."""
    catalog, problems = scan(Workspace(make_workspace(PROCEDURE)))
    assert problems == []
    assert catalog is not None and catalog.procedure(1).total_hours == 15


CASES: list[tuple[str, str | bytes, str]] = [
    (
        "yaml syntax",
        _edit("scope: [ขอบเขต]", "scope: [ขอบเขต"),
        ":12:12: YAML syntax: did not find expected ',' or ']' (while parsing a flow sequence)",
    ),
    ("unknown key", _edit("  page: ๑/๑", "  page: ๑/๑\n  pages: 3"), ":8:3: header.pages: unknown key 'pages'"),
    ("wrong type", _edit("    hours: 10", "    hours: สิบ"), ":20:12: rows[0].hours: expected a number, got 'สิบ'"),
    ("missing field", _edit("  work_unit: กลุ่มงานทดสอบ\n", ""), ":5:3: header.work_unit: missing required field"),
    (
        "duplicate step",
        _edit("      - number: 2", "      - number: 1"),
        ":25:17: rows[0].steps[1].number: step 1 appears twice",
    ),
    (
        "loop to a missing step",
        _edit("approve_to: 3", "approve_to: 9"),
        ":31:23: rows[0].steps[1].decision.approve_to: the decision at step 2 goes to step 9, which does not exist",
    ),
    (
        "loop forward on rejection",
        _edit("reject_to: 1", "reject_to: 3"),
        ":25:9: rows[0].steps[1]: a rejection at step 2 must go back to this step or an earlier one, not to 3",
    ),
    (
        "unknown staff",
        _edit("responsible: [nanthana]", "responsible: [somchai]"),
        ":21:19: rows[0].responsible[0]: unknown staff member 'somchai' (not in sops/staff.yaml)",
    ),
    (
        "unknown agency",
        _edit("agencies: [obec]", "agencies: [obec, nasa]"),
        ":15:22: definitions[0].agencies[1]: unknown agency 'nasa' (not in sops/agencies.yaml)",
    ),
    (
        "unknown body",
        _edit("by: [committee]", "by: [senate]"),
        ":28:16: rows[0].steps[1].decision.by[0]: unknown body 'senate' (not in sops/bodies.yaml)",
    ),
    (
        "impossible date",
        _edit("2024-10-01", "2024-02-30"),
        ":8:19: header.effective_date: not a valid date (write YYYY-MM-DD, a day that exists), got '2024-02-30'",
    ),
    (
        "not utf-8",
        PROCEDURE.encode("utf-8").replace("ขอบเขต".encode(), "ขอบเขต".encode("cp874")),
        ":11:9: not UTF-8 text (byte 0xa2); save the file as UTF-8",
    ),
    (
        "alias bomb",
        _edit(
            "scope: [ขอบเขต]",
            "scope: [ขอบเขต]\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
            + "".join(f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)),
        ),
        ":13:10: aliases expand to more than 200000 nodes; refusing to load",
    ),
    ("empty file", "", ":1:1: the file is empty"),
]


@pytest.mark.parametrize(("name", "text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_procedure_is_reported_with_its_place(
    make_workspace: Callable[[str | bytes], Path],
    sop: Callable[..., Result],
    name: str,
    text: str | bytes,
    expected: str,
) -> None:
    """`sop check` prints path:line:col and the message, exits 1 and shows no traceback."""
    root = make_workspace(text)
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = sop("check", cwd=root)
    assert result.code == 1
    assert f"{PROC_PATH}{expected}" in result.err
    assert "Traceback" not in result.err + result.out
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before


@pytest.mark.parametrize(("name", "text", "expected"), CASES[:4], ids=[c[0] for c in CASES[:4]])
def test_other_commands_refuse_a_broken_workspace_in_one_line(
    make_workspace: Callable[[str | bytes], Path],
    sop: Callable[..., Result],
    name: str,
    text: str | bytes,
    expected: str,
) -> None:
    """`sop list` on a broken workspace says what is wrong in one line and exits 1."""
    result = sop("list", cwd=make_workspace(text))
    assert result.code == 1
    assert result.out == ""
    assert result.err.count("\n") == 1
    assert f"{PROC_PATH}{expected}" in result.err


def test_every_problem_is_reported_at_once(make_workspace: Callable[[str], Path], sop: Callable[..., Result]) -> None:
    """Several mistakes in one file are all listed, in line order, with a count."""
    text = _edit("    hours: 10", "    hours: สิบ").replace("  page: ๑/๑", "  page: ๑/๑\n  pages: 3")
    result = sop("check", cwd=make_workspace(text))
    lines = result.err.strip().splitlines()
    assert lines == [
        f"{PROC_PATH}:8:3: header.pages: unknown key 'pages'",
        f"{PROC_PATH}:21:12: rows[0].hours: expected a number, got 'สิบ'",
        "2 problems found",
    ]


def test_json_format_lists_problems(make_workspace: Callable[[str], Path], sop: Callable[..., Result]) -> None:
    """`sop check --format json` gives the same problems to scripts."""
    import json

    result = sop("check", "--format", "json", cwd=make_workspace(_edit("    hours: 10", "    hours: สิบ")))
    data = json.loads(result.out)
    assert result.code == 1
    assert data["ok"] is False
    assert data["problems"] == [
        {"path": PROC_PATH, "line": 20, "column": 12, "message": "rows[0].hours: expected a number, got 'สิบ'"}
    ]


def test_oversized_file_is_refused(make_workspace: Callable[[str], Path], sop: Callable[..., Result]) -> None:
    """A procedure file above the size limit is refused before it is parsed."""
    padding = "# " + "ก" * 1000 + "\n"
    text = PROCEDURE + padding * (MAX_FILE_BYTES // len(padding.encode()) + 1)
    result = sop("check", cwd=make_workspace(text))
    assert result.code == 1
    assert f"{PROC_PATH}:1:1: file is 5.0 MB, above the limit of 5 MB" in result.err


def test_missing_vocabulary_file(make_workspace: Callable[[str], Path], sop: Callable[..., Result]) -> None:
    """A workspace without its staff roster says which file is missing."""
    root = make_workspace(PROCEDURE)
    (root / "sops" / "staff.yaml").unlink()
    result = sop("check", cwd=root)
    assert result.code == 1
    assert "sops/staff.yaml:1:1: missing file: every workspace needs it" in result.err


def test_duplicate_staff_spelling_is_refused(make_workspace: Callable[[str], Path], sop: Callable[..., Result]) -> None:
    """Two staff members may not share a name or alias: the id a spelling maps to must be unique."""
    root = make_workspace(PROCEDURE)
    staff = (
        STAFF + "  - id: other\n    name: x\n    position: ศึกษานิเทศก์\n    work_unit: y\n    aliases: [นันทนา จันทร์ฝั้น]\n"
    )
    (root / "sops" / "staff.yaml").write_text(staff, encoding="utf-8")
    result = sop("check", cwd=root)
    assert "sops/staff.yaml:11:15: staff[1].aliases[0]: 'นันทนา จันทร์ฝั้น' is also a name of 'nanthana'" in result.err
