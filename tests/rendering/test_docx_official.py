"""The memo, letter and order are laid out per the regulation: checked by reading the .docx back."""

from __future__ import annotations

import datetime as dt
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from sop_cli.errors import SopError
from sop_cli.models.documents import CommitteeMember, ExternalLetter, Memo, OfficeSettings, Order
from sop_cli.rendering.docx_common import plain_text
from sop_cli.rendering.docx_official import (
    GARUDA_PLACEHOLDER,
    GarudaImageError,
    build_letter,
    build_memo,
    build_order,
    save_document,
)

FONT = "TH SarabunPSK"
THAI_DIGIT = re.compile("[๐-๙]")
ARABIC_DIGIT = re.compile("[0-9]")
EMAIL = "nitet2@chiangraipeo.go.th"


ISSUED = dt.date(2026, 11, 25)


def settings(**changes: object) -> OfficeSettings:
    """The Chiang Rai office's settings: the builder reads the office's name, font, digits and emblem."""
    values: dict[str, object] = {"office_name": "สำนักงานศึกษาธิการจังหวัดเชียงราย"}
    return OfficeSettings.model_validate({**values, **changes})


def memo() -> Memo:
    """A memo to the provincial education officer proposing a committee."""
    return Memo(
        unit="สำนักงานศึกษาธิการจังหวัดเชียงราย กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา โทร. 0 5317 5123",
        number="ศธ 0288/123",
        date="25 พฤศจิกายน 2569",
        subject="ขออนุมัติแต่งตั้งคณะกรรมการนิเทศ ติดตามและประเมินผลการจัดการศึกษา ประจำปีงบประมาณ พ.ศ. 2570",
        addressee="ศึกษาธิการจังหวัดเชียงราย",
        body=(
            "ด้วยสำนักงานศึกษาธิการจังหวัดเชียงราย มีภารกิจในการนิเทศ ติดตาม และประเมินผลการจัดการศึกษา"
            "ตามขั้นตอนการปฏิบัติงาน ประจำปีงบประมาณ พ.ศ. 2570 เพื่อให้การดำเนินงานเป็นไปด้วยความเรียบร้อย"
            " มีประสิทธิภาพ และบรรลุวัตถุประสงค์ จึงเห็นควรแต่งตั้งคณะกรรมการ จำนวน 4 คน",
            "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา ได้จัดทำร่างคำสั่งแต่งตั้งคณะกรรมการดังกล่าวเรียบร้อยแล้ว รายละเอียดตามสิ่งที่ส่งมาด้วย",
            "จึงเรียนมาเพื่อโปรดพิจารณา หากเห็นชอบโปรดลงนามในคำสั่งที่แนบมาพร้อมนี้",
        ),
        signatory="นางสาวพิมพ์ชนก ศรีวงศ์",
        positions=("ผู้อำนวยการกลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",),
        issued=ISSUED,
    )


def letter() -> ExternalLetter:
    """A letter asking a primary education area office to send a representative."""
    return ExternalLetter(
        number="ศธ 0288/1234",
        office_address=(
            "สำนักงานศึกษาธิการจังหวัดเชียงราย",
            "ถนนแม่ฟ้าหลวง ตำบลริมกก",
            "อำเภอเมือง จังหวัดเชียงราย 57100",
        ),
        date="25 พฤศจิกายน 2569",
        subject="ขอความอนุเคราะห์ส่งผู้แทนเข้าร่วมประชุมคณะกรรมการนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        addressee="ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต 1",
        references=("หนังสือสำนักงานศึกษาธิการจังหวัดเชียงราย ที่ ศธ 0288/1001 ลงวันที่ 1 ตุลาคม 2569",),
        enclosures=("กำหนดการประชุม จำนวน 1 ฉบับ", "แบบตอบรับการเข้าร่วมประชุม จำนวน 1 ฉบับ"),
        body=(
            "ตามที่สำนักงานศึกษาธิการจังหวัดเชียงราย ได้แจ้งแผนการนิเทศ ติดตามและประเมินผลการจัดการศึกษา"
            " ประจำปีงบประมาณ พ.ศ. 2570 ให้ทราบแล้ว นั้น",
            "สำนักงานศึกษาธิการจังหวัดเชียงราย จะจัดประชุมคณะกรรมการนิเทศ ติดตามและประเมินผลการจัดการศึกษา"
            " ในวันที่ 10 ธันวาคม 2569 เวลา 09.00 น. ณ ห้องประชุมสำนักงานศึกษาธิการจังหวัดเชียงราย"
            " จึงขอความอนุเคราะห์ส่งผู้แทนจำนวน 1 คน เข้าร่วมประชุม และส่งแบบตอบรับภายในวันที่ 5 ธันวาคม 2569",
            "จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์",
        ),
        signatory="นายประเสริฐ ใจงาม",
        positions=("ศึกษาธิการจังหวัดเชียงราย",),
        drafting_unit="กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        telephone="0 5317 5123",
        fax="0 5317 5124",
        email=EMAIL,
        copies_to=("สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงราย",),
        issued=ISSUED,
    )


def order() -> Order:
    """An order appointing a committee of four."""
    duties = "มีหน้าที่ วางแผน นิเทศ ติดตาม และรายงานผลการจัดการศึกษาต่อศึกษาธิการจังหวัดเชียงราย"
    return Order(
        issuer="คำสั่งสำนักงานศึกษาธิการจังหวัดเชียงราย",
        number="12/2570",
        subject="แต่งตั้งคณะกรรมการนิเทศ ติดตามและประเมินผลการจัดการศึกษา ประจำปีงบประมาณ พ.ศ. 2570",
        preamble=(
            "เพื่อให้การนิเทศ ติดตามและประเมินผลการจัดการศึกษาในจังหวัดเชียงราย ประจำปีงบประมาณ พ.ศ. 2570"
            " เป็นไปตามขั้นตอนการปฏิบัติงาน มีประสิทธิภาพ และเกิดประโยชน์สูงสุดต่อผู้เรียน",
            "อาศัยอำนาจตามความในมาตรา 22 แห่งพระราชบัญญัติระเบียบบริหารราชการกระทรวงศึกษาธิการ พ.ศ. 2546"
            " และคำสั่งหัวหน้าคณะรักษาความสงบแห่งชาติ ที่ 19/2560 จึงแต่งตั้งคณะกรรมการ ดังนี้",
        ),
        members=(
            CommitteeMember(
                name="นายประเสริฐ ใจงาม", position="ศึกษาธิการจังหวัดเชียงราย", role="ประธานกรรมการ", duties=duties
            ),
            CommitteeMember(name="นางสาวสุดารัตน์ แก้วมณี", position="รองศึกษาธิการจังหวัดเชียงราย", role="รองประธานกรรมการ"),
            CommitteeMember(name="นายสมชาย ใจดี", position="ศึกษานิเทศก์ชำนาญการพิเศษ", role="กรรมการ"),
            CommitteeMember(
                name="นางสาวพิมพ์ชนก ศรีวงศ์",
                position="ศึกษานิเทศก์ชำนาญการ",
                role="กรรมการและเลขานุการ",
                duties="มีหน้าที่ จัดทำรายงานการประชุมและประสานงาน",
            ),
        ),
        signed_on="25 พฤศจิกายน พ.ศ. 2569",
        signatory="นายประเสริฐ ใจงาม",
        positions=("ศึกษาธิการจังหวัดเชียงราย",),
        issued=ISSUED,
    )


BUILDS: dict[str, Callable[[OfficeSettings], Document]] = {
    "memo": lambda s: build_memo(memo(), s),
    "letter": lambda s: build_letter(letter(), s),
    "order": lambda s: build_order(order(), s),
}
EMBLEM_CM = {"memo": 1.5, "letter": 3.0, "order": 3.0}


def cm(length: int | None) -> float:
    """A stored length in centimetres, to 0.01 cm (Word keeps twips, so Cm(x) comes back rounded)."""
    assert length is not None
    return round(length / Cm(1), 2)


def png(width: int, height: int) -> bytes:
    """A small opaque RGBA PNG written with zlib and struct only."""
    rows = b"".join(b"\x00" + b"\xc0\x90\x20\xff" * width for _ in range(height))  # filter 0, gold pixels
    out = b"\x89PNG\r\n\x1a\n"
    for kind, data in (
        (b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)),
        (b"IDAT", zlib.compress(rows)),
        (b"IEND", b""),
    ):
        out += struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return out


def saved(tmp_path: Path, kind: str, office: OfficeSettings | None = None) -> Document:
    """Build `kind`, save it and read it back with python-docx."""
    path = tmp_path / f"{kind}.docx"
    save_document(BUILDS[kind](office or settings()), path)
    return docx.Document(str(path))


def parts(doc: Document) -> list[BaseOxmlElement]:
    """Root elements of the body, page 1's header and the later pages' header."""
    section = doc.sections[0]
    return [doc.element.body, section.first_page_header.part.element, section.header.part.element]


def runs(doc: Document) -> Iterator[BaseOxmlElement]:
    """Every w:r of the body and both headers (table cells included)."""
    for root in parts(doc):
        yield from root.iter(qn("w:r"))


def all_text(doc: Document) -> str:
    """Every w:t and w:instrText of the document and its headers, without joiners and no-break spaces."""
    return plain_text(
        "".join(node.text or "" for root in parts(doc) for node in root.iter(qn("w:t"), qn("w:instrText")))
    )


def texts(doc: Document) -> list[str]:
    """Text of the body's paragraphs as a reader sees it (joiners left out), empty ones left out."""
    return [plain_text(p.text) for p in doc.paragraphs if p.text.strip()]


def paragraph(doc: Document, start: str) -> Paragraph:
    """The first body paragraph whose text, as a reader sees it, starts with `start`."""
    return next(p for p in doc.paragraphs if plain_text(p.text).startswith(start))


def emblem_extent(doc: Document) -> tuple[int, int, str]:
    """(width, height, description) of the inline picture in page 1's header."""
    header = doc.sections[0].first_page_header.part.element
    inlines = header.findall(".//" + qn("wp:inline"))
    assert len(inlines) == 1
    extent = inlines[0].find(qn("wp:extent"))
    return int(extent.get("cx")), int(extent.get("cy")), inlines[0].find(qn("wp:docPr")).get("descr", "")


@pytest.mark.parametrize("kind", BUILDS)
def test_page_is_a4_with_the_regulation_margins(tmp_path: Path, kind: str) -> None:
    """A4, left 3 cm, right 2 cm, bottom 2 cm, text of later pages from 2.5 cm, headers from 1.5 cm."""
    section = saved(tmp_path, kind).sections[0]
    assert (cm(section.page_width), cm(section.page_height)) == (21.0, 29.7)
    assert (cm(section.left_margin), cm(section.right_margin), cm(section.bottom_margin)) == (3.0, 2.0, 2.0)
    assert cm(section.top_margin) == 2.5
    assert cm(section.header_distance) == 1.5
    assert section.different_first_page_header_footer


@pytest.mark.parametrize("kind", BUILDS)
def test_every_run_carries_the_thai_font_size_and_language(tmp_path: Path, kind: str) -> None:
    """Each run names the font for all scripts, sets sz and szCs, bCs when bold, and bidi th-TH."""
    sizes = set()
    for run in runs(saved(tmp_path, kind)):
        rpr = run.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts"))
        for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(script)) == FONT
        size = rpr.find(qn("w:sz")).get(qn("w:val"))
        assert rpr.find(qn("w:szCs")).get(qn("w:val")) == size
        assert (rpr.find(qn("w:b")) is None) == (rpr.find(qn("w:bCs")) is None)
        assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
        sizes.add(size)
    assert sizes == ({"32", "40", "58"} if kind == "memo" else {"32"})


def test_memo_sizes_labels_20_bold_title_29_bold_values_16(tmp_path: Path) -> None:
    """Memo header labels are 20 pt bold, บันทึกข้อความ 29 pt bold, everything else 16 pt regular."""
    doc = saved(tmp_path, "memo")
    for run in runs(doc):
        text = "".join(t.text or "" for t in run.iter(qn("w:t")))
        rpr = run.find(qn("w:rPr"))
        bold = rpr.find(qn("w:bCs")) is not None
        size = rpr.find(qn("w:sz")).get(qn("w:val"))
        if text in {"ส่วนราชการ", "ที่", "วันที่", "เรื่อง"}:
            assert (size, bold) == ("40", True)
        elif text == "บันทึกข้อความ":
            assert (size, bold) == ("58", True)
        else:
            assert (size, bold) == ("32", False), text


def test_office_font_is_used_everywhere(tmp_path: Path) -> None:
    """A font chosen in the settings (TH Sarabun New) replaces TH SarabunPSK on every run and style."""
    doc = saved(tmp_path, "letter", settings(font="TH Sarabun New"))
    names = {
        fonts.get(qn(script))
        for root in [*parts(doc), doc.styles["Normal"].element, doc.styles.element.find(qn("w:docDefaults"))]
        for fonts in root.iter(qn("w:rFonts"))
        for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
    }
    assert names == {"TH Sarabun New"}


def test_normal_style_and_defaults_carry_the_thai_typography(tmp_path: Path) -> None:
    """Normal: TH SarabunPSK for every script, 16 pt (sz and szCs), Thai bidi, single, nothing after."""
    doc = saved(tmp_path, "memo")
    normal = doc.styles["Normal"]
    rpr = normal.element.find(qn("w:rPr"))
    assert {rpr.find(qn("w:rFonts")).get(qn(s)) for s in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")} == {FONT}
    assert rpr.find(qn("w:sz")).get(qn("w:val")) == rpr.find(qn("w:szCs")).get(qn("w:val")) == "32"
    assert rpr.find(qn("w:lang")).get(qn("w:bidi")) == "th-TH"
    assert normal.paragraph_format.space_after == 0
    assert normal.paragraph_format.line_spacing == 1.0
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:cs")) == FONT
    assert defaults.find(".//" + qn("w:rFonts")).get(qn("w:asciiTheme")) is None
    assert defaults.find(".//" + qn("w:spacing")).get(qn("w:after")) == "0"


@pytest.mark.parametrize("kind", BUILDS)
def test_compatibility_mode_is_15(tmp_path: Path, kind: str) -> None:
    """The settings ask for Word 2013+ layout (compatibilityMode 15), not the template's 14."""
    compat = saved(tmp_path, kind).settings.element.find(qn("w:compat"))
    modes = [s.get(qn("w:val")) for s in compat if s.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]


def test_memo_header_lines_in_order_with_values(tmp_path: Path) -> None:
    """ส่วนราชการ, ที่ … วันที่ on one line, เรื่อง, เรียน, in the regulation's order, Thai digits."""
    lines = texts(saved(tmp_path, "memo"))
    assert lines[0] == (
        "ส่วนราชการ\tสำนักงานศึกษาธิการจังหวัดเชียงราย กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา โทร. ๐ ๕๓๑๗ ๕๑๒๓\t"
    )
    assert lines[1] == "ที่  ศธ ๐๒๘๘/๑๒๓\tวันที่  ๒๕ พฤศจิกายน ๒๕๖๙\t"
    assert lines[2].startswith("เรื่อง\tขออนุมัติแต่งตั้งคณะกรรมการ")
    assert lines[2].endswith("พ.ศ. ๒๕๗๐\t")
    assert lines[3] == "เรียน  ศึกษาธิการจังหวัดเชียงราย"
    assert lines[4].startswith("ด้วยสำนักงานศึกษาธิการจังหวัดเชียงราย")


def test_memo_header_lines_end_in_dotted_leaders(tmp_path: Path) -> None:
    """Values run into dots to a right tab at 16 cm; วันที่ starts at 8 cm after a dotted tab.

    The value of ส่วนราชการ and เรื่อง starts at a tab, and its continuation lines hang under it.
    """
    doc = saved(tmp_path, "memo")
    to_margin = (16.0, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    for start, column in (("ส่วนราชการ", 2.6), ("เรื่อง", 1.25)):
        fmt = paragraph(doc, start).paragraph_format
        tabs = [(cm(t.position), t.alignment, t.leader) for t in fmt.tab_stops]
        assert tabs == [(column, WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.SPACES), to_margin]
        assert (cm(fmt.left_indent), cm(fmt.first_line_indent)) == (column, -column)
    tabs = paragraph(doc, "ที่").paragraph_format.tab_stops
    assert [(cm(t.position), t.alignment, t.leader) for t in tabs] == [
        (8.0, WD_TAB_ALIGNMENT.LEFT, WD_TAB_LEADER.DOTS),
        to_margin,
    ]


def test_memo_has_no_rule_border_or_table(tmp_path: Path) -> None:
    """No solid line anywhere in a memo: no paragraph or run border, no drawn line, no table."""
    doc = saved(tmp_path, "memo")
    lines = {"pBdr", "bdr", "tbl", "tblBorders", "ln", "line", "pict", "wsp", "u"}
    for root in parts(doc):
        names = {str(node.tag).rsplit("}", 1)[-1] for node in root.iter()}
        assert names & lines == set()


def test_memo_title_band_in_page_one_header(tmp_path: Path) -> None:
    """Page 1's header holds the emblem at the left and บันทึกข้อความ centred by a tab at 8 cm."""
    header = saved(tmp_path, "memo").sections[0].first_page_header.paragraphs[0]
    assert header.text == "\tบันทึกข้อความ"
    assert header.paragraph_format.alignment in (None, WD_ALIGN_PARAGRAPH.LEFT)
    assert [(cm(t.position), t.alignment) for t in header.paragraph_format.tab_stops] == [
        (8.0, WD_TAB_ALIGNMENT.CENTER)
    ]


@pytest.mark.parametrize("kind", BUILDS)
def test_body_paragraphs_indent_space_and_justify(tmp_path: Path, kind: str) -> None:
    """Body paragraphs: 2.5 cm first line, 6 pt before, Thai distributed justification."""
    doc = saved(tmp_path, kind)
    body = [p for p in doc.paragraphs if cm(p.paragraph_format.first_line_indent or 0) == 2.5]
    assert len(body) == 3
    for p in body:
        assert p.paragraph_format.space_before == Pt(6)
        assert p.alignment == WD_ALIGN_PARAGRAPH.THAI_JUSTIFY


@pytest.mark.parametrize(("kind", "start"), [("memo", "เรื่อง"), ("memo", "เรียน"), ("letter", "เรื่อง")])
def test_subject_and_addressee_have_6_pt_before(tmp_path: Path, kind: str, start: str) -> None:
    """เรื่อง and เรียน get the "one Enter plus 6 pt" space before."""
    assert paragraph(saved(tmp_path, kind), start).paragraph_format.space_before == Pt(6)


def test_letter_header_block_in_order(tmp_path: Path) -> None:
    """ที่ and the address from 10 cm, the date from 8 cm, เรื่อง, เรียน, อ้างถึง, สิ่งที่ส่งมาด้วย."""
    doc = saved(tmp_path, "letter")
    lines = texts(doc)
    assert lines[:9] == [
        "ที่ ศธ ๐๒๘๘/๑๒๓๔\tสำนักงานศึกษาธิการจังหวัดเชียงราย",
        "ถนนแม่ฟ้าหลวง ตำบลริมกก",
        "อำเภอเมือง จังหวัดเชียงราย ๕๗๑๐๐",
        "๒๕ พฤศจิกายน ๒๕๖๙",
        "เรื่อง\tขอความอนุเคราะห์ส่งผู้แทนเข้าร่วมประชุมคณะกรรมการนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        "เรียน\tผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๑",
        "อ้างถึง\tหนังสือสำนักงานศึกษาธิการจังหวัดเชียงราย ที่ ศธ ๐๒๘๘/๑๐๐๑ ลงวันที่ ๑ ตุลาคม ๒๕๖๙",
        "สิ่งที่ส่งมาด้วย\t๑. กำหนดการประชุม จำนวน ๑ ฉบับ",
        "๒. แบบตอบรับการเข้าร่วมประชุม จำนวน ๑ ฉบับ",
    ]
    first = doc.paragraphs[0].paragraph_format
    assert (cm(first.left_indent), cm(first.first_line_indent)) == (10.0, -10.0)
    assert cm(doc.paragraphs[1].paragraph_format.left_indent) == 10.0
    assert cm(paragraph(doc, "๒๕ พฤศจิกายน").paragraph_format.left_indent) == 8.0
    for start in ("อ้างถึง", "สิ่งที่ส่งมาด้วย"):
        assert paragraph(doc, start).paragraph_format.space_before == Pt(6)


def test_letter_closing_signature_contact_and_copies(tmp_path: Path) -> None:
    """Closing, (name) and position on the 9.8 cm axis; drafting unit and contacts; สำเนาส่ง last."""
    doc = saved(tmp_path, "letter")
    lines = texts(doc)
    assert lines[-8:] == [
        "ขอแสดงความนับถือ",
        "(นายประเสริฐ ใจงาม)",
        "ศึกษาธิการจังหวัดเชียงราย",
        "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        "โทร. ๐ ๕๓๑๗ ๕๑๒๓",
        "โทรสาร ๐ ๕๓๑๗ ๕๑๒๔",
        f"อีเมล {EMAIL}",
        "สำเนาส่ง\tสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงราย",
    ]
    for start in ("ขอแสดงความนับถือ", "(นายประเสริฐ", "ศึกษาธิการจังหวัดเชียงราย"):
        fmt = paragraph(doc, start).paragraph_format
        # Centred between a 3.6 cm left indent and the right margin: the centre is 9.8 cm.
        assert fmt.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert (cm(fmt.left_indent) + 16.0) / 2 == 9.8


def test_signature_has_three_lines_of_room(tmp_path: Path) -> None:
    """Three empty lines precede "(name)" in each kind (no closing formula in a memo)."""
    for kind in BUILDS:
        paragraphs = saved(tmp_path, kind).paragraphs
        at = next(i for i, p in enumerate(paragraphs) if p.text.startswith("("))
        assert [p.text for p in paragraphs[at - 3 : at]] == ["", "", ""]
        assert paragraphs[at - 4].text != ""
    assert "ขอแสดงความนับถือ" not in texts(saved(tmp_path, "memo"))


def test_order_title_rule_members_and_signed_at(tmp_path: Path) -> None:
    """Centred issuer (bold), ที่ n/yyyy, เรื่อง, a short rule, four numbered members, สั่ง ณ วันที่."""
    doc = saved(tmp_path, "order")
    first = doc.paragraphs[:4]
    assert [plain_text(p.text) for p in first[:3]] == [
        "คำสั่งสำนักงานศึกษาธิการจังหวัดเชียงราย",
        "ที่ ๑๒/๒๕๗๐",
        "เรื่อง แต่งตั้งคณะกรรมการนิเทศ ติดตามและประเมินผลการจัดการศึกษา ประจำปีงบประมาณ พ.ศ. ๒๕๗๐",
    ]
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in first)
    assert first[0].runs[0].bold
    rule = first[3]._p.find(".//" + qn("w:pBdr"))
    assert rule is not None and rule.find(qn("w:bottom")).get(qn("w:val")) == "single"
    rows = member_rows(doc)
    assert rows[0] == ["๑.", "นายประเสริฐ ใจงาม", "ศึกษาธิการจังหวัดเชียงราย", "ประธานกรรมการ"]
    assert rows[1][0] == "" and rows[1][1].startswith("มีหน้าที่ วางแผน")
    assert [r[3] for r in rows if r[0]] == ["ประธานกรรมการ", "รองประธานกรรมการ", "กรรมการ", "กรรมการและเลขานุการ"]
    assert rows[-1][1] == "มีหน้าที่ จัดทำรายงานการประชุมและประสานงาน"
    lines = texts(doc)
    assert lines[lines.index("ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป") + 1] == "สั่ง ณ วันที่ ๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙"


def member_rows(doc: Document) -> list[list[str]]:
    """The cells of the members' table, as a reader sees them (a spanning cell counted once)."""
    rows = []
    for tr in doc.tables[0]._tbl.tr_lst:
        rows.append([plain_text("".join(t.text or "" for t in tc.iter(qn("w:t")))) for tc in tr.tc_lst])
    return rows


def test_no_thai_justification_inside_table_cells(tmp_path: Path) -> None:
    """Table cells are left aligned: distributed justification spreads short Thai cells apart."""
    for row in saved(tmp_path, "order").tables[0].rows:
        for cell in row.cells:
            assert all(p.alignment != WD_ALIGN_PARAGRAPH.THAI_JUSTIFY for p in cell.paragraphs)


@pytest.mark.parametrize("kind", BUILDS)
def test_emblem_scaled_by_height_keeping_aspect(tmp_path: Path, kind: str) -> None:
    """The office's Garuda is 1.5 cm high in a memo, 3 cm in a letter and an order; width follows."""
    garuda = tmp_path / "garuda.png"
    garuda.write_bytes(png(40, 50))
    width, height, _ = emblem_extent(saved(tmp_path, kind, settings(garuda_path=garuda)))
    assert height == Cm(EMBLEM_CM[kind])
    assert width == pytest.approx(height * 40 / 50, abs=2)


@pytest.mark.parametrize("kind", BUILDS)
def test_without_emblem_an_empty_box_of_the_same_height(tmp_path: Path, kind: str) -> None:
    """Without a configured emblem a transparent placeholder keeps the same room."""
    width, height, description = emblem_extent(saved(tmp_path, kind))
    assert (width, height) == (Cm(EMBLEM_CM[kind]), Cm(EMBLEM_CM[kind]))
    assert description == GARUDA_PLACEHOLDER


def test_emblem_that_is_not_an_image_is_a_user_error(tmp_path: Path) -> None:
    """A text file given as the emblem gives one clear sentence, not a traceback."""
    garuda = tmp_path / "garuda.png"
    garuda.write_text("not a picture", encoding="utf-8")
    with pytest.raises(GarudaImageError) as caught:
        build_memo(memo(), settings(garuda_path=garuda))
    assert isinstance(caught.value, SopError)
    assert str(caught.value) == f"The Garuda emblem {garuda} is not a readable PNG, JPEG, GIF, BMP or TIFF image."


def test_missing_emblem_file_is_a_user_error(tmp_path: Path) -> None:
    """An emblem path that does not exist says so in one sentence."""
    garuda = tmp_path / "missing.png"
    with pytest.raises(GarudaImageError, match=r"^Cannot read the Garuda emblem .*missing\.png: .*\.$"):
        build_letter(letter(), settings(garuda_path=garuda))


@pytest.mark.parametrize("kind", BUILDS)
def test_thai_digits_everywhere_but_in_email(tmp_path: Path, kind: str) -> None:
    """With thai_digits on, no Latin digit is left except inside the e-mail address."""
    text = all_text(saved(tmp_path, kind)).replace(EMAIL, "")
    assert ARABIC_DIGIT.findall(text) == []
    assert THAI_DIGIT.search(text)


@pytest.mark.parametrize("kind", BUILDS)
def test_no_thai_digit_when_off(tmp_path: Path, kind: str) -> None:
    """With thai_digits off, the caller's Arabic digits stay and no Thai digit is generated."""
    doc = saved(tmp_path, kind, settings(thai_digits=False))
    assert THAI_DIGIT.findall(all_text(doc)) == []
    assert doc.sections[0]._sectPr.find(qn("w:pgNumType")) is None


@pytest.mark.parametrize("kind", BUILDS)
def test_page_number_field_on_later_pages_only(tmp_path: Path, kind: str) -> None:
    """Later pages show "- PAGE -" centred at the top in Thai numbers; page 1's header has none."""
    doc = saved(tmp_path, kind)
    section = doc.sections[0]
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert header.text == "- ๒ -"
    instructions = [t.text for t in section.header.part.element.iter(qn("w:instrText"))]
    assert [i.strip() for i in instructions] == ["PAGE"]
    kinds = [f.get(qn("w:fldCharType")) for f in section.header.part.element.iter(qn("w:fldChar"))]
    assert kinds == ["begin", "separate", "end"]
    assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:fmt")) == "thaiNumbers"
    assert list(section.first_page_header.part.element.iter(qn("w:instrText"))) == []


def test_save_replaces_the_file_without_leftovers(tmp_path: Path) -> None:
    """Saving twice leaves one complete .docx and no temporary file."""
    path = tmp_path / "out" / "memo.docx"
    save_document(build_memo(memo(), settings()), path)
    save_document(build_order(order(), settings()), path)
    assert [p.name for p in path.parent.iterdir()] == ["memo.docx"]
    assert plain_text(docx.Document(str(path)).paragraphs[0].text) == "คำสั่งสำนักงานศึกษาธิการจังหวัดเชียงราย"
