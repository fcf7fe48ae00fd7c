"""The documents as printed: converted by LibreOffice and read page by page, as a สารบรรณ reads them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sop_cli.models.documents import CommitteeMember
from sop_cli.rendering.docx_official import COPIES_ATTACHED, build_letter, build_memo, build_order, save_document
from sop_cli.thai_calendar import thai_digits
from tests.rendering.pdf_pages import convert, needs_libreoffice, page_count, page_of, pages
from tests.rendering.test_docx_official import letter, memo, order, settings

pytestmark = needs_libreoffice

COPIES = (
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๑",
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๒",
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๓",
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงราย",
    "สำนักงานอาชีวศึกษาจังหวัดเชียงราย",
    "มหาวิทยาลัยราชภัฏเชียงราย",
    "องค์การบริหารส่วนจังหวัดเชียงราย",
)
# Twelve members in the order a secretary might type them: the chair and secretaries in the middle.
MEMBERS = (
    ("นางเสาวลักษณ์ นันไชยบัว", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาประถมศึกษาเชียงราย เขต ๒", "กรรมการ"),
    ("นายเกษมสรรค์ ทองดี", "ศึกษานิเทศก์ชำนาญการพิเศษ", "กรรมการและผู้ช่วยเลขานุการ"),
    ("นางสาวพิมพ์ชนก ศรีวงศ์สวัสดิ์", "รองศึกษาธิการจังหวัดเชียงราย", "รองประธานกรรมการ"),
    ("นายสมศักดิ์ ประเสริฐวงศ์", "ศึกษานิเทศก์ชำนาญการ", "กรรมการ"),
    ("นางนันทนา จันทร์ฝั้น", "ศึกษานิเทศก์ชำนาญการพิเศษ", "กรรมการและเลขานุการ"),
    ("นายสมชาย ใจดี", "ศึกษาธิการจังหวัดเชียงราย", "ประธานกรรมการ"),
    ("นางสาวสุดารัตน์ แก้วมณี", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงราย", "กรรมการ"),
    ("นายประเสริฐ ใจงาม", "ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล", "กรรมการ"),
    ("นางวิไลวรรณ อินทร์แก้ว", "นักวิชาการศึกษาชำนาญการ", "กรรมการ"),
    ("นายธนพล วงศ์ใหญ่", "ศึกษานิเทศก์ชำนาญการ", "กรรมการ"),
    ("นางสาวกัญญารัตน์ ปัญญาดี", "นักจัดการงานทั่วไปปฏิบัติการ", "กรรมการ"),
    ("นายอนุชา บุญมา", "ผู้อำนวยการโรงเรียนเทศบาล ๖ นครเชียงราย", "กรรมการ"),
)
DUTIES = "ประสานงานและจัดทำรายงานการประชุม"


def printed(tmp_path: Path, name: str, doc: object) -> Path:
    """Save a built document, convert it to PDF/A, return the PDF."""
    docx = tmp_path / f"{name}.docx"
    save_document(doc, docx)  # type: ignore[arg-type]
    return convert(docx).path


def thai(number: int) -> str:
    """A number in Thai digits."""
    return thai_digits(str(number))


def all_lines(found: list[list[str]]) -> list[str]:
    """Every line of every page."""
    return [line for page in found for line in page]


def test_a_memo_is_one_page_and_keeps_what_must_stay_whole(tmp_path: Path) -> None:
    """One A4 page; the telephone, the dates and "พ.ศ. ๒๕๗๐" never end a line half-way."""
    pdf = printed(tmp_path, "memo", build_memo(memo(), settings()))
    assert page_count(pdf) == 1
    lines = all_lines(pages(pdf))
    assert any("โทร. ๐ ๕๓๑๗ ๕๑๒๓" in line for line in lines)
    assert any("วันที่ ๒๕ พฤศจิกายน ๒๕๖๙" in line for line in lines)
    assert not [line for line in lines if re.search(r"(พ\.ศ\.|โทร\.|๐ ๕๓๑๗)$", line)]
    assert any("(นางสาวพิมพ์ชนก ศรีวงศ์)" in line for line in lines)


def test_the_last_page_of_a_long_memo_has_text_above_the_signature(tmp_path: Path) -> None:
    """A memo running onto page 2: at least two lines of text there before the signature."""
    base = memo()
    body = (*base.body[:2], *base.body[:2], *base.body[:2], base.body[0] + " " + base.body[1], base.body[2])
    pdf = printed(tmp_path, "memo-long", build_memo(base.model_copy(update={"body": body}), settings()))
    found = pages(pdf)
    assert len(found) == 2
    last = found[-1]
    signature = next(i for i, line in enumerate(last) if line.startswith("(นางสาวพิมพ์ชนก"))
    text = [line for line in last[:signature] if not re.fullmatch(r"- \S+ -", line)]
    assert len(text) >= 2, last


def test_a_letter_with_five_copies_keeps_its_closing_block_on_one_page(tmp_path: Path) -> None:
    """Closing, name, position, unit, telephone, fax, e-mail and the five copies share a page with text."""
    pdf = printed(tmp_path, "letter", build_letter(letter().model_copy(update={"copies_to": COPIES[:5]}), settings()))
    found = pages(pdf)
    assert len(found) == 2
    page = page_of(found, "ขอแสดงความนับถือ")
    block = [
        "(นายประเสริฐ ใจงาม)",
        "ศึกษาธิการจังหวัดเชียงราย",
        "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา",
        "โทร. ๐ ๕๓๑๗ ๕๑๒๓",
        "โทรสาร ๐ ๕๓๑๗ ๕๑๒๔",
        "อีเมล nitet2@chiangraipeo.go.th",
        "สำเนาส่ง",
        *(f"{thai(i)}. {name}" for i, name in enumerate(COPIES[:5], 1)),
    ]
    assert [item for item in block if not any(item in line for line in found[page])] == []
    closing_at = found[page].index("ขอแสดงความนับถือ")
    assert closing_at >= 2  # text above the closing on its page (the page number is not text)
    assert page_of(found, "จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์") == page


def test_a_long_copy_list_is_attached_on_a_page_of_its_own(tmp_path: Path) -> None:
    """Seven copies: สำเนาส่ง reads ส่งไปตามรายชื่อที่แนบ, and the list follows on the last page."""
    doc = build_letter(letter().model_copy(update={"copies_to": COPIES}), settings())
    found = pages(printed(tmp_path, "letter7", doc))
    assert page_of(found, f"สำเนาส่ง {COPIES_ATTACHED}") == page_of(found, "ขอแสดงความนับถือ")
    last = found[-1]
    assert "รายชื่อส่วนราชการที่ส่งสำเนา" in last
    assert "แนบท้ายหนังสือ ที่ ศธ ๐๒๘๘/๑๒๓๔ ลงวันที่ ๒๕ พฤศจิกายน ๒๕๖๙" in last
    listed = [line for line in last if re.match(r"^[๑-๙]\. ", line)]
    assert listed == [f"{thai(i)}. {n}" for i, n in enumerate(COPIES, 1)]
    assert page_of(found, "ขอแสดงความนับถือ") < len(found) - 1


@pytest.fixture
def committee_pdf(tmp_path: Path) -> list[list[str]]:
    """An order of twelve members, every fourth with duties of their own, signed for the head."""
    members = tuple(
        CommitteeMember(name=n, position=p, role=r, duties=DUTIES if i % 4 == 0 else "")
        for i, (n, p, r) in enumerate(MEMBERS)
    )
    closing = (
        "ให้คณะกรรมการมีหน้าที่ประชุม วางแผน และกำหนดแนวทางการกำกับ ดูแล เร่งรัด ติดตามและประเมินผล "
        "และสรุปรายงานผลต่อศึกษาธิการจังหวัดเชียงราย ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"
    )
    changes = {
        "members": members,
        "closing": closing,
        "positions": ("รองศึกษาธิการจังหวัดเชียงราย",),
        "acting": "ปฏิบัติราชการแทน",
        "acting_for": "ศึกษาธิการจังหวัดเชียงราย",
    }
    return pages(printed(tmp_path, "order", build_order(order().model_copy(update=changes), settings())))


def test_every_member_is_whole_on_one_line_of_one_page(committee_pdf: list[list[str]]) -> None:
    """Number, full name and role on one line, in role order; a member's duties on the same page."""
    found = committee_pdf
    assert len(found) == 2
    ranks = ["ประธานกรรมการ", "รองประธานกรรมการ", "กรรมการ", "กรรมการและเลขานุการ", "กรรมการและผู้ช่วยเลขานุการ"]
    expected = sorted(MEMBERS, key=lambda m: ranks.index(m[2]))
    lines = all_lines(found)
    for number, (name, _, role) in enumerate(expected, 1):
        line = next((line for line in lines if line.startswith(f"{thai(number)}. {name}")), None)
        assert line is not None, f"{thai(number)}. {name} is not whole at the start of a line"
        if role != "กรรมการและผู้ช่วยเลขานุการ":  # that one breaks after และ, as a role may
            assert line.endswith(role), line
    for name, _, _ in MEMBERS[::4]:
        page = page_of(found, name)
        assert page_of(found, f"มีหน้าที่{DUTIES}") in {page, 0}
        at = next(i for i, line in enumerate(found[page]) if name in line)
        assert any(f"มีหน้าที่{DUTIES}" in line for line in found[page][at + 1 : at + 5])


def test_the_order_closes_with_its_own_effective_date_and_acting_signature(committee_pdf: list[list[str]]) -> None:
    """ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป is its own line; สั่ง ณ วันที่ and the acting signature stay with it."""
    found = committee_pdf
    page = page_of(found, "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป")
    assert "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป" in found[page]
    for line in (
        "สั่ง ณ วันที่ ๒๕ พฤศจิกายน พ.ศ. ๒๕๖๙",
        "(นายประเสริฐ ใจงาม)",
        "รองศึกษาธิการจังหวัดเชียงราย ปฏิบัติราชการแทน",
        "ศึกษาธิการจังหวัดเชียงราย",
    ):
        assert page_of(found, line) == page or line == "ศึกษาธิการจังหวัดเชียงราย"
    assert found[page][-1] == "ศึกษาธิการจังหวัดเชียงราย"
