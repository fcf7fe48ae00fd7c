"""The PDF/A converter: real conversions by LibreOffice, read back with poppler."""

from __future__ import annotations

from pathlib import Path

import pytest

from sop_cli.errors import SopError
from sop_cli.rendering.docx_official import build_memo, save_document
from sop_cli.rendering.pdf import ConverterMissing, pdf_facts, to_pdf
from tests.rendering.pdf_pages import FONT, fonts, needs_libreoffice, page_count, pages
from tests.rendering.test_docx_official import memo, settings


def memo_docx(tmp_path: Path) -> Path:
    """The test memo saved as a .docx."""
    path = tmp_path / "memo.docx"
    save_document(build_memo(memo(), settings()), path)
    return path


@needs_libreoffice
@pytest.mark.parametrize("part", [1, 2])
def test_a_memo_becomes_pdfa_with_the_thai_font_embedded(tmp_path: Path, part: int) -> None:
    """PDF/A-1 or -2: the marker in the XMP metadata, TH SarabunPSK embedded, number and date in the text."""
    docx = memo_docx(tmp_path)
    pdf = to_pdf(docx, pdfa=part)  # type: ignore[arg-type]
    assert pdf.path == tmp_path / "memo.pdf" and pdf.pdfa_part == part
    data = pdf.path.read_bytes()
    assert f"<pdfaid:part>{part}</pdfaid:part>".encode() in data
    # LibreOffice writes PDF/A-1 at level A (tagged), which includes level B; PDF/A-2 at level B.
    assert f"<pdfaid:conformance>{'A' if part == 1 else 'B'}</pdfaid:conformance>".encode() in data
    assert pdf.embeds(FONT) and pdf.fonts == ("THSarabunPSK",)
    assert fonts(pdf.path) == [("THSarabunPSK", True)]  # pdffonts: nothing else, nothing left out
    assert page_count(pdf.path) == 1
    text = "\n".join(line for page in pages(pdf.path) for line in page)
    assert "ศธ ๐๒๘๘/๑๒๓" in text and "๒๕ พฤศจิกายน ๒๕๖๙" in text


@needs_libreoffice
def test_the_pdf_goes_where_asked_and_replaces_nothing_else(tmp_path: Path) -> None:
    """An explicit path gets the PDF; the folder holds the .docx and the .pdf only (no profile left)."""
    docx = memo_docx(tmp_path)
    out = tmp_path / "ส่ง" / "บันทึก.pdf"
    out.parent.mkdir()
    assert to_pdf(docx, out).path == out
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["memo.docx", "บันทึก.pdf"]


def test_without_libreoffice_a_clear_error_and_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No LibreOffice on the PATH: one sentence saying how to install it; nothing is written."""
    docx = memo_docx(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConverterMissing, match=r"^LibreOffice is not installed, so no PDF was written: install it"):
        to_pdf(docx)
    assert not (tmp_path / "memo.pdf").exists()


def test_a_program_that_cannot_run_is_a_clear_error(tmp_path: Path) -> None:
    """A LibreOffice path that is not a program gives one sentence naming it."""
    docx = memo_docx(tmp_path)
    with pytest.raises(ConverterMissing, match=r"^cannot run LibreOffice \(.*nowhere.*\)"):
        to_pdf(docx, program=tmp_path / "nowhere" / "soffice")


@needs_libreoffice
def test_a_file_libreoffice_cannot_read_is_a_user_error(tmp_path: Path) -> None:
    """A broken .docx is refused with a SopError, and no PDF is left."""
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(SopError):
        to_pdf(broken)
    assert not (tmp_path / "broken.pdf").exists()


def test_pdf_facts_read_the_marker_and_the_fonts() -> None:
    """The PDF/A part in either XMP form, and font names without their subset prefix."""
    data = b'<x pdfaid:part="1"/> /BaseFont/ABCDEF+THSarabunPSK /BaseFont /Laksaman'
    assert pdf_facts(data) == (1, ("Laksaman", "THSarabunPSK"))
    assert pdf_facts(b"%PDF-1.6 /BaseFont/X+Y") == (None, ("Y",))
