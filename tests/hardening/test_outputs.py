"""Every `--out` goes through one rule: no file replaced without --force, no folder for a file, no workspace data."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.conftest import files_under
from tests.hardening.conftest import RunSop

PRECIOUS = "precious\n"


def test_calendar_never_replaces_a_file_without_force(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """`sop calendar --out` an existing file outside the workspace is refused; --force replaces it."""
    notes = tmp_path / "notes.ics"
    notes.write_text(PRECIOUS, encoding="utf-8")
    refused = run_sop("calendar", "--out", str(notes))
    assert refused.returncode == 1
    assert refused.stderr == f"error: {notes} already exists; pass --force to replace it\n"
    assert notes.read_text(encoding="utf-8") == PRECIOUS
    forced = run_sop("calendar", "--out", str(notes), "--force")
    assert forced.returncode == 0 and notes.read_text(encoding="utf-8").startswith("BEGIN:VCALENDAR")


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("../notes.txt", "--out ../notes.txt must name a .ics file"),
        ("sops/staff.yaml", "--out sops/staff.yaml must name a .ics file"),
        ("sops/new.ics", "sops/new.ics is inside the workspace's sops/ folder, which only sop's own commands write"),
        ("records/2570/x.ics", "is inside the workspace's records/ folder"),
        ("calendar/holidays.ics", "is inside the workspace's calendar/ folder"),
        ("..", ".. is a folder: give a file name ending in .ics"),
        ("missing/x.ics", "the folder missing does not exist; create it first or choose another --out"),
    ],
)
def test_calendar_out_is_checked_before_anything(office: Workspace, run_sop: RunSop, target: str, message: str) -> None:
    """Wrong suffixes, workspace data, folders and missing folders: one sentence each, nothing written."""
    assert run_sop("start", "2").returncode == 0
    (office.records / "2570").mkdir(exist_ok=True)
    before = files_under(office.root.parent)
    result = run_sop("calendar", "--out", target)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and message in result.stderr
    assert files_under(office.root.parent) == before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_into_the_workspace_data_is_refused_even_with_force(
    office: Workspace, run_sop: RunSop, tmp_path: Path
) -> None:
    """`--out` through a link (resolved) that lands on an event file or in sops/ is refused, --force or not."""
    assert run_sop("start", "2").returncode == 0
    (event,) = (office.records / "2570").glob("02-*/events/*.yaml")
    link = tmp_path / "cal.ics"
    link.symlink_to(event)
    for extra in ([], ["--force"]):
        result = run_sop("calendar", "--out", str(link), *extra)
        assert result.returncode == 1 and "inside the workspace's records/ folder" in result.stderr
    dangling = tmp_path / "new.ics"
    dangling.symlink_to(office.sops / "new.ics")
    assert "inside the workspace's sops/ folder" in run_sop("calendar", "--out", str(dangling), "--force").stderr
    assert not (office.sops / "new.ics").exists()
    assert run_sop("check").returncode == 0


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--format", "csv", "--out", "records"],
        ["export", "--format", "json", "--out", "sops/x.json"],
        ["export", "--format", "html", "--out", "register"],
        ["report", "--allow-empty", "--out", "register/r.docx"],
        ["report", "--allow-empty", "--out", "sops/r.docx"],
        ["memo", "3", "--step", "1", "--no-run", "--out", "calendar"],
        ["memo", "3", "--step", "1", "--no-run", "--out", "records/m.docx"],
    ],
)
def test_no_command_writes_into_the_workspace_data(office: Workspace, run_sop: RunSop, args: list[str]) -> None:
    """export, report and memo refuse `--out` in sops/, records/, register/ and calendar/; nothing is numbered."""
    (office.root / "register").mkdir()
    before = files_under(office.root)
    result = run_sop(*args)
    assert result.returncode == 1, result.stderr
    assert "folder, which only sop's own commands write" in result.stderr
    assert files_under(office.root) == before


def test_report_and_memo_never_replace_a_file(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """report needs --force for an existing .docx; a document is never replaced, and takes no number."""
    existing = tmp_path / "mine.docx"
    existing.write_text(PRECIOUS, encoding="utf-8")
    report = run_sop("report", "--allow-empty", "--out", str(existing))
    assert report.returncode == 1 and "already exists; pass --force to replace it" in report.stderr
    memo = run_sop("memo", "3", "--step", "1", "--no-run", "--out", str(existing))
    assert memo.returncode == 1 and "sop never replaces a document" in memo.stderr
    assert existing.read_text(encoding="utf-8") == PRECIOUS
    assert not (office.root / "register").exists()
    folder = run_sop("report", "--allow-empty", "--out", str(tmp_path))
    assert folder.returncode == 1 and f"{tmp_path} is a folder: give a file name ending in .docx" in folder.stderr
