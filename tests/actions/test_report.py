"""`sop report`: the monitoring report, read back with python-docx and checked against the records."""

from __future__ import annotations

import hashlib
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.table import Table

from sop_cli.actions.report import write_report
from sop_cli.actions.runs import void_event
from sop_cli.errors import SopError, UnknownProcedureError
from sop_cli.models.values import Period
from sop_cli.rendering.chart import find_thai_font
from sop_cli.rendering.docx_common import plain_text
from sop_cli.report_content import default_report_path, report_view
from sop_cli.thai_calendar import arabic_digits
from sop_cli.workspace import Workspace
from tests.actions.conftest import ME, REJECTION, TODAY, History

FONT = "TH SarabunPSK"


def report(h: History, period: Period = Period.half, **kwargs: object) -> Document:
    """Write the report of fiscal year 2570 to a file and open it again."""
    out = h.ws.root / f"{period}.docx"
    options: dict[str, object] = {"numbers": [], "out": out, "today": TODAY, "force": True} | kwargs
    path = write_report(h.ws, 2570, period, **options)  # type: ignore[arg-type]
    return docx.Document(str(path))


def cells(table: Table) -> list[list[str]]:
    """Every cell's text, Thai digits read as Arabic ones."""
    return [[arabic_digits(plain_text(c.text)) for c in row.cells] for row in table.rows]


def table_with(doc: Document, heading: str) -> Table:
    """The first table whose header row holds `heading`."""
    return next(t for t in doc.tables if any(heading in plain_text(c.text) for c in t.rows[0].cells))


def paragraphs(doc: Document) -> list[str]:
    """The text of every paragraph of the body, tables included, in order, with Arabic digits."""
    return [
        arabic_digits(plain_text("".join(t.text or "" for t in p.iter(qn("w:t")))))
        for p in doc.element.body.iter(qn("w:p"))
    ]


def summary(doc: Document) -> dict[str, list[str]]:
    """Rows of table 1 by their first cell (the procedure number, or "" for the totals)."""
    return {row[0]: row[2:] for row in cells(table_with(doc, "หลักฐาน"))[1:]}


def test_summary_table_of_the_half_year_matches_the_records(history: History) -> None:
    """Steps done, hours, deadlines met/missed/open, rejections and evidence up to 31 March, per procedure."""
    rows = summary(report(history, Period.half))
    assert len(rows) == 15  # fourteen procedures and the totals
    # steps, hours, met, missed, open, rejected, evidence
    # Procedure 1: 6.1 counts from the meeting of step 5 (15 Dec): missed; the visit's standards wait
    # for its dates, once per inspection round.
    assert rows["1"] == ["5/8", "2/472", "1", "6", "6", "0", "1"]
    assert rows["2"] == ["9/14", "10/1,188", "0", "4", "0", "1", "3"]
    assert rows["3"] == ["0/8", "0/827", "0", "3", "0", "0", "0"]
    assert rows[""][0] == "14/117" and rows[""][5:] == ["1", "4"]


def test_summary_table_of_the_year_counts_april_too(history: History) -> None:
    """The year adds step 10 and its evidence and hours of 1 April, the second run, and the cancellation."""
    rows = summary(report(history, Period.year))
    assert rows["1"][:2] == ["5/16", "2/944"]  # two runs: the second started on 5 April
    assert rows["2"] == ["10/14", "13/1,188", "0", "4", "4", "1", "4"]  # open: the August inspection too
    assert rows["3"] == ["0/8", "0/827", "0", "0", "0", "0", "0"]  # cancelled: no deadline is owed


def test_the_period_ends_on_31_march(history: History) -> None:
    """An event of 31 March is in the half-year; one of 1 April is not; the year has both."""
    half = report_view(history.ws, 2570, Period.half, [], TODAY)
    year = report_view(history.ws, 2570, Period.year, [], TODAY)
    assert (half.end.isoformat(), half.events, year.events) == ("2027-03-31", 26, 31)
    names = {e.name for e in half.evidence}
    assert "มติ กศจ. 2570.pdf" in names and "after-april.pdf" not in names
    assert "after-april.pdf" in {e.name for e in year.evidence}
    (run2,) = half.sections[1].runs
    # Step 8 was rejected, 7 revised, and the work went on at 9 without a second decision.
    assert (run2.entries[-1].date.isoformat(), run2.entries[-1].what, run2.entries[-1].step) == (
        "2027-03-31",
        "done",
        9,
    )
    (run2,) = year.sections[1].runs
    assert (run2.entries[-1].date.isoformat(), run2.entries[-1].step) == ("2027-04-01", 10)
    assert [len(s.runs) for s in half.sections[:3]] == [1, 1, 1]  # the run of 5 April did not exist yet
    assert [len(s.runs) for s in year.sections[:3]] == [2, 1, 1]

    text = "\n".join(paragraphs(report(history, Period.half)))
    assert "31 มี.ค. 2570" in text and "ดำเนินการแล้ว (รอบที่ 2)" in text
    assert "after-april.pdf" not in text and "1 เม.ย. 2570" not in text


def test_evidence_index_lists_every_file_and_link_with_its_hash(history: History) -> None:
    """Each file with its name, size and SHA-256 of its bytes; the link with its address."""
    doc = report(history, Period.year)
    rows = cells(table_with(doc, "SHA-256"))[1:]
    assert [r[0] for r in rows] == ["1", "2", "3", "4", "5"]
    by_name = {r[4].split("\n")[0]: r for r in rows}
    for name, data in history.files.items():
        row = by_name[name]
        assert row[5].replace("\n", "") == hashlib.sha256(data).hexdigest()
        assert f"{len(data)} ไบต์" in row[4]
    (link,) = [r for r in rows if "ลิงก์" in r[4]]
    assert link[4].replace("\n", "") == f"ลิงก์: {history.links[0]}" and link[5] == link[4]  # one cell, two columns
    assert link[1] == "2/2" and link[3] == "เสาวลักษณ์ นันไชยบัว" and link[2] == "20 พ.ย. 2569"


def test_a_voided_evidence_event_is_left_out(history: History) -> None:
    """Evidence whose event no longer counts is neither counted nor indexed."""
    view = report_view(history.ws, 2570, Period.year, [], TODAY)
    link = next(e for e in view.evidence if e.kind == "link")
    void_event(history.ws, link.event, ME, "บันทึกซ้ำ")
    again = report_view(history.ws, 2570, Period.year, [], TODAY)
    assert len(again.evidence) == len(view.evidence) - 1
    assert again.summary[1].evidence == view.summary[1].evidence - 1


def test_sections_say_what_happened_and_what_did_not(history: History) -> None:
    """Standards with their state and evidence, rejections with reasons, what is late, idle procedures."""
    doc = report(history, Period.half)
    text = "\n".join(paragraphs(doc))
    assert f"ขั้นตอนที่ 8 รอบที่ 1 ไม่เห็นชอบเมื่อ 10 มกราคม 2570 บันทึกโดย นันทนา จันทร์ฝั้น เหตุผล: {REJECTION}" in text
    standards = cells(table_with(doc, "มาตรฐานงาน"))  # procedure 1's
    by_ref = {row[0]: row for row in standards[1:]}
    assert by_ref["6.2"][2] == "กำหนด 31 ธ.ค. 2569\nดำเนินการแล้ว 15 ธ.ค. 2569 ทันกำหนด\nขั้นตอนที่เกี่ยวข้องดำเนินการครบแล้ว"
    assert "ดำเนินการแล้ว 5 ม.ค. 2570 หลังกำหนด" in by_ref["6.3"][2] and "บันทึกว่าบรรลุ 5 ม.ค. 2570" in by_ref["6.3"][2]
    assert by_ref["6.4"][2] == "รอกำหนดวันลงพื้นที่ตรวจราชการ\nรอกำหนดวันลงพื้นที่ตรวจราชการ"  # two inspection rounds
    assert "[1] คำสั่งแต่งตั้ง.pdf" not in by_ref["6.2"][3]  # evidence of step 1, not of step 5
    assert "ข้อ 7.1 การติดตามและประเมินผล รอบ 6 เดือน: กำหนด 31 มี.ค. 2570 เกินกำหนด" in text
    # The run's state in the one vocabulary the terminal, the exports and the page use too.
    assert "สถานะกำลังดำเนินการ ดำเนินการแล้ว" in text and "ดำเนินการครบทุกขั้นตอน" not in text
    # Procedure ๒ repeats its steps each inspection round: its run says which round it is in.
    assert "สถานะกำลังดำเนินการ อยู่ในการตรวจราชการครั้งที่ 1 ดำเนินการแล้ว 9 จาก 14 ขั้นตอน" in text
    assert "ไม่มีการดำเนินงานที่บันทึกไว้ถึงวันที่ 31 มีนาคม 2570" in text  # procedures 4 to 14
    assert "รอบ 6 เดือน (ไตรมาสที่ 1–2)" in text and "ปีงบประมาณ พ.ศ. 2570" in text
    assert "ออกรายงาน ณ วันที่ 20 เมษายน 2570" in text


def test_standards_take_the_evidence_of_the_steps_their_row_states(history: History) -> None:
    """Procedure 2's standard 6.1 is the standard of rows 1-2: the evidence of steps 1 and 2 supports it."""
    view = report_view(history.ws, 2570, Period.half, [2], TODAY)
    first = view.sections[0].standards[0]
    assert (first.basis, first.steps, first.steps_done) == ("row", (1, 2), (1, 2))
    assert [view.evidence[n - 1].name for n in first.evidence] == [
        "รายงานการประชุม.pdf",
        "https://drive.google.com/drive/folders/abc123",
    ]
    plan = view.sections[0].standards[3]  # rows 7-9: step 8 rejected, 7 revised, then 9
    assert (plan.steps, plan.steps_done, plan.steps_skipped) == ((7, 8, 9), (7, 9), ())


def test_every_run_has_the_thai_font_and_size_for_every_script(history: History) -> None:
    """ascii, hAnsi and cs fonts, sz and szCs on every run of the body and headers; A4, 3/2 cm margins."""
    doc = report(history, Period.half)
    parts = [doc.element.body, *(p._element for s in doc.sections for p in (s.header, s.first_page_header))]
    runs = [r for part in parts for r in part.iter(qn("w:r"))]
    assert len(runs) > 500
    for r in runs:
        rpr = r.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts"))
        assert [fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "cs")] == [FONT] * 3
        size, size_cs = rpr.find(qn("w:sz")).get(qn("w:val")), rpr.find(qn("w:szCs")).get(qn("w:val"))
        assert size == size_cs and int(size) in (22, 28, 32, 36, 40, 48)
        if rpr.find(qn("w:b")) is not None:
            assert rpr.find(qn("w:bCs")) is not None
    body = next(r for r in doc.paragraphs if r.text.startswith("รายงานนี้สรุปผล")).runs[0]
    assert body.font.size.pt == 16
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.left_margin.cm, 1), round(section.right_margin.cm, 1)) == (3.0, 2.0)
    assert section.different_first_page_header_footer and not section.first_page_header.paragraphs[0].text
    assert "PAGE" in section.header._element.xml


def test_table_cells_are_never_thai_justified(history: History) -> None:
    """Thai distributed justification is for body paragraphs only, not for table cells."""
    doc = report(history, Period.year)
    justified = [
        p
        for t in doc.tables
        for p in t._tbl.iter(qn("w:p"))
        if (jc := p.find(f"{qn('w:pPr')}/{qn('w:jc')}")) is not None and jc.get(qn("w:val")) == "thaiDistribute"
    ]
    assert justified == []
    assert any(p.paragraph_format.alignment is not None for p in doc.paragraphs if p.text.startswith("รายงานนี้"))


@pytest.mark.skipif(find_thai_font() is None, reason="no Thai font installed for matplotlib")
def test_the_chart_is_a_picture_labelled_in_thai(history: History) -> None:
    """The progress chart is an inline PNG, labelled with the procedures' Thai titles."""
    doc = report(history, Period.half)
    (shape,) = doc.inline_shapes
    assert "ชื่อเรื่องภาษาไทย" in shape._inline.docPr.get("descr")
    blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG") and round(shape.width.cm, 1) == 16.0


def test_the_chart_falls_back_to_numbers_without_a_thai_font(history: History) -> None:
    """Without a Thai font the chart is still there, labelled with procedure numbers only."""
    doc = report(history, Period.half, thai_chart_font=False)
    (shape,) = doc.inline_shapes
    assert "หมายเลขเรื่องเท่านั้น" in shape._inline.docPr.get("descr")


def test_a_year_without_records_needs_allow_empty(workspace: Workspace) -> None:
    """No records: a clear error; with allow_empty, a valid report that says so, all zeros."""
    with pytest.raises(SopError, match=r"fiscal year 2570 has no records up to 31 มี.ค. 2570; pass --allow-empty"):
        write_report(workspace, 2570, Period.half, [], None, TODAY)
    assert not (workspace.root / "reports").exists()
    path = write_report(workspace, 2570, Period.half, [], None, TODAY, allow_empty=True)
    doc = docx.Document(str(path))
    assert any(p.startswith("ไม่มีการบันทึกการดำเนินงานในช่วงเวลานี้") for p in paragraphs(doc))
    # Nothing met; missed: 9 half-year monitoring rounds, 8 quarterly records of procedures 1-4, the
    # February inspections of procedures 1 and 2, two quarter-1 standards of procedure 1 and the six
    # monthly meetings of procedure 6 (October to March); open: the seven of procedure 1 waiting for
    # the dates of its meeting and of each round's visit.
    assert summary(doc)[""] == ["0/117", "0/36,356", "0", "27", "7", "0", "0"]
    assert len(doc.inline_shapes) == 1


def test_an_existing_report_is_replaced_only_with_force(history: History) -> None:
    """Refuse to overwrite a report unless forced; the default path is under reports/<fy>/."""
    path = write_report(history.ws, 2570, Period.half, [], None, TODAY)
    assert path == history.ws.root / "reports" / "2570" / "รายงานผลการติดตาม-2570-6เดือน.docx"
    before = path.read_bytes()
    with pytest.raises(SopError, match="already exists; pass --force to replace it"):
        write_report(history.ws, 2570, Period.half, [], None, TODAY)
    assert path.read_bytes() == before
    assert write_report(history.ws, 2570, Period.half, [], None, TODAY, force=True) == path


def test_bad_requests_are_clear_errors(history: History, tmp_path: Path) -> None:
    """An unknown procedure, an --out that is not a .docx or has no folder."""
    with pytest.raises(UnknownProcedureError, match="There is no procedure 99; the procedures are 1, 2"):
        write_report(history.ws, 2570, Period.half, [99], None, TODAY)
    with pytest.raises(SopError, match=r"must name a \.docx file"):
        write_report(history.ws, 2570, Period.half, [], tmp_path / "report.pdf", TODAY)
    with pytest.raises(SopError, match=r"the folder .* does not exist"):
        write_report(history.ws, 2570, Period.half, [], tmp_path / "nowhere" / "report.docx", TODAY)


def test_chosen_procedures_only(history: History) -> None:
    """--sop 2 --sop 5: two rows, two sections, the evidence of those procedures, a name that says so."""
    path = write_report(history.ws, 2570, Period.year, [5, 2], None, TODAY)
    assert path == default_report_path(history.ws, 2570, Period.year, [2, 5])
    assert path.name == "รายงานผลการติดตาม-2570-1ปี-งาน02-05.docx"
    doc = docx.Document(str(path))
    assert list(summary(doc)) == ["2", "5", ""]
    assert any("เฉพาะคู่มือการปฏิบัติงานเรื่องที่ 2, 5" in p for p in paragraphs(doc))
    assert [r[1] for r in cells(table_with(doc, "SHA-256"))[1:]] == ["2/2", "2/2", "2/9", "2/10"]
