"""Control characters are refused at the door, reported in old records, and never crash an output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sop_cli.models.base import normalise_label
from sop_cli.workspace import Workspace
from tests.conftest import files_under
from tests.hardening.conftest import RunSop, event_file


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["start", "1", "--label", "\x1b[2J\x1b[31mFAKE\x1b[0m"], "--label contains an escape character (U+001B)"),
        (["note", "2", "a\x01b"], "the TEXT contains a control character (U+0001) at character 2"),
        (["note", "2", "x", "--evidence", "minutes\x1b.pdf"], "--evidence contains an escape character"),
        (["advance", "2", "--note", "a\x0bb"], "--note contains a control character (U+000B)"),
        (["cancel", "2", "--reason", "\x9b2J"], "--reason contains a control character (U+009B)"),
        (["memo", "2", "--subject", "line\nbreak"], "--subject contains a line break (U+000A)"),
        (["letter", "2", "--to", "obec", "--enclosure", "a\x07"], "--enclosure contains a control character"),
    ],
)
def test_the_command_line_refuses_control_characters(
    office: Workspace, run_sop: RunSop, args: list[str], shown: str
) -> None:
    """Each text option refuses C0/C1 controls with one sentence, exit 1, nothing written."""
    assert run_sop("start", "2").returncode == 0
    before = files_under(office.root)
    result = run_sop(*args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("error: ") and shown in result.stderr
    assert "\x1b" not in result.stderr and "Traceback" not in result.stderr
    assert files_under(office.root) == before


def test_tabs_and_line_breaks_stay_in_notes_and_reasons(office: Workspace, run_sop: RunSop) -> None:
    """A multi-line note with a tab is recorded as written."""
    assert run_sop("start", "2").returncode == 0
    assert run_sop("note", "2", "บรรทัดหนึ่ง\n\tบรรทัดสอง").returncode == 0
    assert 'text: "บรรทัดหนึ่ง\\n\\tบรรทัดสอง"' in event_file(office, 2, "note").read_text(encoding="utf-8")


def _plant_control_character(ws: Workspace, run_sop: RunSop) -> Path:
    """An old record holding \\x0b in a note (written as JSON escapes, as sop writes strings)."""
    assert run_sop("start", "2").returncode == 0
    assert run_sop("advance", "2", "--note", "ประชุมแล้ว").returncode == 0
    path = event_file(ws, 2, "step_completed")
    path.write_text(path.read_text(encoding="utf-8").replace("ประชุมแล้ว", "บรรทัดหนึ่ง\\u000bบรรทัดสอง"), encoding="utf-8")
    return path


def test_check_reports_old_records_with_control_characters(office: Workspace, run_sop: RunSop) -> None:
    """`sop check` names the file, line and column of a control character in an old record."""
    path = _plant_control_character(office, run_sop)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("note:"))
    check = run_sop("check")
    assert check.returncode == 1
    place = f"{office.relative(path)}:{line}:7"
    assert f"{place}: step_completed.note: contains a control character (U+000B) at character 12" in check.stderr


def test_outputs_never_crash_on_an_old_control_character(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """xlsx, the report and the dossier were broken by \\x0b (exit 3): now they never crash."""
    _plant_control_character(office, run_sop)
    for args in (
        ["export", "--format", "xlsx"],
        ["export", "--format", "csv"],
        ["report"],
        ["dossier", "--out", str(tmp_path / "d")],
    ):
        result = run_sop(*args)
        assert result.returncode in (0, 1), (args, result.stderr)
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_control_character_in_a_yaml_file_is_placed(office: Workspace, run_sop: RunSop) -> None:
    """A raw control character in a procedure file is refused with its line and column."""
    path = office.sops / "02-inspection-information-and-plan.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2][:5] + "\x1b" + lines[2][5:]
    path.write_text("".join(lines), encoding="utf-8")
    result = run_sop("list")
    assert result.returncode == 1
    assert f"{office.relative(path)}:3:6: a control character (U+001B) in the text; remove it" in result.stderr


def test_a_body_file_with_a_control_character_is_refused(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """`--body-file` text with \\x01 is refused before a number is taken (it was a traceback)."""
    assert run_sop("start", "3").returncode == 0
    body = tmp_path / "body.txt"
    body.write_text("ย่อหน้า\x01หนึ่ง\n", encoding="utf-8")
    before = files_under(office.root)
    result = run_sop("memo", "3", "--step", "1", "--body-file", str(body))
    assert result.returncode == 1
    assert f"{body}:1:8: a control character (U+0001)" in result.stderr
    assert files_under(office.root) == before


LOOK_ALIKES = ["ครั้งที่ 1\u200b", "ครั้งที่\u00a01", "\u202bครั้งที่ 1", "ครั้งที่  1 "]


@pytest.mark.parametrize("other", LOOK_ALIKES)
def test_look_alike_labels_are_one_label(other: str) -> None:
    """A zero-width space, a no-break space, a bidi mark or doubled spaces do not make a new label."""
    assert normalise_label(other) == normalise_label("ครั้งที่ 1") == "ครั้งที่ 1"
    assert normalise_label("ครั้งที่ 2") != normalise_label("ครั้งที่ 1")


def test_check_finds_look_alike_labels_after_a_merge(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """Two clones each start procedure 1 with labels that look the same: `sop check` names the pair."""
    assert run_sop("start", "1", "--label", "ครั้งที่ 1").returncode == 0
    clone = tmp_path / "clone"
    shutil.copytree(office.root, clone, ignore=shutil.ignore_patterns("records"))
    (clone / "records").mkdir()
    assert run_sop("start", "1", "--label", "ครั้งที่ 1\u200b", cwd=clone).returncode == 0
    theirs = next((clone / "records" / "2570").glob("01-*"))
    shutil.copytree(theirs, office.records / "2570" / theirs.name)  # what `git merge` brings in
    check = run_sop("check")
    assert check.returncode == 1
    assert "procedure 1 has two runs with label" in check.stderr
    data = json.loads(run_sop("check", "--format", "json").stdout)
    assert any("two runs with label" in p["message"] for p in data["problems"])
