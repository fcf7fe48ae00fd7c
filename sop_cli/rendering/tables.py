"""Write the tables of `sop export` as CSV, JSON and Excel files (bytes; the action writes them).

Each table is a fixed list of columns: a key (JSON field), a Thai header (CSV and Excel) and a
widest width. Rows are dicts of plain values: str, int, float, bool, date, datetime, a tuple of
names, or None. JSON keeps codes (`open`, `overdue`); CSV and Excel show the Thai labels.
openpyxl is imported inside the function: `sop status` must not pay for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sop_cli.rendering import words

if TYPE_CHECKING:
    from sop_cli.models.records import Event

Cell = str | int | float | bool | dt.date | dt.datetime | tuple[str, ...] | None
Row = Mapping[str, Cell]

# Real Excel dates shown in the Buddhist Era with Thai month names: [$-xxyyzzzz] is numerals 01
# (Western digits), calendar 07 (Thai Buddhist) and locale 041E (Thai). Programs that do not know
# the calendar fall back to the Common Era; the cell stays a date either way.
DATE_FORMAT = "[$-107041E]d mmm yyyy"
DATETIME_FORMAT = "[$-107041E]d mmm yyyy hh:mm"
EXPORT_SCHEMA_VERSION = 1

# The office's files speak Thai whatever the person's language: the words come from one place.
RUN_STATUS = {code: pair[1] for code, pair in words.RUN_STATUS.items()}
DEADLINE_STATE = {code: pair[1] for code, pair in words.DEADLINE_STATE.items()}
EVIDENCE_KIND = {code: pair[1] for code, pair in words.EVIDENCE_KIND.items()}
# A deadline waits for a named event or for a step of the run ("step 3"); no procedure has 99 steps.
WAITING_FOR = {
    code: words.waiting_text(code, "th") for code in [*words.SCHEDULED_EVENT, *(f"step {k}" for k in range(1, 100))]
}
VOIDED = {True: words.VOIDED[1], False: ""}


@dataclass(frozen=True)
class Column:
    """One column: JSON key, Thai header, widest width in characters, Thai labels of coded values."""

    key: str
    header: str
    width: int = 14
    labels: Mapping[Any, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """A table of the export: its name (JSON key, CSV file), Excel sheet title and columns."""

    name: str
    sheet: str
    columns: tuple[Column, ...]

    def header(self) -> list[str]:
        """The Thai headers."""
        return [c.header for c in self.columns]


STATUS = Table(
    "status",
    "สถานะ",
    (
        Column("procedure", "ที่", 5),
        Column("title", "งาน", 40),
        Column("run", "รหัสรอบงาน", 10),
        Column("label", "ชื่อรอบงาน", 14),
        Column("status", "สถานะ", 14, RUN_STATUS),
        Column("current_step", "ขั้นตอนปัจจุบัน", 8),
        Column("current_step_text", "ขั้นตอนปัจจุบัน (ข้อความ)", 50),
        Column("steps_done", "ขั้นตอนที่เสร็จ", 8),
        Column("steps_total", "ขั้นตอนทั้งหมด", 8),
        Column("hours_logged", "ชั่วโมงที่บันทึก", 8),
        Column("hours_planned", "ชั่วโมงตามแผน", 8),
        Column("holders", "ผู้รับผิดชอบขั้นตอนปัจจุบัน", 36),
        Column("last_activity", "กิจกรรมล่าสุด", 13),
        Column("rejected_rounds", "ตีกลับ (ครั้ง)", 8),
        Column("next_deadline_ref", "กำหนดถัดไป ข้อ", 8),
        Column("next_deadline", "กำหนดถัดไป", 13),
        Column("next_deadline_working_days_left", "วันทำการที่เหลือ", 8),
        Column("next_deadline_text", "กำหนดถัดไป (ข้อความ)", 50),
    ),
)
EVENTS = Table(
    "events",
    "เหตุการณ์",
    (
        Column("id", "รหัสเหตุการณ์", 12),
        Column("date", "วันที่", 13),
        Column("recorded_at", "บันทึกเมื่อ", 18),
        Column("procedure", "ที่", 5),
        Column("run", "รหัสรอบงาน", 10),
        Column("type", "ประเภท", 15),
        Column("actor_id", "รหัสผู้บันทึก", 12),
        Column("actor", "ผู้บันทึก", 24),
        Column("summary", "รายละเอียด", 70),
        Column("voided", "ไม่นับ", 8, VOIDED),
        Column("step", "ขั้นตอน", 7),
        Column("hours", "ชั่วโมง", 8),
    ),
)
DEADLINES = Table(
    "deadlines",
    "กำหนดเวลา",
    (
        Column("procedure", "ที่", 5),
        Column("run", "รหัสรอบงาน", 10),
        Column("ref", "ข้อ", 6),
        Column("text", "ข้อความในคู่มือ", 60),
        Column("due", "กำหนด", 13),
        Column("working_days_left", "วันทำการที่เหลือ", 8),
        Column("state", "สถานะ", 16, DEADLINE_STATE),
        Column("done_on", "ทำเสร็จเมื่อ", 13),
        Column("waiting_for", "รอวันที่ของ", 16, WAITING_FOR),
        Column("detail", "หมายเหตุ", 20),
        Column("persons", "ผู้รับผิดชอบ", 36),
    ),
)
HOURS = Table(
    "hours",
    "ชั่วโมงรายบุคคล",
    (
        Column("person_id", "รหัสบุคลากร", 12),
        Column("person", "ชื่อ", 30),
        Column("recorded", "ชั่วโมงที่บันทึก", 10),
        Column("planned_to_date", "ชั่วโมงตามแผนถึงสิ้นเดือนนี้", 12),
        Column("planned_year", "ชั่วโมงตามแผนทั้งปี", 10),
        Column("capacity_year", "เวลาทำงานทั้งปี", 10),
        Column("holding", "งานที่รับผิดชอบอยู่", 40),
    ),
)
EVIDENCE = Table(
    "evidence",
    "หลักฐาน",
    (
        Column("procedure", "ที่", 5),
        Column("run", "รหัสรอบงาน", 10),
        Column("step", "ขั้นตอน", 7),
        Column("date", "วันที่", 13),
        Column("actor", "ผู้บันทึก", 24),
        Column("kind", "ชนิด", 12, EVIDENCE_KIND),
        Column("name", "ชื่อไฟล์หรือลิงก์", 50),
        Column("document_number", "เลขที่หนังสือ", 14),
        Column("size", "ขนาด (ไบต์)", 10),
        Column("sha256", "SHA-256", 66),
    ),
)


def event_summary(event: Event, names: Mapping[str, str] | None = None) -> str:
    """What an event recorded, in one Thai line (the event table and the page's latest activity)."""
    return words.event_summary(event, "th", names)


def _check(table: Table, rows: Sequence[Row]) -> None:
    keys = [c.key for c in table.columns]
    for row in rows:
        if list(row) != keys:
            raise ValueError(f"a row of table {table.name} has keys {list(row)}, not {keys}")


def _text(column: Column, value: Cell) -> str:
    """A value as CSV text: labels in Thai, dates in ISO form, names joined."""
    if column.labels and value in column.labels:
        return column.labels[value]
    if value is None:
        return ""
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, dt.date):  # also datetime
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# A spreadsheet reads a cell starting with one of these as a formula (`=HYPERLINK(…)`,
# `+cmd|' /C calc'!A0`, `@SUM(…)`), or strips the tab and carriage return before doing so.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """A CSV cell that no spreadsheet opens as a formula: text starting with = + - @ tab CR gets a leading '.

    Numbers stay numbers (a negative count of working days is not a formula).
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """Rows as CSV in UTF-8 with a byte-order mark (Excel needs it to read Thai), every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # the excel dialect: commas, quotes when needed, CRLF line ends
    writer.writerow([csv_cell(h) for h in header])
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def csv_bytes(table: Table, rows: Sequence[Row]) -> bytes:
    """The table as CSV in UTF-8 with a byte-order mark, which Excel needs to read Thai."""
    _check(table, rows)
    cells = [[_csv_value(c, row[c.key]) for c in table.columns] for row in rows]
    return csv_table(table.header(), cells)


def _csv_value(column: Column, value: Cell) -> object:
    # Numbers stay numbers (6 hours, not 6.0); only text (names, notes, labels) can be a formula.
    if isinstance(value, bool) or not isinstance(value, int | float) or value in column.labels:
        return _text(column, value)
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _json_value(value: Cell) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def json_bytes(meta: Mapping[str, Any], tables: Sequence[tuple[Table, Sequence[Row]]]) -> bytes:
    """One JSON document: `meta` fields, then each table as a list of objects keyed in English."""
    document: dict[str, Any] = {"schema_version": EXPORT_SCHEMA_VERSION, **meta}
    for table, rows in tables:
        _check(table, rows)
        document[table.name] = [{k: _json_value(v) for k, v in row.items()} for row in rows]
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def display_width(text: str) -> int:
    """Columns `text` takes on screen: Thai vowel and tone marks above or below take none."""
    return sum(1 for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Mn")


def _fit(column: Column, rows: Sequence[Row]) -> float:
    widest = max([display_width(column.header)] + [display_width(_text(column, r[column.key])) for r in rows[:500]])
    # A little room for the filter button of the header; long text is capped and wraps.
    return float(min(max(widest + 2, 6), column.width))


def _excel_value(column: Column, value: Cell) -> tuple[str | float | dt.datetime | None, str | None]:
    """The value a cell holds (Thai label, number, date) and its number format, if a date."""
    if column.labels and value in column.labels:
        return column.labels[value], None
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the time is kept as the wall clock of its own offset (the office's).
        return value.replace(tzinfo=None), DATETIME_FORMAT
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day), DATE_FORMAT
    if isinstance(value, tuple):
        return ", ".join(value), None
    if isinstance(value, bool):
        return ("ใช่" if value else "ไม่"), None
    return value, None


def _print_setup(sheet: Any, title: str) -> None:
    """A4 landscape, as wide as the page and as many pages long as needed, header row on each page."""
    sheet.page_setup.paperSize = "9"  # A4 in the paper-size table of the file format
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # 0: as many pages as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    # &C centres; && is a literal ampersand; &P and &N are the page and the number of pages.
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.center.size = 14
    sheet.oddHeader.center.font = "TH SarabunPSK,Bold"
    sheet.oddFooter.center.text = "หน้า &P / &N"


def xlsx_bytes(tables: Sequence[tuple[Table, Sequence[Row]]], title: str | None = None) -> bytes:
    """An Excel workbook, one sheet per table: Thai headers, frozen header row, real dates and numbers.

    Rows stay one line high (long text is not wrapped) so that 5,000 events scan and filter
    like a log; the widths fit the content up to each column's widest. Each sheet prints on A4
    landscape, fitted to the page's width, its header row repeated on every page, with `title`
    (or the sheet's name) at the top and the page number at the foot.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    # Write-only mode streams the rows: 5,000 events are written in a fraction of the normal time.
    book = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", start_color="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    for table, rows in tables:
        _check(table, rows)
        sheet = book.create_sheet(table.sheet)
        sheet.freeze_panes = "A2"
        _print_setup(sheet, f"{title} – {table.sheet}" if title else table.sheet)
        for index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _fit(column, rows)
        header = []
        for text in table.header():
            cell = WriteOnlyCell(sheet, value=text)
            cell.font, cell.fill, cell.alignment = bold, fill, wrap
            header.append(cell)
        sheet.append(header)
        for row in rows:
            values: list[object] = []
            for column in table.columns:
                value, number_format = _excel_value(column, row[column.key])
                if number_format is not None:
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = number_format
                    values.append(cell)
                elif isinstance(value, str) and (value.startswith("=") or value in ERROR_CODES):
                    # openpyxl would store "=…" as a formula and "#N/A" as an error: a note is text.
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.data_type = "s"
                    values.append(cell)
                else:
                    values.append(value)
            sheet.append(values)
        last = get_column_letter(len(table.columns))
        sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
