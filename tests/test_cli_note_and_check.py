"""`sop note --kind` (a problem, an obstacle, a recommendation) and what `sop check` counts besides problems."""

from __future__ import annotations

from collections.abc import Callable

from ruamel.yaml import YAML

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under

Run = Callable[..., Result]


def _notes(ws: Workspace) -> list[dict[str, object]]:
    yaml = YAML(typ="safe")
    found = [yaml.load(p.read_text(encoding="utf-8")) for p in ws.records.glob("*/*/events/*.yaml")]
    return [e for e in found if e["type"] == "note"]


def test_note_kind_is_recorded_on_the_event(office: Workspace, sop: Run) -> None:
    """--kind problem is written on the note's event; a note without --kind stays plain."""
    assert sop("start", "3", cwd=office.root).code == ExitCode.OK
    assert sop("note", "3", "โรงเรียนส่งข้อมูลช้า", "--kind", "problem", cwd=office.root).code == ExitCode.OK
    assert sop("note", "3", "ควรแจ้งล่วงหน้า ๒ สัปดาห์", "--kind", "recommendation", cwd=office.root).code == 0
    assert sop("note", "3", "โทรประสานแล้ว", cwd=office.root).code == ExitCode.OK
    kinds = {str(n["text"]): n.get("kind", "plain") for n in _notes(office)}
    assert kinds == {
        "โรงเรียนส่งข้อมูลช้า": "problem",
        "ควรแจ้งล่วงหน้า ๒ สัปดาห์": "recommendation",
        "โทรประสานแล้ว": "plain",
    }


def test_note_kind_without_text_or_unknown_is_refused(office: Workspace, sop: Run) -> None:
    """A kind needs the note's text, and an unknown kind is a usage error; nothing is written."""
    assert sop("start", "3", cwd=office.root).code == ExitCode.OK
    before = files_under(office.root)
    no_text = sop("note", "3", "--kind", "obstacle", "--hours", "1", cwd=office.root)
    assert no_text.code == ExitCode.USER_ERROR and "--kind obstacle needs the note's text" in no_text.err
    unknown = sop("note", "3", "ข้อความ", "--kind", "complaint", cwd=office.root)
    assert unknown.code == ExitCode.USAGE
    assert files_under(office.root) == before


def test_check_counts_the_unconfirmed_agencies(office: Workspace, sop: Run) -> None:
    """`sop check` stays green and says how many agencies still await the office's check."""
    import json

    done = sop("check", cwd=office.root)
    assert done.code == ExitCode.OK
    assert "agencies of sops/agencies.yaml await the office's check (confirmed: false)" in done.out
    data = json.loads(sop("check", "--format", "json", cwd=office.root).out)
    assert data["ok"] and data["unconfirmed_agencies"] == 17
