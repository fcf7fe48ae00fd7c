"""What keeps the documents whole on paper, read back from the .docx: keep flags, no-break text, widths."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from pydantic import ValidationError

from sop_cli.models.documents import CommitteeMember, signer_warnings
from sop_cli.rendering.docx_common import NBSP, WORD_JOINER, joined, keep_whole, plain_text, whole_name
from sop_cli.rendering.docx_official import (
    COPIES_ATTACHED,
    COPIES_IN_LETTER,
    MEMBER_COLUMNS_CM,
    build_letter,
    build_memo,
    build_order,
    closing_paragraphs,
    save_document,
)
from tests.rendering.test_docx_official import BUILDS, ISSUED, letter, member_rows, memo, order, saved, settings

MARKS = "\u0e31\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e3a\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c\u0e4d\u0e4e"


def reread(tmp_path: Path, doc: Document, name: str = "doc") -> Document:
    """Save and open again."""
    path = tmp_path / f"{name}.docx"
    save_document(doc, path)
    return docx.Document(str(path))


def kept(doc: Document) -> list[tuple[str, bool, bool]]:
    """(text, keep with next, keep lines together) of the body's paragraphs, from the first kept one."""
    rows = [
        (plain_text(p.text), bool(p.paragraph_format.keep_with_next), bool(p.paragraph_format.keep_together))
        for p in doc.paragraphs
    ]
    first = next(i for i, row in enumerate(rows) if row[1])
    return rows[first:]


# --- the closing block ----------------------------------------------------------------------------


def test_the_letter_closing_block_is_one_chain_from_two_paragraphs_of_text(tmp_path: Path) -> None:
    """The last two body paragraphs, closing, signature, foot and สำเนาส่ง keep with the next; the last ends it."""
    doc = saved(tmp_path, "letter")
    chain = kept(doc)
    texts = [text for text, _, _ in chain]
    assert texts[0].startswith("สำนักงานศึกษาธิการจังหวัดเชียงราย จะจัดประชุม")  # the second-last paragraph
    assert texts[1] == "จึงเรียนมาเพื่อโปรดพิจารณาให้ความอนุเคราะห์"
    assert texts[-1] == "สำเนาส่ง\tสำนักงานเขตพื้นที่การศึกษามัธยมศึกษาเชียงราย"
    assert [keep for _, keep, _ in chain] == [True] * (len(chain) - 1) + [False]
    # The text may split (two lines stay on each page); the lines of the rest never do.
    assert [whole for _, _, whole in chain[2:]] == [True] * (len(chain) - 2)
    assert not chain[0][2] and not chain[1][2]
    assert {"ขอแสดงความนับถือ", "(นายประเสริฐ ใจงาม)", "โทร. ๐ ๕๓๑๗ ๕๑๒๓"} <= set(texts)


@pytest.mark.parametrize("kind", ["memo", "order"])
def test_memos_and_orders_keep_two_paragraphs_of_text_with_the_signature(tmp_path: Path, kind: str) -> None:
    """The signature block keeps with the two paragraphs before it; nothing after the last position."""
    chain = kept(saved(tmp_path, kind))
    assert chain[0][0] and chain[1][0] and chain[0][1] and chain[1][1]
    assert chain[-1][1] is False and chain[-2][0].startswith("(")


def test_widow_control_is_on_for_every_paragraph(tmp_path: Path) -> None:
    """Normal and the defaults control widows and orphans: a split paragraph leaves two lines each side."""
    doc = saved(tmp_path, "memo")
    assert doc.styles["Normal"].paragraph_format.widow_control is True
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:widowControl")) is not None


def test_more_copies_than_fit_are_attached_on_a_new_page(tmp_path: Path) -> None:
    """Above five copies สำเนาส่ง says ส่งไปตามรายชื่อที่แนบ; the list follows after a page break."""
    copies = tuple(f"หน่วยงานที่ {i}" for i in range(1, COPIES_IN_LETTER + 2))
    doc = reread(tmp_path, build_letter(letter().model_copy(update={"copies_to": copies}), settings()))
    lines = [plain_text(p.text) for p in doc.paragraphs]
    at = lines.index(f"สำเนาส่ง\t{COPIES_ATTACHED}")
    title = doc.paragraphs[at + 1]
    assert plain_text(title.text) == "รายชื่อส่วนราชการที่ส่งสำเนา" and title.paragraph_format.page_break_before
    assert lines[at + 2] == "แนบท้ายหนังสือ ที่ ศธ ๐๒๘๘/๑๒๓๔ ลงวันที่ ๒๕ พฤศจิกายน ๒๕๖๙"
    assert lines[at + 3 :] == [f"{n}.\tหน่วยงานที่ {n}" for n in "๑๒๓๔๕๖"]
    assert not doc.paragraphs[at].paragraph_format.keep_with_next  # the letter ends there


def test_five_copies_stay_under_the_letter(tmp_path: Path) -> None:
    """Five copies are listed under สำเนาส่ง, numbered; no page is added."""
    copies = tuple(f"หน่วยงานที่ {i}" for i in range(1, COPIES_IN_LETTER + 1))
    doc = reread(tmp_path, build_letter(letter().model_copy(update={"copies_to": copies}), settings()))
    lines = [plain_text(p.text) for p in doc.paragraphs]
    assert lines[-5:] == ["สำเนาส่ง\t๑. หน่วยงานที่ ๑", "๒. หน่วยงานที่ ๒", "๓. หน่วยงานที่ ๓", "๔. หน่วยงานที่ ๔", "๕. หน่วยงานที่ ๕"]
    assert not any(p.paragraph_format.page_break_before for p in doc.paragraphs)


# --- the committee --------------------------------------------------------------------------------


def test_members_are_sorted_by_role_in_fixed_columns_that_never_split(tmp_path: Path) -> None:
    """Chair, vice-chair, members, secretary, assistant; 1.0/4.9/5.9/4.2 cm; cantSplit; duties under มีหน้าที่."""
    members = (
        CommitteeMember(name="นายก ข", position="ครู", role="กรรมการและผู้ช่วยเลขานุการ"),
        CommitteeMember(name="นายค ง", position="ครู", role="กรรมการและเลขานุการ", duties="จดรายงานการประชุม"),
        CommitteeMember(name="นายจ ฉ", position="ครู", role="กรรมการ"),
        CommitteeMember(name="นายช ซ", position="ครู", role="ประธานกรรมการ"),
        CommitteeMember(name="นายฌ ญ", position="ครู", role="รองประธานกรรมการ"),
    )
    doc = reread(tmp_path, build_order(order().model_copy(update={"members": members}), settings()))
    rows = member_rows(doc)
    assert [r[1] for r in rows if r[0]] == ["นายช ซ", "นายฌ ญ", "นายจ ฉ", "นายค ง", "นายก ข"]
    assert rows[4] == ["", "มีหน้าที่จดรายงานการประชุม"]
    table = doc.tables[0]._tbl
    widths = [round(int(col.get(qn("w:w"))) / 1440 * 2.54, 2) for col in table.tblGrid.findall(qn("w:gridCol"))]
    assert widths == list(MEMBER_COLUMNS_CM) and sum(widths) == 16.0
    assert table.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    for tr in table.tr_lst:
        assert tr.trPr.find(qn("w:cantSplit")) is not None
    keep_next = [tr.tc_lst[0].find(f".//{qn('w:keepNext')}") is not None for tr in table.tr_lst]
    assert keep_next == [False, False, False, True, False, False]  # the secretary, with their duties
    number = table.tr_lst[0].tc_lst[0].find(f".//{qn('w:jc')}")
    assert number.get(qn("w:val")) == "right"  # ๙. and ๑๐. end at the same place


def test_names_and_roles_are_joined_so_no_line_breaks_inside_them(tmp_path: Path) -> None:
    """A member's name: word joiners inside each word; the assistant secretary's role breaks only after และ."""
    members = (
        CommitteeMember(name="นางนันทนา จันทร์ฝั้น", position="ครู", role="ประธานกรรมการ"),
        CommitteeMember(name="นายก ข", position="ครู", role="กรรมการและผู้ช่วยเลขานุการ"),
    )
    doc = reread(tmp_path, build_order(order().model_copy(update={"members": members}), settings()))
    cells = [["".join(t.text for t in tc.iter(qn("w:t"))) for tc in tr.tc_lst] for tr in doc.tables[0]._tbl.tr_lst]
    assert cells[0][1] == whole_name("นางนันทนา จันทร์ฝั้น", breakable=True)
    assert "จั\u2060น\u2060ท\u2060ร์\u2060ฝั้\u2060น" in cells[0][1]
    role = cells[1][3]
    assert role.replace(WORD_JOINER, "") == "กรรมการและผู้ช่วยเลขานุการ"
    assert role == joined("กรรมการและ") + joined("ผู้ช่วยเลขานุการ")  # no joiner between และ and ผู้


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("ให้คณะกรรมการปฏิบัติหน้าที่ ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป", ["ให้คณะกรรมการปฏิบัติหน้าที่", "ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"]),
        ("ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป", ["ทั้งนี้ ตั้งแต่บัดนี้เป็นต้นไป"]),
        ("ให้ปฏิบัติหน้าที่ ทั้งนี้ตั้งแต่วันที่ 1 มกราคม 2570", ["ให้ปฏิบัติหน้าที่", "ทั้งนี้ตั้งแต่วันที่ 1 มกราคม 2570"]),
        ("ให้คณะกรรมการปฏิบัติหน้าที่", ["ให้คณะกรรมการปฏิบัติหน้าที่"]),
    ],
)
def test_the_effective_date_is_its_own_paragraph(text: str, paragraphs: list[str]) -> None:
    """ "ทั้งนี้ ตั้งแต่…" after the committee's duties is split into a paragraph of its own."""
    assert closing_paragraphs(text) == paragraphs


def test_an_order_warns_of_a_committee_without_chair_or_secretary() -> None:
    """No ประธานกรรมการ and no กรรมการและเลขานุการ: one warning each; a full committee: none."""
    lone = order().model_copy(update={"members": (CommitteeMember(name="นายก ข", position="ครู", role="กรรมการ"),)})
    assert lone.warnings() == ["the committee has no ประธานกรรมการ", "the committee has no กรรมการและเลขานุการ"]
    assert order().warnings() == []


# --- signatures -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "position", "count"),
    [
        ("นันทนา จันทร์ฝั้น", "ศึกษานิเทศก์", 2),  # the roster's bare entry: both warnings
        ("นางนันทนา จันทร์ฝั้น", "ศึกษานิเทศก์ชำนาญการพิเศษ", 0),
        ("ว่าที่ร้อยตรีสมศักดิ์ ใจดี", "นักวิชาการศึกษาปฏิบัติการ", 0),
        ("ดร.สมศักดิ์ ใจดี", "ศึกษาธิการจังหวัดเชียงราย", 0),  # a head's position has no level
        ("สมศักดิ์ ใจดี", "ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล", 1),
        ("ชื่อผู้ลงนาม", "ศึกษาธิการจังหวัดเชียงราย", 0),  # the placeholder has its own warning
    ],
)
def test_a_signer_without_title_or_level_is_warned_about(name: str, position: str, count: int) -> None:
    """A name without นาย/นาง/นางสาว or a rank, a graded position without its level: a warning each."""
    found = signer_warnings(name, (position,))
    assert len(found) == count, found
    if count == 2:
        assert found == [
            "the signatory นันทนา จันทร์ฝั้น has no title before the name (นาย, นาง, นางสาว or a rank)",
            "the signatory's position ศึกษานิเทศก์ has no level (such as ชำนาญการพิเศษ)",
        ]


@pytest.mark.parametrize("kind", BUILDS)
def test_an_acting_signature_names_whom_it_signs_for(tmp_path: Path, kind: str) -> None:
    """รักษาราชการแทน after the signer's position, the head's position on the line below, on the axis."""
    model = {"memo": memo, "letter": letter, "order": order}[kind]()
    acting = model.model_copy(
        update={
            "positions": ("รองศึกษาธิการจังหวัดเชียงราย",),
            "acting": "รักษาราชการแทน",
            "acting_for": "ศึกษาธิการจังหวัดเชียงราย",
        }
    )
    build = {"memo": build_memo, "letter": build_letter, "order": build_order}[kind]
    lines = [plain_text(p.text) for p in reread(tmp_path, build(acting, settings())).paragraphs]  # type: ignore[arg-type]
    at = next(i for i, line in enumerate(lines) if line.startswith("("))
    assert lines[at + 1 : at + 3] == ["รองศึกษาธิการจังหวัดเชียงราย รักษาราชการแทน", "ศึกษาธิการจังหวัดเชียงราย"]


def test_acting_needs_the_position_acted_for() -> None:
    """acting without acting_for (or the other way round) is refused, as is an unknown way of acting."""
    with pytest.raises(ValidationError, match="acting and acting_for go together"):
        memo().model_validate({**memo().model_dump(), "acting": "ปฏิบัติราชการแทน"})
    with pytest.raises(ValidationError, match="acting"):
        memo().model_validate({**memo().model_dump(), "acting": "แทน", "acting_for": "ศึกษาธิการจังหวัด"})


# --- text that stays whole ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "glued"),
    [
        ("ประจำปีงบประมาณ พ.ศ. ๒๕๗๐", ["พ.ศ.\xa0๒๕๗๐"]),
        ("วันที่ ๒๕ พฤศจิกายน ๒๕๖๙", ["วันที่\xa0๒๕\xa0พฤศจิกายน\xa0๒๕๖๙"]),
        ("ลงวันที่ ๑ ธ.ค. ๒๕๖๙", ["๑\xa0ธ.ค.\xa0๒๕๖๙"]),
        ("เป็นเงิน ๙๘,๐๐๐ บาท", ["๙๘,๐๐๐\xa0บาท"]),
        ("โทร. ๐ ๕๓๑๗ ๕๑๒๓", ["โทร.\xa0๐\xa0๕๓๑๗\xa0๕๑๒๓"]),
        ("ข้อ ๖.๑ และเขต ๒", ["ข้อ\xa0๖.๑", "เขต\xa0๒"]),
        ("เวลา 09.00 น.", ["เวลา\xa009.00\xa0น."]),
    ],
)
def test_keep_whole_glues_what_a_reader_keeps_together(text: str, glued: list[str]) -> None:
    """No-break spaces in dates, พ.ศ., amounts, telephone numbers and numbered words; nothing else changes."""
    result = keep_whole(text)
    assert all(part in result.replace(WORD_JOINER, "").replace("\u200b", "") for part in glued)
    assert plain_text(result) == text


def test_joiners_never_separate_a_thai_mark_from_its_letter() -> None:
    """A word joiner stands between letters only: never before a vowel or tone mark, never after เ แ โ ใ ไ."""
    for name in ("นางนันทนา จันทร์ฝั้น", "นายเกษมสรรค์ ไชยวงศ์", "นางสาวพิมพ์ชนก ศรีวงศ์สวัสดิ์", "นายกำธร ใจดี"):
        joined = whole_name(name)
        assert plain_text(joined) == name and NBSP in joined
        for i, ch in enumerate(joined[1:], 1):
            if ch == WORD_JOINER:
                assert joined[i + 1] not in MARKS and joined[i - 1] not in "เแโใไ", (name, i)


def test_documents_carry_no_break_text(tmp_path: Path) -> None:
    """The memo's date, telephone and the signer's name are written with no-break characters in the .docx."""
    doc = saved(tmp_path, "memo")
    raw = [p.text for p in doc.paragraphs]
    assert any("โทร.\xa0๐\xa0๕๓๑๗\xa0๕๑๒๓" in text for text in raw)
    assert any("๒๕\xa0พฤศจิกายน\xa0๒๕๖๙" in text for text in raw)
    assert f"({whole_name('นางสาวพิมพ์ชนก ศรีวงศ์')})" in raw


# --- file properties ------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "title"), [("memo", "บันทึกข้อความ ที่ ศธ ๐๒๘๘/๑๒๓"), ("order", "คำสั่ง ที่ ๑๒/๒๕๗๐")])
def test_file_properties_name_the_document_and_the_office(tmp_path: Path, kind: str, title: str) -> None:
    """Title, subject, author = the office, created = the day of issue; nothing of python-docx's left."""
    doc = saved(tmp_path, kind)
    core = doc.core_properties
    assert core.title == title
    assert core.subject.startswith(("ขออนุมัติแต่งตั้ง", "แต่งตั้งคณะกรรมการ"))
    assert core.author == core.last_modified_by == "สำนักงานศึกษาธิการจังหวัดเชียงราย"
    issued = dt.datetime(ISSUED.year, ISSUED.month, ISSUED.day, tzinfo=dt.UTC)  # stored as UTC
    assert core.created == core.modified == issued
    assert core.comments == "" and core.revision == 1
    with zipfile.ZipFile(tmp_path / f"{kind}.docx") as package:
        names = package.namelist()
        app = package.read("docProps/app.xml").decode()
        rels = package.read("_rels/.rels").decode()
    assert not [n for n in names if "thumbnail" in n] and "thumbnail" not in rels
    assert "python-docx" not in package_text(tmp_path / f"{kind}.docx")
    assert "<Company>สำนักงานศึกษาธิการจังหวัดเชียงราย</Company>" in app and "Macintosh" not in app


def package_text(path: Path) -> str:
    """Every XML part of a .docx, as text."""
    with zipfile.ZipFile(path) as package:
        return "".join(package.read(n).decode("utf-8", "replace") for n in package.namelist() if n.endswith(".xml"))
