"""Lay out the monitoring report (รายงานผลการติดตาม) and the dossier's index as Thai .docx files.

Same typography as the official documents (docs/thai-official-documents.md): TH SarabunPSK,
16 pt body, complex-script properties on every run, A4 with 3 cm and 2 cm side margins, Thai
digits, page numbers from page 2. Reports have no fixed form: a title page, Thai headings,
tables with Thai digits. Table cells are left aligned (or centred): never Thai distributed
justification, which spreads the letters of a short cell across its width.

python-docx and matplotlib are imported inside the functions: `sop status` must not pay for them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sop_cli.i18n import _
from sop_cli.models.document_kinds import DOCUMENTS
from sop_cli.rendering import words
from sop_cli.rendering.chart import CHART_WIDTH_CM, find_thai_font, progress_chart
from sop_cli.rendering.docx_common import (
    BODY_PT,
    FIRST_LINE_CM,
    SPACE_BEFORE_PT,
    TEXT_WIDTH_CM,
    Properties,
    Tab,
    Writer,
    cm,
    save_document,
    twips,
    whole_name,
)
from sop_cli.thai_calendar import MONTHS_SHORT, be_year, format_long, thai_digits
from sop_cli.views.report import (
    DeadlineView,
    EvidenceRow,
    NoteView,
    ProcedureSection,
    ReportView,
    RunView,
    Signer,
    StandardView,
    SummaryRow,
    TimelineEntry,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.table import Table

    from sop_cli.models.settings import OfficeTable

TITLE_PT = 24.0
SUBTITLE_PT = 20.0
HEADING_PT = 18.0
TABLE_PT = 14.0
CELL_PADDING_TWIPS = 57  # 0.1 cm each side: Word's default 0.19 cm is much of a narrow column
HASH_PT = 11.0  # 32 hexadecimal digits of TH Sarabun at 11 pt take 4.4 cm: a hash fits on two lines
CHART_NAME = "progress-chart"
NO_THAI_FONT = (
    "หมายเหตุ ไม่พบแบบอักษรไทยในเครื่องที่จัดทำรายงาน แผนภูมิจึงแสดงเฉพาะหมายเลขเรื่อง ติดตั้งแบบอักษร TH SarabunPSK แล้วจัดทำรายงานอีกครั้ง"
)
SIGNATURE_DOTS = "." * 40
COMMENT_LINES = 3  # dotted lines for a director's comment, written by hand

PERIOD_NAME = {"half": "รอบ ๖ เดือน (ไตรมาสที่ ๑–๒)", "year": "รอบ ๑ ปี (ไตรมาสที่ ๑–๔)"}
WHAT = {"started": "เริ่มดำเนินงาน", "done": "ดำเนินการแล้ว", "approved": "เห็นชอบ", "rejected": "ไม่เห็นชอบ"}
NOTE_HEADING = {"problem": "ปัญหา", "obstacle": "อุปสรรค", "recommendation": "ข้อเสนอแนะ"}

_Align = Literal["left", "center", "right", "thai"]


@dataclass(frozen=True)
class Column:
    """A table column: its heading, width and alignment."""

    title: tuple[str, ...]  # its lines
    width_cm: float
    align: _Align = "left"


Cell = str | Sequence[str]  # one paragraph, or several


def build_report(
    view: ReportView,
    *,
    font: str = "TH SarabunPSK",
    thai_digits: bool = True,
    find_font: bool = True,
    on_warning: Callable[[str], None] | None = None,
) -> Document:
    """Lay out the whole report for a director to sign.

    Title page, contents, a one-page summary for the director with the figures and the problems,
    obstacles and recommendations recorded, the summary table and chart, a section per procedure
    that was worked on and one table of those not started, the sign-off, the evidence index.
    `find_font=False` draws the chart without looking for a Thai font (procedure numbers only);
    `on_warning` is told when no Thai font exists for the chart.
    """
    w = _Writer(font, thai_digits, f"รายงานผลการติดตาม ปีงบประมาณ {view.fy}")
    w.properties(Properties(w.digits(_title(view)), PERIOD_NAME[view.period], view.office, view.issued))
    _title_page(w, view)
    contents = _contents(w, view)
    _executive_summary(w, view)
    _summary(w, view)
    chart_font = find_thai_font() if find_font else None
    w.chart(progress_chart(view.summary, chart_font, thai_digits), chart_font is not None)
    if chart_font is None:
        w.note(NO_THAI_FONT)
        if on_warning is not None and find_font:
            on_warning(_("no Thai font was found for the chart: it shows procedure numbers only"))
    _people_hours(w, view)
    w.heading("ส่วนที่ ๒ ผลการดำเนินงานรายเรื่อง", new_page=True, mark=contents["part2"])
    active = [s for s in view.sections if s.runs]
    for section in active:
        _procedure(w, view, section, contents[f"p{section.number}"])
    _not_started(w, view, [s for s in view.sections if not s.runs])
    _signoff(w, view, contents["signoff"])
    w.heading("ภาคผนวก ดัชนีหลักฐาน", new_page=True, mark=contents["appendix"])
    w.body(
        f"หลักฐานที่บันทึกไว้ถึงวันที่ {w.long_date(view.as_of)} รวม {len(view.evidence)} รายการ "
        "แต่ละไฟล์มีค่า SHA-256 สำหรับตรวจสอบว่าไฟล์ไม่ได้ถูกแก้ไขหลังบันทึก"
        if view.evidence
        else f"ไม่มีหลักฐานที่บันทึกไว้ถึงวันที่ {w.long_date(view.as_of)}"
    )
    if view.evidence:
        evidence_table(w, view.evidence)
    return w.doc


def save_report(
    view: ReportView,
    path: Path,
    office: OfficeTable,
    *,
    find_font: bool = True,
    on_warning: Callable[[str], None] | None = None,
) -> None:
    """Lay out the report of `view` in the office's font and digits and save it at `path`, atomically."""
    doc = build_report(
        view, font=office.font, thai_digits=office.thai_digits, find_font=find_font, on_warning=on_warning
    )
    save_document(doc, path)


def save_index(
    path: Path, title: str, lines: Sequence[str], evidence: Sequence[EvidenceRow], office: OfficeTable
) -> None:
    """Lay out the dossier's index (file paths printed) in the office's font and save it at `path`."""
    doc = build_index(title, lines, evidence, font=office.font, thai=office.thai_digits, paths=True)
    save_document(doc, path)


def _title(view: ReportView) -> str:
    return f"รายงานผลการติดตามและประเมินผลการปฏิบัติงาน ปีงบประมาณ พ.ศ. {view.fy}"


def build_index(
    title: str, lines: Sequence[str], evidence: Sequence[EvidenceRow], *, font: str, thai: bool, paths: bool = False
) -> Document:
    """Lay out the dossier's index: a title, a few lines about the dossier, then the evidence table.

    With `paths`, each file's path in the dossier is printed under its name.
    """
    w = _Writer(font, thai, title)
    w.heading(title)
    for line in lines:
        w.body(line)
    if evidence:
        evidence_table(w, evidence, paths=paths)
    return w.doc


# --- the parts of the report ---------------------------------------------------------------------


def _title_page(w: _Writer, view: ReportView) -> None:
    w.centred("รายงานผลการติดตามและประเมินผลการปฏิบัติงาน", TITLE_PT, bold=True, before=110)
    w.centred("ตามคู่มือการปฏิบัติงาน", TITLE_PT, bold=True)
    w.centred(PERIOD_NAME[view.period], SUBTITLE_PT, bold=True, before=36)
    w.centred(f"ปีงบประมาณ พ.ศ. {view.fy}", SUBTITLE_PT, bold=True)
    w.centred(f"({w.long_date(view.start)} ถึง {w.long_date(view.end)})")
    if not view.all_procedures:
        w.centred("เฉพาะคู่มือการปฏิบัติงานเรื่องที่ " + ", ".join(str(s.procedure) for s in view.summary))
    w.centred(view.unit, HEADING_PT, bold=True, before=180)
    w.centred(view.office, HEADING_PT, bold=True)
    w.centred(f"ออกรายงาน ณ วันที่ {w.long_date(view.issued)}", before=SPACE_BEFORE_PT)


def _contents(w: _Writer, view: ReportView) -> dict[str, str]:
    """The contents page: each part with its page number (a PAGEREF field to a bookmark).

    Word and LibreOffice both compute the page of a bookmark when they lay the document out; the
    number written here is only what a reader that updates no field would show.
    """
    marks = {"summary": "_Toc_summary", "part1": "_Toc_part1", "part2": "_Toc_part2"}
    entries = [
        ("summary", "บทสรุปสำหรับผู้บริหาร", 0.0),
        ("part1", "ส่วนที่ ๑ สรุปผลการดำเนินงาน", 0.0),
        ("part2", "ส่วนที่ ๒ ผลการดำเนินงานรายเรื่อง", 0.0),
    ]
    for s in view.sections:
        if s.runs:
            marks[f"p{s.number}"] = f"_Toc_p{s.number}"
            entries.append((f"p{s.number}", f"{s.number}. {s.short_title}", 1.0))
    if any(not s.runs for s in view.sections):
        marks["idle"] = "_Toc_idle"
        entries.append(("idle", "เรื่องที่ยังไม่ได้เริ่มดำเนินการ", 1.0))
    marks |= {"signoff": "_Toc_signoff", "appendix": "_Toc_appendix"}
    entries += [("signoff", "การรับรองรายงาน", 0.0), ("appendix", "ภาคผนวก ดัชนีหลักฐาน", 0.0)]
    w.heading("สารบัญ", new_page=True)
    p = w.para(tabs=[Tab(TEXT_WIDTH_CM, "right")])
    w.run(p, "\tหน้า", bold=True)
    for key, text, indent in entries:
        p = w.para(before=3, left=indent, tabs=[Tab(TEXT_WIDTH_CM, "right", dots=True)])
        p.paragraph_format.right_indent = cm(1.0)
        w.run(p, text)
        w.run(p, "\t")
        w.field(p, f" PAGEREF {marks[key]} \\h ", "๒" if w.thai else "2")
        p.paragraph_format.right_indent = None
    return marks


def _executive_summary(w: _Writer, view: ReportView) -> None:
    """One page for the director: the figures, then the problems, obstacles and recommendations."""
    rows = view.summary
    w.heading("บทสรุปสำหรับผู้บริหาร", new_page=True, mark="_Toc_summary")
    done, total = sum(r.steps_done for r in rows), sum(r.steps_total for r in rows)
    active = sum(1 for s in view.sections if s.runs)
    share = f" คิดเป็นร้อยละ {round(100 * done / total)}" if total else ""
    w.body(
        f"{view.unit} {view.office} ติดตามการดำเนินงานตามคู่มือการปฏิบัติงาน {len(rows)} เรื่อง "
        f"{PERIOD_NAME[view.period]} ปีงบประมาณ พ.ศ. {view.fy} ข้อมูล ณ วันที่ {w.long_date(view.as_of)} สรุปได้ดังนี้"
    )
    figures = [
        f"ดำเนินการแล้ว {active} เรื่อง ยังไม่ได้เริ่มดำเนินการ {len(rows) - active} เรื่อง",
        f"ดำเนินการแล้ว {done} ขั้นตอน จาก {total} ขั้นตอน{share}",
        f"กำหนดเวลาที่ดำเนินการทัน {sum(r.met for r in rows)} รายการ ไม่ทันกำหนด {sum(r.missed for r in rows)} รายการ "
        f"ยังไม่ถึงกำหนด {sum(r.open for r in rows)} รายการ",
        f"การพิจารณาที่ไม่เห็นชอบ {sum(r.rejected for r in rows)} ครั้ง",
        f"ชั่วโมงการปฏิบัติงานที่บันทึก {_hours(sum(r.hours for r in rows))} ชั่วโมง "
        f"จากที่คู่มือกำหนด {_hours(sum(r.planned_hours for r in rows))} ชั่วโมง",
        f"หลักฐานที่บันทึกไว้ {len(view.evidence)} รายการ",
    ]
    for i, line in enumerate(figures, 1):
        w.numbered(i, line)
    w.subheading("ปัญหา อุปสรรค และข้อเสนอแนะ")
    if not view.notes:
        w.body("ไม่มีการบันทึกปัญหา อุปสรรค หรือข้อเสนอแนะในรอบนี้")
    for kind, heading in NOTE_HEADING.items():
        notes = [n for n in view.notes if n.kind == kind]
        if notes:
            w.run(w.para(before=SPACE_BEFORE_PT, left=1.0, keep=True), heading, bold=True)
            for i, note in enumerate(notes, 1):
                w.numbered(i, _note_text(w, note))


def _note_text(w: _Writer, note: NoteView) -> str:
    return f"{note.text} (เรื่องที่ {note.procedure} {note.short_title}, {w.short_date(note.date)})"


def _summary(w: _Writer, view: ReportView) -> None:
    rows = view.summary
    w.heading("ส่วนที่ ๑ สรุปผลการดำเนินงาน", new_page=True, mark="_Toc_part1")
    w.body(
        f"รายงานนี้สรุปผลการดำเนินงานตามคู่มือการปฏิบัติงานของ{view.unit} {view.office} "
        f"ปีงบประมาณ พ.ศ. {view.fy} {PERIOD_NAME[view.period]} ตั้งแต่วันที่ {w.long_date(view.start)} "
        f"ถึงวันที่ {w.long_date(view.end)} จากร่องรอยหลักฐานที่บันทึกไว้ในระบบติดตามงาน "
        "ตามที่ข้อ ๗ ของคู่มือแต่ละเรื่องกำหนดให้ติดตามและประเมินผลจากร่องรอยหลักฐานมาตรฐานงาน"
    )
    if view.as_of < view.end:
        w.body(f"ข้อมูล ณ วันที่ {w.long_date(view.as_of)} ซึ่งยังไม่สิ้นสุดรอบการรายงาน")
    if view.empty:
        w.body(
            "ไม่มีการบันทึกการดำเนินงานในช่วงเวลานี้ ขั้นตอนที่ดำเนินการ ชั่วโมง การพิจารณา และหลักฐาน"
            "จึงเป็นศูนย์ทุกเรื่อง ส่วนกำหนดเวลาแสดงตามที่คู่มือกำหนด ซึ่งยังไม่มีผลการดำเนินงาน",
            bold=True,
        )
    else:
        active = sum(1 for s in view.sections if s.active)
        done, total = sum(r.steps_done for r in rows), sum(r.steps_total for r in rows)
        share = f" (ร้อยละ {round(100 * done / total)})" if total else ""
        w.body(
            f"ในรอบนี้มีการดำเนินงาน {active} เรื่อง จาก {len(rows)} เรื่อง ดำเนินการแล้ว {done} ขั้นตอน "
            f"จาก {total} ขั้นตอน{share} บันทึกชั่วโมงการปฏิบัติงาน {_hours(sum(r.hours for r in rows))} ชั่วโมง "
            f"จากที่คู่มือกำหนด {_hours(sum(r.planned_hours for r in rows))} ชั่วโมง "
            f"กำหนดเวลาที่ดำเนินการทัน {sum(r.met for r in rows)} รายการ "
            f"ไม่ทันกำหนด {sum(r.missed for r in rows)} รายการ "
            f"ยังไม่ถึงกำหนดหรือรอวันของกิจกรรม {sum(r.open for r in rows)} รายการ "
            f"การพิจารณาที่ไม่เห็นชอบ {sum(r.rejected for r in rows)} ครั้ง "
            f"และหลักฐาน {len(view.evidence)} รายการ รายละเอียดตามตารางที่ ๑"
        )
    w.caption("ตารางที่ ๑ สรุปผลการดำเนินงานรายเรื่อง")
    summary_table(w, rows)
    w.note(
        "หมายเหตุ ขั้นตอนและชั่วโมงตามแผนคิดตามจำนวนรอบการดำเนินงานของแต่ละเรื่อง "
        "รอบที่ยกเลิกไม่นับขั้นตอน ไม่ทันกำหนด คือเสร็จช้ากว่ากำหนด หรือเกินกำหนดแล้วยังไม่ได้ดำเนินการ "
        "ยังไม่ถึงกำหนด รวมกำหนดที่รอวันของกิจกรรมอ้างอิง ตีกลับ คือจำนวนครั้งที่การพิจารณาไม่เห็นชอบ"
    )
    w.caption("แผนภูมิที่ ๑ ร้อยละของขั้นตอนที่ดำเนินการแล้ว รายเรื่อง", before=BODY_PT)


# Widths from TH SarabunPSK's metrics at 14 pt: a heading word (กำหนด 0.96 cm, bold a little
# more) and the widest figures (๑๐/๑,๑๘๘ 1.54 cm) fit with the cells' 0.2 cm of padding.
SUMMARY_COLUMNS = (
    Column(("ที่",), 0.7, "center"),
    Column(("เรื่อง",), 5.45),
    Column(("ขั้นตอน", "เสร็จ/ทั้งหมด"), 1.5, "center"),
    Column(("ชั่วโมง", "บันทึก/แผน"), 2.0, "center"),
    Column(("ทัน", "กำหนด"), 1.25, "center"),
    Column(("ไม่ทัน", "กำหนด"), 1.25, "center"),
    Column(("ยังไม่ถึง", "กำหนด"), 1.3, "center"),
    Column(("ตีกลับ",), 1.1, "center"),
    Column(("หลักฐาน",), 1.45, "center"),
)


def summary_table(w: _Writer, rows: Sequence[SummaryRow]) -> Table:
    """Table 1: one row per procedure, then the totals."""
    table = w.table(SUMMARY_COLUMNS)
    for r in rows:
        w.row(
            table,
            SUMMARY_COLUMNS,
            [
                str(r.procedure),
                r.short_title,
                f"{r.steps_done}/{r.steps_total}",
                f"{_hours(r.hours)}/{_hours(r.planned_hours)}",
                str(r.met),
                str(r.missed),
                str(r.open),
                str(r.rejected),
                str(r.evidence),
            ],
        )
    total = [
        "",
        "รวม",
        f"{sum(r.steps_done for r in rows)}/{sum(r.steps_total for r in rows)}",
        f"{_hours(sum(r.hours for r in rows))}/{_hours(sum(r.planned_hours for r in rows))}",
        *(str(sum(getattr(r, key) for r in rows)) for key in ("met", "missed", "open", "rejected", "evidence")),
    ]
    w.row(table, SUMMARY_COLUMNS, total, bold=True)
    return table


PEOPLE_COLUMNS = (
    Column(("ที่",), 0.8, "center"),
    Column(("ชื่อ - สกุล",), 7.2),
    Column(("ชั่วโมง", "ที่บันทึก"), 2.4, "center"),
    Column(("ชั่วโมง", "ตามแผน"), 2.4, "center"),
    Column(("ร้อยละ", "ของแผน"), 2.2, "center"),
)


def _people_hours(w: _Writer, view: ReportView) -> None:
    """Table 2: each person's hours recorded in the period against the plan's (`sop plan`) for its months."""
    if not view.people:
        return
    w.caption("ตารางที่ ๒ ชั่วโมงการปฏิบัติงานรายบุคคล บันทึกเทียบกับแผน", before=BODY_PT)
    table = w.table(PEOPLE_COLUMNS)
    for i, person in enumerate(view.people, 1):
        planned = person.planned
        share = f"{round(100 * person.recorded / planned)}" if planned else "-"
        cells = [str(i), person.name, _hours(person.recorded), _hours(planned) if planned is not None else "-", share]
        w.row(table, PEOPLE_COLUMNS, cells)
    recorded = sum(p.recorded for p in view.people)
    planned_total = sum(p.planned or 0.0 for p in view.people)
    share = f"{round(100 * recorded / planned_total)}" if planned_total else "-"
    w.row(table, PEOPLE_COLUMNS, ["", "รวม", _hours(recorded), _hours(planned_total), share], bold=True)
    w.note(
        "หมายเหตุ ชั่วโมงตามแผนคำนวณโดย sop plan จากชั่วโมงในคู่มือ แบ่งให้ผู้รับผิดชอบของแต่ละแถว "
        "กระจายตามวันทำการของเดือนในรอบรายงาน ชั่วโมงที่บันทึกคือชั่วโมงที่ผู้ปฏิบัติบันทึกไว้ในระบบ"
    )


STANDARD_COLUMNS = (
    Column(("ข้อ",), 1.0, "center"),
    Column(("มาตรฐานงาน",), 6.0),
    Column(("กำหนดเวลาและสถานะ",), 4.4),
    Column(("หลักฐาน",), 4.6),
)
TIMELINE_COLUMNS = (  # a date (๒๐ พ.ย. ๒๕๖๙, 2.1 cm) is one unbreakable unit
    Column(("วันที่",), 2.5),
    Column(("ขั้นตอน",), 1.3, "center"),
    Column(("การดำเนินการ",), 8.4),
    Column(("ผู้ดำเนินการ",), 3.8),
)
IDLE_COLUMNS = (
    Column(("ที่",), 0.8, "center"),
    Column(("เรื่อง",), 6.4),
    Column(("ขั้นตอน",), 1.4, "center"),
    Column(("กำหนดเวลาที่เลยแล้วในรอบนี้",), 7.4),
)


def _procedure(w: _Writer, view: ReportView, s: ProcedureSection, mark: str) -> None:
    w.heading(f"{s.number}. {s.short_title}", size=SUBTITLE_PT, before=BODY_PT, mark=mark)
    w.body(f"เรื่อง {s.title}", first=False)
    w.subheading(f"{s.number}.๑ สรุปการดำเนินงาน")
    if not s.runs:
        w.body(f"ไม่มีการดำเนินงานที่บันทึกไว้ถึงวันที่ {w.long_date(view.as_of)}")
    for run in s.runs:
        w.body(_run_summary(w, run, len(s.runs) > 1))
    if s.evidence:
        first, last = min(s.evidence), max(s.evidence)
        span = f"ลำดับที่ {first}" if first == last else f"ลำดับที่ {first}–{last}"
        w.body(f"หลักฐานของเรื่องนี้ {len(s.evidence)} รายการ (ภาคผนวก ดัชนีหลักฐาน {span})")
    elif s.runs:
        w.body("ยังไม่มีหลักฐานที่บันทึกไว้ของเรื่องนี้")

    w.subheading(f"{s.number}.๒ มาตรฐานงาน (ข้อ ๖ ของคู่มือ) และหลักฐาน")
    table = w.table(STANDARD_COLUMNS)
    index = {e.number: e for e in view.evidence}
    for standard in s.standards:
        w.row(
            table,
            STANDARD_COLUMNS,
            [standard.ref, standard.text, _standard_state(w, standard), _standard_evidence(w, standard, index)],
        )

    w.subheading(f"{s.number}.๓ การติดตามและประเมินผล (ข้อ ๗ ของคู่มือ)")
    w.body(" ".join(s.monitoring.text.split()))
    if s.monitoring.times_per_year:
        w.body(f"คู่มือกำหนดให้ติดตามและประเมินผล {s.monitoring.times_per_year} ครั้งต่อปีงบประมาณ")
    for monitoring_round in s.monitoring.rounds:
        name = monitoring_round.text.removeprefix("การติดตามและประเมินผล ")
        w.bullet(f"{name}: {' '.join(_deadline_lines(w, monitoring_round))}")
    if s.deadlines_elsewhere:
        w.subheading(f"{s.number}.๔ กำหนดเวลาอื่นตามคู่มือ")
        for d in s.deadlines_elsewhere:
            where = f" ({d.run_label})" if d.run_label else ""
            w.bullet(f"ข้อ {d.ref}{where} {' '.join(d.text.split())}: {' '.join(_deadline_lines(w, d))}")
    number = 5 if s.deadlines_elsewhere else 4
    if s.runs:
        w.subheading(f"{s.number}.{number} ลำดับการดำเนินงาน")
        for run in s.runs:
            if len(s.runs) > 1:
                w.body(f"รอบการดำเนินงาน {_run_name(run)}", first=False, bold=True)
            table = w.table(TIMELINE_COLUMNS)
            for entry in run.entries:
                w.row(table, TIMELINE_COLUMNS, _timeline_cells(w, entry))
        number += 1
        w.subheading(f"{s.number}.{number} การพิจารณาที่ไม่เห็นชอบ")
        rejections = [(run, r) for run in s.runs for r in run.rejections]
        if not rejections:
            w.body("ไม่มี")
        for run, r in rejections:
            where = f" ({_run_name(run)})" if len(s.runs) > 1 else ""
            w.bullet(
                f"ขั้นตอนที่ {r.step}{where} รอบที่ {r.round} ไม่เห็นชอบเมื่อ {w.long_date(r.date)} "
                f"บันทึกโดย {whole_name(r.by)} เหตุผล: {r.reason or '-'}"
            )
        number += 1
    w.subheading(f"{s.number}.{number} รายการที่ล่าช้า")
    if not s.late:
        w.body(f"ไม่มีรายการที่ล่าช้าถึงวันที่ {w.long_date(view.as_of)}")
    for d in s.late:
        where = f" ({d.run_label})" if d.run_label else ""
        w.bullet(f"ข้อ {d.ref}{where} {' '.join(d.text.split())}: {' '.join(_deadline_lines(w, d))}")


def _not_started(w: _Writer, view: ReportView, idle: Sequence[ProcedureSection]) -> None:
    """The procedures with no run in the period, in one table: steps, and the deadlines already passed."""
    if not idle:
        return
    w.heading("เรื่องที่ยังไม่ได้เริ่มดำเนินการ", size=SUBTITLE_PT, before=BODY_PT, mark="_Toc_idle")
    w.body(
        f"เรื่องต่อไปนี้ยังไม่มีการดำเนินงานที่บันทึกไว้ถึงวันที่ {w.long_date(view.as_of)} "
        "กำหนดเวลาที่เลยแล้วตามคู่มือแสดงไว้ในตาราง ส่วนกำหนดเวลาอื่นยังไม่ถึงกำหนด"
    )
    steps = {r.procedure: f"0/{r.steps_total}" for r in view.summary}
    table = w.table(IDLE_COLUMNS)
    for s in idle:
        late = [f"ข้อ {d.ref} {_deadline_name(d)} กำหนด {w.short_date(d.due)}" for d in s.late if d.due]
        w.row(table, IDLE_COLUMNS, [str(s.number), s.short_title, steps.get(s.number, "0"), late or ["-"]])


def _deadline_name(d: DeadlineView) -> str:
    """A deadline's name short enough for a table cell: a monitoring round by its round."""
    text = " ".join(d.text.split())
    return text.removeprefix("การติดตามและประเมินผล ") if len(text) > 60 else text


def _signoff(w: _Writer, view: ReportView, mark: str) -> None:
    """The sign-off: the reporter, then the director's comment and the provincial officer's, with lines."""
    w.heading("การรับรองรายงาน", new_page=True, mark=mark)
    w.signature_block("ผู้รายงาน", view.signoff.reporter, comment=False)
    w.signature_block("ความเห็นของผู้อำนวยการกลุ่ม", view.signoff.director, comment=True)
    w.signature_block("ความเห็นของศึกษาธิการจังหวัด", view.signoff.head, comment=True)


def _run_name(run: RunView) -> str:
    return f"{run.label} ({run.run})" if run.label else run.run


def _run_summary(w: _Writer, run: RunView, several: bool) -> str:
    name = f"รอบการดำเนินงาน {_run_name(run)} " if several else ""
    started = f"เริ่มเมื่อ {w.long_date(run.started_on)} " if run.started_on else ""
    rounds = f" อยู่ในรอบการพิจารณาที่ {run.round}" if run.round > 1 and run.status == "open" else ""
    cancelled = f" เหตุผลที่ยกเลิก: {run.cancel_reason}" if run.cancel_reason else ""
    # Procedures whose steps repeat in each inspection round say which round the run is in.
    cycle = f" อยู่ในการตรวจราชการครั้งที่ {run.cycle}" if run.cycle is not None and run.status == "open" else ""
    return (
        f"{name}{started}สถานะ{words.word(words.RUN_STATUS, run.status, 'th')}{cycle} ดำเนินการแล้ว {run.steps_done} "
        f"จาก {run.steps_total} ขั้นตอน{rounds} บันทึกชั่วโมงการปฏิบัติงาน {_hours(run.hours)} ชั่วโมง{cancelled}"
    )


def _deadline_lines(w: _Writer, d: DeadlineView) -> list[str]:
    """A deadline's date and state in one or two short lines."""
    if d.due is None:
        waiting = d.waiting_for or ""
        if waiting.startswith("step "):
            return [f"นับกำหนดเมื่อขั้นตอนที่ {waiting.removeprefix('step ')} เสร็จ"]
        return [f"รอกำหนด{words.waiting_text(waiting, 'th')}"]
    detail = f" ({d.detail})" if d.detail else ""
    due = f"กำหนด {w.short_date(d.due)}"
    if d.status == "met" and d.done_on is not None:
        return [due, f"ดำเนินการแล้ว {w.short_date(d.done_on)} ทันกำหนด{detail}"]
    if d.status == "late" and d.done_on is not None:
        return [due, f"ดำเนินการแล้ว {w.short_date(d.done_on)} หลังกำหนด{detail}"]
    return [due, words.word(words.DEADLINE_STATE, d.status, "th") + detail]


def _standard_state(w: _Writer, s: StandardView) -> list[str]:
    lines = []
    for d in s.deadlines:
        shown = _deadline_lines(w, d)
        lines += [f"{d.run_label}: {shown[0]}", *shown[1:]] if d.run_label else shown
    if not s.timed:
        lines.append("คู่มือไม่ได้กำหนดเวลา")
    if s.steps:
        if set(s.steps_done) | set(s.steps_skipped) == set(s.steps):
            lines.append("ขั้นตอนที่เกี่ยวข้องดำเนินการครบแล้ว")
        elif s.steps_done:
            lines.append(f"ดำเนินการแล้วขั้นตอนที่ {_numbers(s.steps_done)}")
        else:
            lines.append("ยังไม่ได้ดำเนินการขั้นตอนที่เกี่ยวข้อง")
        if s.steps_skipped:
            lines.append(f"ขั้นตอนที่ {_numbers(s.steps_skipped)} ข้ามไปตามผลการพิจารณา")
    lines += [f"บันทึกว่าบรรลุ {w.short_date(day)}" for day in s.marked]
    return lines


def _standard_evidence(w: _Writer, s: StandardView, index: dict[int, EvidenceRow]) -> list[str]:
    """The steps a standard's evidence comes from, then the items (their names kept verbatim)."""
    lines = ["คู่มือไม่ได้ระบุขั้นตอน"] if s.basis == "none" else [f"ขั้นตอนที่ {_numbers(s.steps)}"]
    lines += [f"[{n}] {cite(w, index[n])}" for n in s.evidence]
    if s.basis != "none" and not s.evidence:
        lines.append("ยังไม่มีหลักฐาน")
    return lines


def _timeline_cells(w: _Writer, e: TimelineEntry) -> list[Cell]:
    if e.what == "started":
        action: list[str] = ["เริ่มดำเนินงาน"]
    elif e.what == "cancelled":
        action = [f"ยกเลิกการดำเนินงาน เหตุผล: {e.reason or '-'}"]
    else:
        head = WHAT[e.what] + (f" (รอบที่ {e.round})" if e.round > 1 or e.what == "rejected" else "")
        action = [f"{head}: {e.step_text}"]
        if e.forced:
            action.append(f"ดำเนินการข้ามลำดับ เหตุผล: {e.reason or '-'}")
        elif e.reason:
            action.append(f"เหตุผล: {e.reason}")
        if e.note:
            action.append(f"บันทึก: {e.note}")
    return [w.short_date(e.date), str(e.step) if e.step else "-", action, whole_name(e.by, breakable=True)]


EVIDENCE_COLUMNS = (
    Column(("ที่",), 0.8, "center"),
    Column(("เรื่อง/", "ขั้นตอน"), 1.3, "center"),
    Column(("วันที่",), 2.5),
    Column(("ผู้บันทึก",), 2.8),
    Column(("หลักฐาน",), 3.8),
    Column(("SHA-256",), 4.8),
)


def evidence_table(w: _Writer, rows: Sequence[EvidenceRow], paths: bool = False) -> Table:
    """The evidence index: every file and link with procedure, step, date, actor, size and SHA-256."""
    table = w.table(EVIDENCE_COLUMNS)
    for e in rows:
        if e.kind == "document":
            what = [w.text(cite(w, e)), e.name]
        else:
            what = [f"{words.word(words.EVIDENCE_KIND, e.kind, 'th')}: {e.name}" if e.kind != "file" else e.name]
        if e.size is not None:
            what.append(w.text(size_text(e.size)))
        if paths and e.stored:
            what.append(e.stored)
        what += _companion_lines(w, e, paths)
        where = f"{e.procedure}/{e.step}" if e.step is not None else f"{e.procedure}/-"
        cells: list[Cell] = [str(e.number), where, w.short_date(e.date), whole_name(e.by, breakable=True), what]
        if e.sha256 is None:  # a link has no hash: its address takes the hash's column too
            w.row(table, EVIDENCE_COLUMNS, cells, raw=(4,))
        else:
            tr = w.row(table, EVIDENCE_COLUMNS, [*cells, ""], raw=(4,))
            w.hash_cell(tr, 5, e.sha256)
    return table


def _companion_lines(w: _Writer, e: EvidenceRow, paths: bool) -> list[str]:
    """A document's other files, under its name: its PDF/A, and (in the dossier) the versions it corrects."""
    lines = []
    if e.version > 1:
        lines.append(w.text(f"ฉบับแก้ไขครั้งที่ {e.version - 1}"))
    if e.pdf is not None:
        lines.append(f"PDF/A: {e.pdf.stored}" if paths and e.pdf.stored else "มีฉบับ PDF/A")
    if paths:
        for c in e.earlier:
            lines.append(w.text(f"ประวัติการแก้ไข ฉบับที่ {c.version}: ") + (c.stored or c.name))
    return lines


def cite(w: _Writer, e: EvidenceRow) -> str:
    """Evidence as a reader cites it: a document by its kind, number and date; a file or link by name."""
    if e.kind == "document" and e.doc_number:
        # A received letter is no kind sop issues: it is cited as a letter.
        kind = next((spec.cited for k, spec in DOCUMENTS.items() if k == e.doc_type), "หนังสือ")
        return f"{kind} ที่ {e.doc_number} ลงวันที่ {w.short_date(e.date)}"
    return f"{_evidence_name(e)} ({w.short_date(e.date)})"


def size_text(size: int) -> str:
    """A size as people read it: 812 ไบต์, 2.0 กิโลไบต์, 1.5 เมกะไบต์."""
    if size < 1024:
        return f"{size} ไบต์"
    if size < 1048576:
        return f"{size / 1024:.1f} กิโลไบต์"
    return f"{size / 1048576:.1f} เมกะไบต์"


def _evidence_name(e: EvidenceRow) -> str:
    if e.kind == "link":
        host = e.name.split("://", 1)[-1].split("/", 1)[0]
        return f"ลิงก์ {host}"
    return _clip(e.name, 60)


def _numbers(steps: Sequence[int]) -> str:
    if len(steps) > 2 and list(steps) == list(range(steps[0], steps[-1] + 1)):
        return f"{steps[0]}–{steps[-1]}"
    return ", ".join(str(s) for s in steps)


def _clip(text: str, length: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _hours(hours: float) -> str:
    return f"{hours:,.1f}".rstrip("0").rstrip(".")


_TOKEN = re.compile(r"\S+")
_LATIN = re.compile(r"[A-Za-z]")


def report_digits(text: str) -> str:
    """Write the digits of `text` as Thai digits, except in words holding Latin letters.

    Run and event ids (ngk4cz), file names (minutes-2569.pdf), links, e-mail addresses and
    SHA-256 keep their digits: they must be typed or compared exactly as they are.
    """
    return _TOKEN.sub(lambda m: m.group() if _LATIN.search(m.group()) else thai_digits(m.group()), text)


# --- the writer -----------------------------------------------------------------------------------


class _Writer(Writer):
    """A report under construction, with the office's font and digits."""

    def __init__(self, font: str, thai: bool, title: str) -> None:
        super().__init__(font, thai, report_digits if thai else (lambda text: text))
        self.doc.core_properties.title = title
        self.page_number_header()

    def digits(self, text: str) -> str:
        """Thai digits when the office wants them (see `report_digits`)."""
        return report_digits(text) if self.thai else text

    def long_date(self, date: dt.date) -> str:
        """`25 พฤศจิกายน 2569` (its digits become Thai when the run is added)."""
        return format_long(date, digits=False)

    def short_date(self, date: dt.date) -> str:
        """`25 พ.ย. 2569`: for table cells."""
        return f"{date.day} {MONTHS_SHORT[date.month - 1]} {be_year(date)}"

    def centred(self, text: str, size: float = BODY_PT, bold: bool = False, before: float = 0.0) -> None:
        """A centred line of the title page."""
        self.run(self.para(align="center", before=before), text, size, bold)

    def heading(
        self,
        text: str,
        size: float = HEADING_PT,
        new_page: bool = False,
        before: float = SPACE_BEFORE_PT,
        mark: str | None = None,
    ) -> None:
        """A bold heading kept with what follows; `mark` names its bookmark for the contents."""
        p = self.para(before=before, keep=True, new_page=new_page)
        self.run(p, text, size, bold=True)
        if mark is not None:
            self.bookmark(p, mark)

    def subheading(self, text: str) -> None:
        """A 16 pt bold heading inside a procedure's section."""
        self.run(self.para(before=BODY_PT / 2, keep=True), text, bold=True)

    def caption(self, text: str, before: float = SPACE_BEFORE_PT) -> None:
        """The bold title above a table or chart."""
        self.run(self.para(before=before, keep=True), text, bold=True)

    def body(self, text: str, *, first: bool = True, bold: bool = False) -> None:
        """A body paragraph: 6 pt before, 2.5 cm first line, Thai distributed justification."""
        p = self.para(align="thai", before=SPACE_BEFORE_PT, first=FIRST_LINE_CM if first else 0.0)
        self.run(p, text, bold=bold)

    def bullet(self, text: str) -> None:
        """A hanging item under a body paragraph: a dash, then the text."""
        left = FIRST_LINE_CM + 0.5
        self.run(self.para(before=2, left=left, first=-0.5, tabs=[Tab(left)]), f"-\t{text}")

    def numbered(self, number: int, text: str) -> None:
        """A numbered item: the number at 1.5 cm, the text (and its next lines) from 2.25 cm."""
        left = 2.25
        p = self.para(before=2, left=left, first=-0.75, tabs=[Tab(left)])
        self.run(p, f"{number}.\t{text}")

    def note(self, text: str) -> None:
        """A 14 pt note under a table."""
        self.run(self.para(before=3), text, TABLE_PT)

    def chart(self, png: bytes, thai_labels: bool) -> None:
        """The progress chart, centred, as wide as the text."""
        p = self.para(align="center", before=3)
        shape = self.run(p, "").add_picture(io.BytesIO(png), width=cm(CHART_WIDTH_CM))
        labels = "ชื่อเรื่องภาษาไทย" if thai_labels else "หมายเลขเรื่องเท่านั้น (ไม่พบแบบอักษรไทย)"
        shape._inline.docPr.set("name", CHART_NAME)
        shape._inline.docPr.set("descr", f"แผนภูมิร้อยละของขั้นตอนที่ดำเนินการแล้ว รายเรื่อง ป้ายชื่อ: {labels}")

    def signature_block(self, title: str, signer: Signer, *, comment: bool) -> None:
        """A titled block that stays on one page: dotted lines for a comment, then ลงชื่อ, name, position."""
        axis = 8.0  # the signature lines are centred on the right half
        start = len(self.doc.paragraphs)
        self.run(self.para(before=BODY_PT), title, bold=True)
        if comment:
            for _ in range(COMMENT_LINES):
                self.run(self.para(before=SPACE_BEFORE_PT, tabs=[Tab(TEXT_WIDTH_CM, "right", dots=True)]), "\t")
        self.blank()
        self.run(self.para(align="center", left=axis), f"ลงชื่อ {SIGNATURE_DOTS}", raw=True)
        name = f"({whole_name(signer.name)})" if signer.name else f"({SIGNATURE_DOTS})"
        self.run(self.para(align="center", left=axis), name, raw=signer.name is None)
        for position in signer.positions or (f"ตำแหน่ง {SIGNATURE_DOTS}",):
            self.run(self.para(align="center", left=axis), position, raw=not signer.positions)
        self.run(self.para(align="center", left=axis), "วันที่ ........ / ........ / ........", raw=True)
        block = self.doc.paragraphs[start:]
        for paragraph in block:
            paragraph.paragraph_format.keep_together = True
        for paragraph in block[:-1]:
            paragraph.paragraph_format.keep_with_next = True

    # -- tables --

    def table(self, columns: Sequence[Column]) -> Table:
        """A bordered, fixed-width table with a bold header row repeated on every page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        table: Table = self.doc.add_table(rows=0, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        table.autofit = False
        for column, spec in zip(table.columns, columns, strict=True):
            column.width = cm(spec.width_cm)
        tr = self.row(table, columns, [c.title for c in columns], bold=True, header=True)
        margins = OxmlElement("w:tblCellMar")
        for side in ("w:left", "w:right"):
            margins.append(OxmlElement(side, {qn("w:w"): str(CELL_PADDING_TWIPS), qn("w:type"): "dxa"}))
        table._tbl.tblPr.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
        tr_pr = tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:tblHeader"))
        for tc in tr.tc_lst:
            tc_pr = tc.get_or_add_tcPr()
            tc_pr.append(OxmlElement("w:shd", {qn("w:val"): "clear", qn("w:color"): "auto", qn("w:fill"): "E7E6E6"}))
        return table

    def row(
        self,
        table: Table,
        columns: Sequence[Column],
        cells: Sequence[Cell],
        *,
        bold: bool = False,
        header: bool = False,
        raw: Sequence[int] = (),
    ) -> BaseOxmlElement:
        """Append a row (built as XML: the python-docx API slows down on long tables); return its w:tr.

        With fewer cells than columns, the last cell spans the columns left.
        """
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        if not 0 < len(cells) <= len(columns):
            raise ValueError(f"a row of {len(columns)} columns cannot take {len(cells)} cells")
        tr = OxmlElement("w:tr")
        tr.append(OxmlElement("w:trPr"))
        tr[0].append(OxmlElement("w:cantSplit"))
        for index, (spec, content) in enumerate(zip(columns, cells, strict=False)):
            spanned = columns[index:] if index == len(cells) - 1 else [spec]
            tc = OxmlElement("w:tc")
            tc_pr = OxmlElement("w:tcPr")
            width = twips(sum(c.width_cm for c in spanned))
            tc_pr.append(OxmlElement("w:tcW", {qn("w:w"): width, qn("w:type"): "dxa"}))
            if len(spanned) > 1:
                tc_pr.append(OxmlElement("w:gridSpan", {qn("w:val"): str(len(spanned))}))
            tc.append(tc_pr)
            lines = [content] if isinstance(content, str) else list(content) or [""]
            align: _Align = "center" if header else spec.align
            for line in lines:
                tc.append(self._cell_paragraph(line, align, TABLE_PT, bold, raw=index in raw))
            tr.append(tc)
        table._tbl.append(tr)
        return tr

    def hash_cell(self, tr: BaseOxmlElement, index: int, sha: str) -> None:
        """Put a SHA-256 in a cell on two lines of 32 digits, at 11 pt, its Latin digits kept."""
        from docx.oxml.ns import qn

        tc = tr.findall(qn("w:tc"))[index]
        for p in tc.findall(qn("w:p")):
            tc.remove(p)
        lines = [sha[:32], sha[32:]] if len(sha) == 64 else [sha]
        for line in lines:
            tc.append(self._cell_paragraph(line, "left", HASH_PT, False, raw=True))

    def _cell_paragraph(self, text: str, align: _Align, size: float, bold: bool, raw: bool) -> BaseOxmlElement:
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        p = OxmlElement("w:p")
        p_pr = OxmlElement("w:pPr")
        if align in ("center", "right"):
            p_pr.append(OxmlElement("w:jc", {qn("w:val"): align}))
        p.append(p_pr)
        r = OxmlElement("w:r")
        r.append(self.rpr(size, bold))
        t = OxmlElement("w:t", {qn("xml:space"): "preserve"})
        t.text = self.text(text, raw)
        r.append(t)
        p.append(r)
        return p
