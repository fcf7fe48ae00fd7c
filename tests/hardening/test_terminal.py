"""Nothing from the files reaches the terminal raw: escape sequences and bidi overrides are shown escaped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from rich.table import Table

from sop_cli.rendering.terminal import base as console
from sop_cli.rendering.terminal.wrap import printable
from sop_cli.workspace import Workspace
from tests.hardening.conftest import RunSop, run_folder

RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _clean(text: str) -> bool:
    return not any(char in text for char in RAW)


def test_a_bidi_override_in_an_evidence_name_is_escaped(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """A right-to-left override in a file name (reportexe.pdf shown as reportfdp.exe) is escaped everywhere."""
    evidence = tmp_path / "report\u202efdp.exe"
    evidence.write_bytes(b"%PDF")
    assert run_sop("start", "2").returncode == 0
    added = run_sop("note", "2", "--evidence", str(evidence))
    assert added.returncode == 0
    assert "evidence: report\\u202efdp.exe" in added.stdout and _clean(added.stdout)
    for args in (["status", "2"], ["log"], ["status"]):
        shown = run_sop(*args)
        assert shown.returncode == 0 and _clean(shown.stdout + shown.stderr), args
    assert "report\\u202efdp.exe" in run_sop("status", "2").stdout


@pytest.mark.skipif(os.name == "nt", reason="Windows file names cannot hold control characters")
def test_file_names_with_escape_sequences_are_shown_escaped(office: Workspace, run_sop: RunSop) -> None:
    """Escape sequences in the names of stray files (check, errors) are printed as \\x1b, never sent raw."""
    assert run_sop("start", "2").returncode == 0
    stray = run_folder(office, 2) / "events" / "\x1b[2J\x1b]0;pwned\x07.txt"
    stray.write_text("x", encoding="utf-8")
    check = run_sop("check")
    assert check.returncode == 1
    assert "\\x1b[2J\\x1b]0;pwned\\x07.txt:1:1: unexpected file among the events" in check.stderr
    assert _clean(check.stdout + check.stderr)
    stray.unlink()
    (office.sops / "\x1b]8;;evil.example\x07x.yaml").write_text("a: [", encoding="utf-8")
    listed = run_sop("list")
    assert listed.returncode == 1 and "sops/\\x1b]8;;evil.example\\x07x.yaml" in listed.stderr
    assert _clean(listed.stdout + listed.stderr)


def test_every_string_a_console_prints_is_sanitised(capsys: pytest.CaptureFixture[str]) -> None:
    """Table cells, titles, plain prints and errors all pass through the one sanitiser; JSON escapes C1 too."""
    table = Table(title="\x1b]0;title\x07")
    table.add_column("\x1b[31mhead")
    table.add_row("\x1b[2Jcell\u202e")
    console.out().print(table)
    console.out().print("note \x9b2J", markup=False)
    console.print_error("label \x1b[5m")
    console.print_json({"note": "a\x1bb\x9bc\u2066d"})
    captured = capsys.readouterr()
    assert _clean(captured.out + captured.err)
    assert "\\x1b[2Jcell\\u202e" in captured.out and "note \\x9b2J" in captured.out
    assert "error: label \\x1b[5m" in captured.err
    data = json.loads(captured.out[captured.out.index("{") :])
    assert data == {"note": "a\x1bb\x9bc\u2066d"}  # the same data, escaped as JSON allows


def test_tabs_and_line_breaks_are_printed_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    """The sanitiser keeps line breaks (multi-line notes) and tabs."""
    console.out().print("one\ntwo", markup=False)
    assert capsys.readouterr().out == "one\ntwo\n"
    assert printable("a\tb\nc") == "a\tb\nc"
