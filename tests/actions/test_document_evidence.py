"""A document is one row of the report's evidence list and the dossier's index: its PDF/A and corrections with it."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import docx
import pytest

from sop_cli.actions.documents import issue_memo
from sop_cli.actions.dossier import build_dossier
from sop_cli.actions.dossier_verify import check_dossier
from sop_cli.actions.report import write_report
from sop_cli.models.values import Period
from sop_cli.rendering.docx_common import plain_text
from sop_cli.rendering.pdf import find_libreoffice
from sop_cli.report_content import report_view
from sop_cli.workspace import Workspace
from tests.actions.test_documents import at, started
from tests.values import ME

LATER = at(2026, 11, 27)
TODAY = LATER.now.date()
needs_libreoffice = pytest.mark.skipif(find_libreoffice() is None, reason="LibreOffice is not installed")


def index_rows(folder: Path) -> list[dict[str, str]]:
    """The rows of the dossier's index.csv."""
    return list(csv.DictReader(io.StringIO((folder / "index.csv").read_text(encoding="utf-8-sig"))))


def sha(path: Path) -> str:
    """The SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def evidence_table_text(path: Path) -> list[str]:
    """The text of each row of the last table of a .docx (the evidence index)."""
    table = docx.Document(str(path)).tables[-1]
    return [plain_text(" ".join(cell.text for cell in row.cells)) for row in table.rows[1:]]


def corrected_memo(ws: Workspace, pdf: bool) -> tuple[str, str]:
    """Issue memo ศธ ๐๒๘๘/๑ of step 1 and correct it once; the paths of version 1 and version 2."""
    started(ws)
    first = issue_memo(ws, 3, ME, step=1, pdf=pdf).documents[0]
    second = issue_memo(ws, 3, LATER, correct="1", reason="แก้ชื่อเรื่อง", pdf=pdf).documents[0]
    return first.path, second.path


def test_a_corrected_memo_is_one_row_of_its_latest_version(workspace: Workspace, tmp_path: Path) -> None:
    """--correct: the report lists the memo once (version 2); the dossier copies both versions, one index row."""
    first, second = corrected_memo(workspace, pdf=False)
    view = report_view(workspace, 2570, Period.year, [], TODAY)
    (row,) = [r for r in view.evidence if r.kind == "document"]
    assert (row.name, row.version, row.doc_number) == (Path(second).name, 2, "ศธ ๐๒๘๘/๑")
    assert [(c.role, c.version, c.stored, c.reason) for c in row.companions] == [("earlier", 1, first, "แก้ชื่อเรื่อง")]
    (section,) = [s for s in view.sections if s.number == 3]
    assert section.evidence == (row.number,)

    report = write_report(workspace, 2570, Period.year, [], tmp_path / "report.docx", TODAY, thai_chart_font=False)
    listed = [line for line in evidence_table_text(report) if "๐๒๘๘" in line]
    assert len(listed) == 1 and "ฉบับแก้ไขครั้งที่ ๑" in listed[0]

    folder = build_dossier(workspace, 2570, tmp_path / "dossier", TODAY).folder
    (document,) = [r for r in index_rows(folder) if r["ชนิด"] == "document"]
    assert document["ชื่อไฟล์หรือลิงก์"] == Path(second).name and document["ฉบับที่"] == "2"
    assert (folder / document["ไฟล์ในแฟ้ม"]).read_bytes() == (workspace.root / second).read_bytes()
    (earlier,) = [p for p in folder.rglob("*.docx") if p.name == Path(first).name]
    assert earlier.read_bytes() == (workspace.root / first).read_bytes()
    assert earlier.relative_to(folder).as_posix() in document["ฉบับก่อนแก้ไข"]
    assert sha(earlier) in document["ฉบับก่อนแก้ไข"]
    assert "ประวัติการแก้ไข ฉบับที่ ๑" in " ".join(evidence_table_text(folder / "ดัชนีหลักฐาน-2570.docx"))
    assert check_dossier(folder).problems == []


@needs_libreoffice
def test_a_memo_with_its_pdf_is_one_row_noting_the_pdf(workspace: Workspace, tmp_path: Path) -> None:
    """--pdf and --correct: one row (the latest .docx) with "PDF/A"; the dossier holds all four files."""
    first, second = corrected_memo(workspace, pdf=True)
    view = report_view(workspace, 2570, Period.year, [], TODAY)
    (row,) = [r for r in view.evidence if r.kind == "document"]
    assert row.name == Path(second).name and row.pdf is not None
    assert row.pdf.stored == str(Path(second).with_suffix(".pdf"))
    assert sorted((c.version, Path(c.name).suffix) for c in row.earlier) == [(1, ".docx"), (1, ".pdf")]

    report = write_report(workspace, 2570, Period.year, [], tmp_path / "report.docx", TODAY, thai_chart_font=False)
    listed = [line for line in evidence_table_text(report) if "๐๒๘๘" in line]
    assert len(listed) == 1 and "PDF/A" in listed[0]

    folder = build_dossier(workspace, 2570, tmp_path / "dossier", TODAY).folder
    (document,) = [r for r in index_rows(folder) if r["ชนิด"] == "document"]
    pdf = folder / document["PDF/A"]
    assert pdf.read_bytes() == (workspace.root / second).with_suffix(".pdf").read_bytes()
    assert document["SHA-256 ของ PDF/A"] == sha(pdf)
    copied = {p.name for p in (folder / "files").rglob("*") if p.is_file()}
    names = {Path(p).name for p in (first, second)}
    assert names | {Path(n).with_suffix(".pdf").name for n in names} <= copied
    assert "PDF/A: files/" in " ".join(evidence_table_text(folder / "ดัชนีหลักฐาน-2570.docx"))
    assert check_dossier(folder).problems == []


def test_a_corrected_memo_without_a_run_is_one_row_of_the_dossier(workspace: Workspace, tmp_path: Path) -> None:
    """--no-run and --correct: the register's two versions are one index row; both files are in the dossier."""
    started(workspace)  # the year has records; this memo belongs to no run
    first = issue_memo(workspace, 3, ME, no_run=True).documents[0]
    second = issue_memo(workspace, 3, LATER, correct="1", reason="แก้ชื่อเรื่อง").documents[0]
    folder = build_dossier(workspace, 2570, tmp_path / "dossier", TODAY).folder
    (document,) = [r for r in index_rows(folder) if r["ชนิด"] == "document"]
    assert (document["ชื่อไฟล์หรือลิงก์"], document["ฉบับที่"]) == (Path(second.path).name, "2")
    (earlier,) = [p for p in folder.rglob("*.docx") if p.name == Path(first.path).name]
    assert earlier.read_bytes() == (workspace.root / first.path).read_bytes()
    assert earlier.relative_to(folder).as_posix() in document["ฉบับก่อนแก้ไข"]
    assert check_dossier(folder).problems == []
