"""Pieces of the report's layout: digits, the chart and its fonts."""

from __future__ import annotations

import warnings

import pytest

from sop_cli.rendering.chart import find_thai_font, progress_chart
from sop_cli.rendering.docx_report import report_digits
from sop_cli.views.report import SummaryRow


def rows() -> list[SummaryRow]:
    """Two procedures, one half done."""
    return [
        SummaryRow(1, "ประสานและสนับสนุนการตรวจราชการ", 1, 4, 8, 2.0, 472.0, 1, 0, 2, 0, 1),
        SummaryRow(2, "ศึกษา วิเคราะห์ข้อมูล และแผนการตรวจราชการ", 0, 0, 14, 0.0, 1188.0, 0, 1, 0, 0, 0),
    ]


@pytest.mark.parametrize(
    ("text", "printed"),
    [
        ("ข้อ 6.1 กำหนด 31 ธ.ค. 2569", "ข้อ ๖.๑ กำหนด ๓๑ ธ.ค. ๒๕๖๙"),
        ("run ngk4cz ครั้งที่ 2", "run ngk4cz ครั้งที่ ๒"),
        ("minutes-2569-11-20.pdf 46 ไบต์", "minutes-2569-11-20.pdf ๔๖ ไบต์"),
        (
            "https://drive.google.com/d/abc123 · sop@example.go.th",
            "https://drive.google.com/d/abc123 · sop@example.go.th",
        ),
        ("SHA-256 (10/1,188)", "SHA-256 (๑๐/๑,๑๘๘)"),
    ],
)
def test_digits_become_thai_except_in_words_with_latin_letters(text: str, printed: str) -> None:
    """Ids, file names, links and SHA-256 keep their digits; numbers and dates take Thai digits."""
    assert report_digits(text) == printed


def test_the_chart_without_a_thai_font_draws_numbers_only_and_cleanly() -> None:
    """No Thai text is drawn, so matplotlib warns of no missing glyph; the result is a PNG."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "Glyph … missing from font" would fail here
        png = progress_chart(rows(), None)
    assert png.startswith(b"\x89PNG")


@pytest.mark.skipif(find_thai_font() is None, reason="no Thai font installed for matplotlib")
def test_the_chart_with_a_thai_font_draws_every_glyph() -> None:
    """The Thai font found has every glyph of the titles and Thai digits."""
    font = find_thai_font()
    assert font is not None
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = progress_chart(rows(), font)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
