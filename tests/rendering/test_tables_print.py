"""The exported workbook prints as an office prints it: A4 landscape, fitted to the width, headers repeated.

(Printing it through LibreOffice needs Calc, which `libreoffice-writer-nogui` leaves out: the print
setup is read back with openpyxl.)
"""

from __future__ import annotations

import io

from openpyxl import load_workbook

from sop_cli.rendering.tables import EVENTS, STATUS, xlsx_bytes


def test_every_sheet_has_its_print_setup() -> None:
    """A4 (paper size 9), landscape, one page wide, header row repeated, a title on top, page numbers."""
    data = xlsx_bytes([(STATUS, []), (EVENTS, [])], title="ปีงบประมาณ 2570 & แผน")
    book = load_workbook(io.BytesIO(data))
    for sheet, name in zip(book.worksheets, ("สถานะ", "เหตุการณ์"), strict=True):
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddHeader.center.text == f"ปีงบประมาณ 2570 && แผน – {name}"
        assert sheet.oddFooter.center.text == "หน้า &P / &N"


def test_without_a_title_each_sheet_is_headed_by_its_name() -> None:
    """The export's callers that pass no title still get the sheet's Thai name at the top of each page."""
    book = load_workbook(io.BytesIO(xlsx_bytes([(STATUS, [])])))
    assert book.worksheets[0].oddHeader.center.text == "สถานะ"
