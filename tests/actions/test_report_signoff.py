"""The report a director signs: contents, a summary with problems and recommendations, one table of the
procedures not started, evidence cited by number and date, the sign-off; and as printed by LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from sop_cli.actions.report import write_report
from sop_cli.actions.runs import void_event
from sop_cli.models.records import NoteAdded, NoteKind
from sop_cli.models.values import Period
from sop_cli.rendering import chart
from sop_cli.rendering.docx_common import plain_text
from sop_cli.rendering.docx_report import NO_THAI_FONT, _Writer, cite
from sop_cli.report_content import report_view
from sop_cli.storage.records import new_id, run_folder, write_event
from sop_cli.thai_calendar import BANGKOK, arabic_digits
from sop_cli.views.report import EvidenceRow
from tests.actions.conftest import ME, TODAY, History, day
from tests.rendering.pdf_pages import convert, needs_libreoffice, page_of, pages

TEXT = {qn("w:t"), qn("w:tab")}
SETTINGS = (
    '[office]\nsignatory = "นายประเสริฐ ใจงาม"\nmemo_signatory = "นางสาวพิมพ์ชนก ศรีวงศ์"\n'
    'memo_signatory_positions = ["ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล"]\n'
)


def note(h: History, run: str, procedure: int, kind: NoteKind, text: str, on: dt.date) -> str:
    """Record a note of a kind, as `sop note --kind` will, and return its event id."""
    event = NoteAdded(
        schema_version=1,
        id=new_id(),
        procedure=procedure,
        run=run,
        at=dt.datetime.combine(on, dt.time(10), BANGKOK),
        date=on,
        by="nanthana",
        type="note",
        text=text,
        kind=kind,
    )
    write_event(run_folder(h.ws, 2570, procedure, run), event)
    return event.id


def write(h: History, period: Period = Period.half, **options: object) -> Document:
    """Write the report with the office's settings and open it again."""
    (h.ws.root / "sop.toml").write_text(SETTINGS, encoding="utf-8")
    path = write_report(h.ws, 2570, period, [], h.ws.root / f"{period}.docx", TODAY, force=True, **options)  # type: ignore[arg-type]
    return docx.Document(str(path))


def lines(doc: Document) -> list[str]:
    """Every paragraph of the body (tables included) as a reader sees it, with Arabic digits."""

    def text(p: object) -> str:
        runs = p.iter(qn("w:r"))  # type: ignore[attr-defined]
        return "".join("\t" if n.tag == qn("w:tab") else n.text or "" for r in runs for n in r if n.tag in TEXT)

    return [arabic_digits(plain_text(text(p))) for p in doc.element.body.iter(qn("w:p"))]


def test_the_contents_page_points_at_every_part(history: History) -> None:
    """สารบัญ lists the parts with PAGEREF fields, each to a bookmark that exists on its heading."""
    doc = write(history)
    body = doc.element.body
    refs = [re.search(r"PAGEREF (\S+)", i.text).group(1) for i in body.iter(qn("w:instrText")) if "PAGEREF" in i.text]
    marks = {b.get(qn("w:name")): b.getparent() for b in body.iter(qn("w:bookmarkStart"))}
    assert refs[:3] == ["_Toc_summary", "_Toc_part1", "_Toc_part2"]
    assert refs[-3:] == ["_Toc_idle", "_Toc_signoff", "_Toc_appendix"]
    assert refs[3:-3] == ["_Toc_p1", "_Toc_p2", "_Toc_p3"]  # the procedures worked on in the half-year
    for ref in refs:
        heading = plain_text("".join(t.text for t in marks[ref].iter(qn("w:t"))))
        assert heading, ref
    text = lines(doc)
    assert (
        text.index("สารบัญ") < text.index("บทสรุปสำหรับผู้บริหาร") < text.index("ส่วนที่ ๑ สรุปผลการดำเนินงาน".replace("๑", "1"))
    )


def test_the_summary_gathers_problems_obstacles_and_recommendations(history: History) -> None:
    """Notes of each kind in the period are listed under their heading; plain, voided and later ones are not."""
    p2 = history.runs["p2"]
    note(history, p2, 2, NoteKind.problem, "ข้อมูลจากสถานศึกษาส่งไม่ครบ", day(2026, 12, 10))
    note(history, p2, 2, NoteKind.obstacle, "ช่วงเวลาลงพื้นที่ตรงกับการสอบปลายภาค", day(2027, 1, 12))
    note(history, p2, 2, NoteKind.recommendation, "ควรกำหนดปฏิทินร่วมกับเขตพื้นที่ล่วงหน้า", day(2027, 2, 1))
    voided = note(history, p2, 2, NoteKind.problem, "บันทึกผิดเรื่อง", day(2027, 2, 2))
    note(history, p2, 2, NoteKind.problem, "หลังสิ้นรอบ", day(2027, 4, 2))
    note(history, p2, 2, NoteKind.plain, "บันทึกทั่วไป", day(2027, 2, 3))
    void_event(history.ws, voided, ME, "บันทึกซ้ำ")
    text = lines(write(history))
    start = text.index("ปัญหา อุปสรรค และข้อเสนอแนะ")
    part = text[start : text.index("ส่วนที่ 1 สรุปผลการดำเนินงาน")]
    assert part == [
        "ปัญหา อุปสรรค และข้อเสนอแนะ",
        "ปัญหา",
        "1.\tข้อมูลจากสถานศึกษาส่งไม่ครบ (เรื่องที่ 2 ศึกษา วิเคราะห์ข้อมูล และแผนการตรวจราชการ, 10 ธ.ค. 2569)",
        "อุปสรรค",
        "1.\tช่วงเวลาลงพื้นที่ตรงกับการสอบปลายภาค (เรื่องที่ 2 ศึกษา วิเคราะห์ข้อมูล และแผนการตรวจราชการ, 12 ม.ค. 2570)",
        "ข้อเสนอแนะ",
        "1.\tควรกำหนดปฏิทินร่วมกับเขตพื้นที่ล่วงหน้า (เรื่องที่ 2 ศึกษา วิเคราะห์ข้อมูล และแผนการตรวจราชการ, 1 ก.พ. 2570)",
    ]
    figures = text[text.index("บทสรุปสำหรับผู้บริหาร") : start]
    assert "2.\tดำเนินการแล้ว 14 ขั้นตอน จาก 117 ขั้นตอน คิดเป็นร้อยละ 12" in figures
    assert "4.\tการพิจารณาที่ไม่เห็นชอบ 1 ครั้ง" in figures


def test_without_notes_the_summary_says_so(history: History) -> None:
    """No problem or recommendation recorded: one sentence says none was."""
    assert "ไม่มีการบันทึกปัญหา อุปสรรค หรือข้อเสนอแนะในรอบนี้" in lines(write(history))


def test_notes_written_before_kinds_load_as_plain(history: History) -> None:
    """An older note file without `kind` still loads, as a plain note that the summary leaves out."""
    view = report_view(history.ws, 2570, Period.year, [], TODAY)
    assert view.notes == ()
    assert (
        NoteAdded.model_validate(
            {
                "schema_version": 1,
                "id": "abcdefgh",
                "procedure": 2,
                "run": "abcd",
                "at": "2027-01-01T10:00:00+07:00",
                "date": "2027-01-01",
                "by": "nanthana",
                "type": "note",
                "text": "เก่า",
            }
        ).kind
        is NoteKind.plain
    )


def test_procedures_not_started_share_one_table(history: History) -> None:
    """Procedures 4 to 14 have no section each but a row in one table, with the deadlines already passed."""
    doc = write(history)
    text = lines(doc)
    sections = [t.split(".")[0] for t in text if re.fullmatch(r"\d+\. [^\t]+", t)]
    assert sections == ["1", "2", "3"]  # the contents' lines and the numbered figures hold a tab
    table = next(t for t in doc.tables if "กำหนดเวลาที่เลยแล้วในรอบนี้" in plain_text(t.rows[0].cells[-1].text))
    rows = [[arabic_digits(plain_text(c.text)) for c in r.cells] for r in table.rows[1:]]
    assert [r[0] for r in rows] == [str(n) for n in range(4, 15)]
    assert rows[0][2] == "0/5"
    assert "ข้อ 7.1 รอบ 6 เดือน กำหนด 31 มี.ค. 2570" in rows[0][3].replace("การติดตามและประเมินผล ", "")
    assert "ไม่มีการดำเนินงานที่บันทึกไว้ถึงวันที่ 31 มีนาคม 2570" not in text  # no empty sections


def test_the_signoff_has_reporter_director_and_provincial_officer(history: History) -> None:
    """Three blocks kept on one page each: ผู้รายงาน, then two comments with lines, names from sop.toml."""
    doc = write(history)
    text = lines(doc)
    at = text.index("การรับรองรายงาน")
    block = text[at : text.index("ภาคผนวก ดัชนีหลักฐาน")]
    assert [t for t in block if t.startswith(("ผู้รายงาน", "ความเห็น"))] == [
        "ผู้รายงาน",
        "ความเห็นของผู้อำนวยการกลุ่ม",
        "ความเห็นของศึกษาธิการจังหวัด",
    ]
    assert "(นางสาวพิมพ์ชนก ศรีวงศ์)" in block and "ผู้อำนวยการกลุ่มนิเทศ ติดตาม และประเมินผล" in block
    assert "(นายประเสริฐ ใจงาม)" in block and "ศึกษาธิการจังหวัดเชียงราย" in block
    assert block.count("\t") == 6  # three dotted lines for each of the two comments
    paragraphs = doc.paragraphs
    titles = [i for i, p in enumerate(paragraphs) if plain_text(p.text) in ("ผู้รายงาน", "ความเห็นของศึกษาธิการจังหวัด")]
    for start in titles:
        end = next(i for i in range(start, len(paragraphs)) if plain_text(paragraphs[i].text).startswith("วันที่"))
        flags = [(p.paragraph_format.keep_with_next, p.paragraph_format.keep_together) for p in paragraphs[start:end]]
        assert flags == [(True, True)] * (end - start)
        assert not paragraphs[end].paragraph_format.keep_with_next


def test_documents_are_cited_by_kind_number_and_date() -> None:
    """A generated memo is cited as บันทึกข้อความ ที่ … ลงวันที่ …; a file by its name and date."""
    w = _Writer("TH SarabunPSK", True, "t")
    memo = EvidenceRow(
        1, 3, "abcd", None, 1, dt.date(2026, 12, 1), "ก", "document", "memo.docx", "ศธ ๐๒๘๘/๑", None, None,
        None, "e", doc_type="memo",
    )  # fmt: skip
    assert cite(w, memo) == "บันทึกข้อความ ที่ ศธ ๐๒๘๘/๑ ลงวันที่ 1 ธ.ค. 2569"
    order = EvidenceRow(**{**memo.__dict__, "doc_type": "order", "doc_number": "๑/๒๕๗๐"})
    assert cite(w, order) == "คำสั่ง ที่ ๑/๒๕๗๐ ลงวันที่ 1 ธ.ค. 2569"
    file = EvidenceRow(**{**memo.__dict__, "kind": "file", "name": "รายงาน.pdf", "doc_type": None, "doc_number": None})
    assert cite(w, file) == "รายงาน.pdf (1 ธ.ค. 2569)"


def test_report_file_properties(history: History) -> None:
    """Title, subject = the round, author = the office, created = the day of issue."""
    core = write(history).core_properties
    assert core.title == "รายงานผลการติดตามและประเมินผลการปฏิบัติงาน ปีงบประมาณ พ.ศ. ๒๕๗๐"
    assert core.subject == "รอบ ๖ เดือน (ไตรมาสที่ ๑–๒)"
    assert core.author == "สำนักงานศึกษาธิการจังหวัดเชียงราย" and core.created.date() == TODAY


def test_without_a_thai_font_the_page_and_the_caller_say_so(history: History, monkeypatch: pytest.MonkeyPatch) -> None:
    """A machine with no Thai font file: a note under the chart and a warning to the caller."""
    monkeypatch.setattr(chart, "THAI_FONT_FILES", ("no-such-font",))
    said: list[str] = []
    text = lines(write(history, on_warning=said.append))
    assert said == ["no Thai font was found for the chart: it shows procedure numbers only"]
    assert NO_THAI_FONT in text


@pytest.mark.skipif(chart.find_thai_font() is None, reason="no Thai font installed")
def test_the_chart_finds_a_font_matplotlib_has_not_cached() -> None:
    """With the Thai font left out of matplotlib's font list (a stale cache), it is found and registered."""
    from matplotlib import font_manager

    found = chart.find_thai_font()
    assert found is not None
    manager = font_manager.fontManager
    before = list(manager.ttflist)
    try:
        manager.ttflist = [f for f in before if Path(f.fname) != found]
        assert chart.find_thai_font() == found
        assert found in {Path(f.fname) for f in manager.ttflist}
    finally:
        manager.ttflist = before


@needs_libreoffice
def test_the_printed_half_year_report(history: History) -> None:
    """LibreOffice prints it: contents with the right pages, the summary on one page, each sign-off whole."""
    p2 = history.runs["p2"]
    note(history, p2, 2, NoteKind.problem, "ข้อมูลจากสถานศึกษาส่งไม่ครบ", day(2026, 12, 10))
    write(history)
    pdf = convert(history.ws.root / "half.docx")
    assert pdf.pdfa_part == 2 and pdf.embeds("TH SarabunPSK")
    found = pages(pdf.path)
    assert 12 <= len(found) <= 20  # was 23 with ten near-empty sections
    assert found[1][0] == "สารบัญ" or "สารบัญ" in found[1]
    for heading in ("บทสรุปสำหรับผู้บริหาร", "การรับรองรายงาน", "ภาคผนวก ดัชนีหลักฐาน"):
        listed = next(line for line in found[1] if line.startswith(heading))
        printed_page = int(re.findall(r"\d+$", arabic_digits(listed))[0])
        assert next(i for i, page in enumerate(found) if heading in page[:3]) + 1 == printed_page, listed
    summary = next(i for i, page in enumerate(found) if "บทสรุปสำหรับผู้บริหาร" in page[:3])
    assert page_of(found, "ข้อมูลจากสถานศึกษาส่งไม่ครบ") == summary  # one page for the director
    signoff = next(i for i, page in enumerate(found) if "การรับรองรายงาน" in page[:3])
    for line in ("ผู้รายงาน", "ความเห็นของผู้อำนวยการกลุ่ม", "ความเห็นของศึกษาธิการจังหวัด", "(นายประเสริฐ ใจงาม)"):
        assert page_of(found[signoff:], line) == 0
