"""The HTML page of `sop export --format html`: escaped, self-contained, and checked in a real browser."""

from __future__ import annotations

import datetime as dt
import re
import struct
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sop_cli.actions.export import export_year
from sop_cli.deadlines import OPEN, OVERDUE, Deadline
from sop_cli.models.values import ExportFormat
from sop_cli.rendering.html_page import FONT_STACK, html_page
from sop_cli.views.status import StatusRow
from sop_cli.workspace import Workspace
from tests.actions.test_export import NOTE, TODAY, record_history
from tests.browser import INSTALL_HINT, BrowserError, check_page, find_chromium

# Elements and attributes that would make the page load something, or run something.
LOADING_TAGS = {"script", "link", "img", "iframe", "frame", "object", "embed", "video", "audio", "source", "base"}
LOADING_ATTRIBUTES = {"src", "href", "srcset", "action", "formaction", "poster", "background", "data", "xlink:href"}


class _Parts(HTMLParser):
    """Tags with their attributes, style text and text nodes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def parse(page: str) -> _Parts:
    """Split a page into tags, styles and text."""
    parts = _Parts()
    parts.feed(page)
    parts.close()
    return parts


@pytest.fixture
def page(workspace: Workspace, tmp_path: Path) -> Path:
    """The page of a workspace with a note holding a script tag."""
    record_history(workspace, tmp_path)
    (path,) = export_year(workspace, 2570, ExportFormat.html, None, TODAY, force=False)
    return path


def test_notes_are_escaped(page: Path) -> None:
    """A note holding <script> shows as text: escaped in the source, never a tag."""
    text = page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in text
    assert "<script" not in text.lower()
    parts = parse(text)
    assert NOTE in " ".join(parts.text)
    assert not [tag for tag, _ in parts.tags if tag == "script"]


def test_page_is_self_contained(page: Path) -> None:
    """No element loads anything: no scripts, links, images, frames; addresses appear only as text."""
    text = page.read_text(encoding="utf-8")
    parts = parse(text)
    assert not [tag for tag, _ in parts.tags if tag in LOADING_TAGS]
    for tag, attrs in parts.tags:
        assert not LOADING_ATTRIBUTES & set(attrs), f"<{tag}> has {attrs}"
        assert not [k for k in attrs if k.startswith("on")], f"<{tag}> has an event handler"
        assert not [v for v in attrs.values() if v and re.search(r"https?:|//|url\(", v)], f"<{tag}> {attrs}"
    style = " ".join(parts.styles)
    assert "url(" not in style and "@import" not in style and "http" not in style
    # The evidence link of the history is shown, as text only.
    assert "https://drive.google.com/drive/folders/abc" in " ".join(parts.text)


def test_page_declares_thai_utf8_viewport_and_fonts(page: Path) -> None:
    """lang="th", UTF-8, a phone viewport, and the Thai font stack."""
    text = page.read_text(encoding="utf-8")
    assert text.startswith('<!DOCTYPE html>\n<html lang="th">')
    assert '<meta charset="utf-8">' in text
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in text
    assert FONT_STACK in text
    for font in ('"TH Sarabun New"', "Sarabun", "Tahoma", "sans-serif"):
        assert font in FONT_STACK


def test_every_procedure_has_a_card_and_the_latest_events_are_listed(page: Path) -> None:
    """Fourteen procedures (one card per run), the progress of each, at most twenty events newest first."""
    text = page.read_text(encoding="utf-8")
    numbers = [int(n) for n in re.findall(r'<span class="num">(\d+)</span>', text)]
    assert numbers == list(range(1, 15))
    assert 'aria-label="เสร็จ 2 จาก 14 ขั้นตอน"' in text and '<rect class="fill" width="14" height="10"/>' in text
    activity = text[text.index('id="activity"') :]
    dates = re.findall(r'data-label="วันที่">([^<]+)<', activity)
    assert 0 < len(dates) <= 20
    assert dates[0] == "3 พ.ย. 2569" and dates[-1] == "3 ต.ค. 2569"
    assert 'class="voided"' in activity


def _deadline(ref: str, due: dt.date | None, left: int | None, status: str = OPEN) -> Deadline:
    return Deadline(2, "abc123", ref, f"ข้อความ {ref}", "within_quarters", due, days_left=left, status=status)


def test_deadlines_are_coloured_by_working_days_left() -> None:
    """Overdue red, within five working days amber, later green, waiting for a date grey; the soonest fifteen shown."""
    deadlines = [
        _deadline("6.1", dt.date(2026, 11, 20), -3, OVERDUE),
        _deadline("6.2", dt.date(2026, 11, 30), 3),
        _deadline("6.3", dt.date(2026, 12, 31), 25),
        *[_deadline(f"7.{i}", dt.date(2027, 3, 31), 80) for i in range(1, 15)],
        _deadline("6.4", None, None),
    ]  # soonest first, as the action hands them
    row = StatusRow(2, "ศึกษา <b>วิเคราะห์</b>", 1, run="abc123", status="open", done=3, total=14)
    page = html_page(
        fy=2570,
        today=TODAY,
        office="สำนักงาน",
        rows=[row],
        deadlines=deadlines,
        events=[],
        titles={2: "ศึกษา"},
        labels={},
    )
    classes = re.findall(r'<tr class="(\w+)">', page)
    assert classes == ["overdue", "soon", "ontime", *["ontime"] * 14, "waiting"]
    assert "เกินมา 3 วันทำการ" in page and "อีก 3 วันทำการ" in page and "รอวันที่ -" in page
    folded = page[page.index("<details>") :]
    assert folded.count("<tr class=") == len(deadlines) - 15
    assert "ศึกษา &lt;b&gt;วิเคราะห์&lt;/b&gt;" in page
    assert "ยังไม่มีการบันทึกในปีงบประมาณนี้" in page


def test_a_year_without_records_has_a_page(workspace: Workspace) -> None:
    """An empty year still gives a page: fourteen procedures not started, their deadlines, no activity."""
    (path,) = export_year(workspace, 2571, ExportFormat.html, None, TODAY, force=False)
    text = path.read_text(encoding="utf-8")
    assert text.count('<span class="badge not_started">ยังไม่เริ่ม</span>') == 14
    assert "ยังไม่มีการบันทึกในปีงบประมาณนี้" in text


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


PAGE_FACTS = {
    "scripts": "document.scripts.length",
    "text": "document.body.innerText",
    "overflow": "document.documentElement.scrollWidth - document.documentElement.clientWidth",
    "font": "getComputedStyle(document.body).fontFamily",
    "cards": "document.querySelectorAll('article.card').length",
    "bars": "document.querySelectorAll('.progress svg').length",
}


@pytest.mark.parametrize(
    ("width", "height", "mobile"), [(1280, 900, False), (390, 844, True)], ids=["desktop", "phone"]
)
def test_page_in_a_real_browser(page: Path, tmp_path: Path, width: int, height: int, mobile: bool) -> None:
    """Headless Chromium opens the page: no console error, no request, the note as text, no sideways scroll."""
    if find_chromium() is None:
        pytest.fail(f"Chromium is needed for this test and was not found: {INSTALL_HINT}")
    try:
        check = check_page(page, width=width, height=height, mobile=mobile, evaluate=PAGE_FACTS, timeout=90)
    except BrowserError as exc:
        pytest.fail(str(exc))
    shot = tmp_path / f"page-{width}.png"
    shot.write_bytes(check.screenshot)
    shot_width, shot_height = _png_size(check.screenshot)
    assert shot_width == width and shot_height > height  # the whole page, taller than one screen
    assert len(check.screenshot) > 50_000, "the screenshot is nearly blank"
    assert check.errors == []
    assert check.requests == []
    facts = check.values
    assert facts["scripts"] == 0
    assert NOTE in facts["text"] and "ปีงบประมาณ 2570" in facts["text"]
    assert facts["overflow"] <= 0, f"the page scrolls sideways by {facts['overflow']} px"
    assert "Sarabun" in facts["font"]
    assert facts["cards"] == facts["bars"] == 14


def test_the_browser_check_sees_errors_and_requests(tmp_path: Path) -> None:
    """The check is not blind: a console error, an exception and a loaded image are all reported."""
    if find_chromium() is None:
        pytest.fail(f"Chromium is needed for this test and was not found: {INSTALL_HINT}")
    bad = tmp_path / "bad.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="th"><meta charset="utf-8"><body><p>หน้า</p>'
        '<img src="missing.png"><img src="http://127.0.0.1:9/x.png">'
        '<script>console.error("boom"); undefinedFunction();</script></body></html>',
        encoding="utf-8",
    )
    check = check_page(bad, evaluate={"text": "document.body.innerText"}, timeout=60)
    assert any("boom" in e for e in check.errors)
    assert any("undefinedFunction" in e for e in check.errors)
    assert any(url.endswith("/missing.png") for url in check.requests)
    assert "http://127.0.0.1:9/x.png" in check.requests
    assert check.values["text"].strip() == "หน้า"
