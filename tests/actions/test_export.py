"""`sop export` through the core: CSV, JSON and Excel files read back and checked against the records."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import pytest

from sop_cli.actions.export import export_year
from sop_cli.actions.runs import Actor, add_note, advance, event_log, start_run, void_event
from sop_cli.actions.status import status_overview
from sop_cli.errors import SopError
from sop_cli.journal import Journal
from sop_cli.loading.catalog import load_catalog
from sop_cli.models.values import Evidence, ExportFormat
from sop_cli.rendering import tables as export_files
from sop_cli.storage.records import load_events
from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace

TODAY = dt.date(2026, 11, 25)  # fiscal year 2570
NOTE = '<script>alert(1)</script> & "quotes"'
LINK = "https://drive.google.com/drive/folders/abc"
MINUTES = b"%PDF-1.4 minutes"
XLSX_SHEETS = ["สถานะ", "เหตุการณ์", "กำหนดเวลา", "หลักฐาน", "ชั่วโมงรายบุคคล"]


def on(month: int, day: int, by: str = "nanthana") -> Actor:
    """An actor recording at 15:30 Bangkok time on a day of fiscal year 2570."""
    return Actor(by, dt.datetime(2026, month, day, 15, 30, tzinfo=BANGKOK))


def record_history(ws: Workspace, tmp_path: Path) -> str:
    """Runs of procedures 2 and 3: steps, hours, a file and a link, a hostile note, a void; return the void's target."""
    minutes = tmp_path / "รายงานการประชุม.pdf"
    minutes.write_bytes(MINUTES)
    start_run(ws, 2, on(10, 5))
    advance(ws, 2, on(10, 12), note="ศึกษาแนวทางแล้ว", hours=6)
    advance(ws, 2, on(10, 20), evidence=[Evidence(source=minutes), Evidence(link=LINK)])
    add_note(ws, 2, on(11, 2, by="thidarat"), NOTE)
    add_note(ws, 2, on(11, 3), "=1+1")
    start_run(ws, 3, on(10, 3))
    advance(ws, 3, on(10, 3), hours=2.5)
    (wrong,) = [e for e in event_log(ws, 2570, number=3) if e.type == "step_completed"]
    void_event(ws, wrong.event, on(10, 6), "บันทึกผิดงาน")
    return wrong.event


@pytest.fixture
def recorded(workspace: Workspace, tmp_path: Path) -> tuple[Workspace, str]:
    """A workspace with the history above, and the id of the voided event."""
    return workspace, record_history(workspace, tmp_path)


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file written for Excel, keyed by its Thai headers; the BOM must be there."""
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 byte-order mark: Excel would show Thai as mojibake"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def test_csv_writes_status_and_events_with_bom_and_thai(recorded: tuple[Workspace, str]) -> None:
    """Two UTF-8 CSV files with a BOM: one row per procedure and run, one per event, as recorded."""
    ws, voided = recorded
    paths = export_year(ws, 2570, ExportFormat.csv, None, TODAY, force=False)
    folder = ws.root / "exports" / "2570"
    assert paths == [folder / "sop-2570-status.csv", folder / "sop-2570-events.csv"]

    status = read_csv(paths[0])
    assert list(status[0]) == export_files.STATUS.header()
    assert [r["ที่"] for r in status] == [str(n) for n in range(1, 15)]
    two = status[1]
    assert two["งาน"] == "ศึกษา วิเคราะห์ข้อมูล และแผนการตรวจราชการ"
    assert (two["สถานะ"], two["ขั้นตอนปัจจุบัน"], two["ขั้นตอนที่เสร็จ"], two["ขั้นตอนทั้งหมด"]) == (
        "กำลังดำเนินการ",
        "3",
        "2",
        "14",
    )
    assert (two["ชั่วโมงที่บันทึก"], two["ชั่วโมงตามแผน"], two["กิจกรรมล่าสุด"]) == ("6", "1188", "2026-11-03")
    assert two["ผู้รับผิดชอบขั้นตอนปัจจุบัน"] == "นันทนา, เสาวลักษณ์, ธิดารัตน์, เสาวภา"
    assert status[3]["สถานะ"] == "ยังไม่เริ่ม" and status[3]["รหัสรอบงาน"] == ""
    overview = {r.procedure: r for r in status_overview(ws, 2570, TODAY)}
    for row in status:
        expected = overview[int(row["ที่"])]
        assert row["รหัสรอบงาน"] == (expected.run or "")
        due = expected.next_deadline.due.isoformat() if expected.next_deadline else ""
        assert row["กำหนดถัดไป"] == due

    events = read_csv(paths[1])
    stored, _ = load_events(ws, 2570)
    assert sorted(r["รหัสเหตุการณ์"] for r in events) == sorted(s.event.id for s in stored)
    by_id = {s.event.id: s.event for s in stored}
    for row in events:
        event = by_id[row["รหัสเหตุการณ์"]]
        assert row["วันที่"] == event.date.isoformat()
        assert dt.datetime.fromisoformat(row["บันทึกเมื่อ"]) == event.at
        assert (row["ที่"], row["รหัสรอบงาน"], row["ประเภท"]) == (str(event.procedure), event.run, event.type)
        assert row["รหัสผู้บันทึก"] == event.by
        assert row["ไม่นับ"] == ("ไม่นับ" if event.id == voided else "")
    (note,) = [r for r in events if r["รหัสผู้บันทึก"] == "thidarat"]
    assert note["ผู้บันทึก"] == load_catalog(ws).staff_name("thidarat")
    assert note["รายละเอียด"] == f"บันทึก: {NOTE}"


def test_json_holds_both_tables_with_codes_and_iso_dates(recorded: tuple[Workspace, str]) -> None:
    """One JSON document: the status and the events, English keys, codes, ISO dates, lists and booleans."""
    ws, voided = recorded
    (path,) = export_year(ws, 2570, ExportFormat.json, None, TODAY, force=False)
    assert path == ws.root / "exports" / "2570" / "sop-2570.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert (document["schema_version"], document["fy"], document["as_of"]) == (1, 2570, "2026-11-25")
    assert set(document) >= {"status", "events"}
    two = document["status"][1]
    assert (two["procedure"], two["status"], two["steps_done"], two["hours_logged"]) == (2, "open", 2, 6.0)
    assert two["holders"] == ["นันทนา", "เสาวลักษณ์", "ธิดารัตน์", "เสาวภา"]
    assert two["last_activity"] == "2026-11-03"
    assert [r["status"] for r in document["status"]].count("not_started") == 12
    stored, _ = load_events(ws, 2570)
    assert len(document["events"]) == len(stored)
    flags = {e["id"]: e["voided"] for e in document["events"]}
    assert flags[voided] is True and sum(flags.values()) == 1
    first = document["events"][0]
    assert first["recorded_at"].endswith("+07:00") and dt.date.fromisoformat(first["date"])
    assert any(e["summary"] == f"บันทึก: {NOTE}" for e in document["events"])


def test_xlsx_sheets_types_and_values(recorded: tuple[Workspace, str]) -> None:
    """Five Thai sheets, frozen header, real dates with a date format, numbers as numbers, values as recorded."""
    from openpyxl import load_workbook

    ws, voided = recorded
    (path,) = export_year(ws, 2570, ExportFormat.xlsx, None, TODAY, force=False)
    book = load_workbook(path)
    assert book.sheetnames == XLSX_SHEETS
    tables = [
        export_files.STATUS,
        export_files.EVENTS,
        export_files.DEADLINES,
        export_files.EVIDENCE,
        export_files.HOURS,
    ]
    for sheet, table in zip(book.worksheets, tables, strict=True):
        assert sheet.freeze_panes == "A2"
        assert [c.value for c in sheet[1]] == table.header()
        for index, column in enumerate(table.columns, start=1):
            width = sheet.column_dimensions[sheet.cell(1, index).column_letter].width
            assert min(6, column.width) <= width <= column.width

    status = book["สถานะ"]
    header = [c.value for c in status[1]]
    two = dict(zip(header, status[3], strict=True))
    assert two["ที่"].value == 2 and two["สถานะ"].value == "กำลังดำเนินการ"
    for name, value in (("ขั้นตอนที่เสร็จ", 2), ("ขั้นตอนทั้งหมด", 14), ("ชั่วโมงที่บันทึก", 6), ("ชั่วโมงตามแผน", 1188)):
        assert two[name].data_type == "n" and two[name].value == value
    last = two["กิจกรรมล่าสุด"]
    assert isinstance(last.value, dt.datetime) and last.value.date() == dt.date(2026, 11, 3)
    assert last.is_date and "yyyy" in last.number_format

    events = book["เหตุการณ์"]
    stored, _ = load_events(ws, 2570)
    by_id = {s.event.id: s.event for s in stored}
    rows = list(events.iter_rows(min_row=2))
    assert len(rows) == len(stored)
    for row in rows:
        stored_event = by_id[row[0].value]
        assert row[1].is_date and row[1].value.date() == stored_event.date
        recorded_at = stored_event.at.astimezone(BANGKOK).replace(tzinfo=None)
        assert row[2].is_date and abs(row[2].value - recorded_at) < dt.timedelta(milliseconds=1)  # Excel keeps ms
        assert row[3].value == stored_event.procedure and row[6].value == stored_event.by
        assert (row[9].value or "") == ("ไม่นับ" if stored_event.id == voided else "")

    evidence = {r[6].value: r for r in book["หลักฐาน"].iter_rows(min_row=2)}
    assert set(evidence) == {"รายงานการประชุม.pdf", LINK}
    pdf = evidence["รายงานการประชุม.pdf"]
    assert (pdf[0].value, pdf[2].value, pdf[5].value, pdf[8].value) == (2, 2, "ไฟล์", len(MINUTES))
    assert pdf[9].value == hashlib.sha256(MINUTES).hexdigest()
    assert pdf[3].is_date and pdf[3].value.date() == dt.date(2026, 10, 20)
    assert evidence[LINK][5].value == "ลิงก์" and evidence[LINK][8].value is None

    deadlines = list(book["กำหนดเวลา"].iter_rows(min_row=2))
    assert len(deadlines) == len(Journal.for_day(ws, TODAY).year(2570).deadlines)
    dated = [r for r in deadlines if r[4].value is not None]
    assert dated and all(r[4].is_date for r in dated)
    assert {r[6].value for r in deadlines} <= set(export_files.DEADLINE_STATE.values())


def test_xlsx_text_is_never_a_formula() -> None:
    """A note that starts with "=" or reads "#N/A" is stored as text, not as a formula or an error."""
    from openpyxl import load_workbook

    table = export_files.Table("t", "ทดสอบ", (export_files.Column("a", "ข้อความ"),))
    data = export_files.xlsx_bytes([(table, [{"a": "=HYPERLINK(1)"}, {"a": "#N/A"}, {"a": "ปกติ"}])])
    sheet = load_workbook(io.BytesIO(data))["ทดสอบ"]
    cells = [sheet.cell(row, 1) for row in (2, 3, 4)]
    assert [c.value for c in cells] == ["=HYPERLINK(1)", "#N/A", "ปกติ"]
    assert [c.data_type for c in cells] == ["s", "s", "s"]


def test_a_year_without_records_exports_the_fourteen_procedures(workspace: Workspace) -> None:
    """No records in the year: every format still writes, with fourteen procedures not started and no events."""
    from openpyxl import load_workbook

    status_csv, events_csv = export_year(workspace, 2571, ExportFormat.csv, None, TODAY, force=False)
    assert [r["สถานะ"] for r in read_csv(status_csv)] == ["ยังไม่เริ่ม"] * 14
    assert read_csv(events_csv) == []
    (path,) = export_year(workspace, 2571, ExportFormat.xlsx, None, TODAY, force=False)
    book = load_workbook(path)
    assert book["สถานะ"].max_row == 15 and book["เหตุการณ์"].max_row == 1
    (path,) = export_year(workspace, 2571, ExportFormat.json, None, TODAY, force=False)
    assert json.loads(path.read_text(encoding="utf-8"))["events"] == []


def test_an_existing_output_is_refused_unless_forced(recorded: tuple[Workspace, str]) -> None:
    """A file in the way stops the export before anything is written; --force replaces it."""
    ws, _ = recorded
    folder = ws.root / "exports" / "2570"
    folder.mkdir(parents=True)
    (folder / "sop-2570-events.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(SopError, match=r"exports/2570/sop-2570-events\.csv already exists; pass --force"):
        export_year(ws, 2570, ExportFormat.csv, None, TODAY, force=False)
    assert sorted(p.name for p in folder.iterdir()) == ["sop-2570-events.csv"]
    assert (folder / "sop-2570-events.csv").read_text(encoding="utf-8") == "mine"
    paths = export_year(ws, 2570, ExportFormat.csv, None, TODAY, force=True)
    assert read_csv(paths[1]) and all(p.is_file() for p in paths)


def test_out_names_a_folder_or_a_file(recorded: tuple[Workspace, str], tmp_path: Path) -> None:
    """--out DIR puts the default names in it; --out FILE is used as given (CSV adds -status and -events)."""
    ws, _ = recorded
    shared = tmp_path / "shared drive"
    shared.mkdir()
    assert export_year(ws, 2570, ExportFormat.html, shared, TODAY, force=False) == [shared / "sop-2570.html"]
    assert export_year(ws, 2570, ExportFormat.xlsx, shared / "รายงาน.xlsx", TODAY, force=False) == [
        shared / "รายงาน.xlsx"
    ]
    assert export_year(ws, 2570, ExportFormat.csv, shared / "year.csv", TODAY, force=False) == [
        shared / "year-status.csv",
        shared / "year-events.csv",
    ]
    assert export_year(ws, 2570, ExportFormat.html, shared / "page.htm", TODAY, force=False) == [shared / "page.htm"]
    assert not (ws.root / "exports").exists()


@pytest.mark.parametrize(
    ("fmt", "out", "message"),
    [
        ("xlsx", "missing/year.xlsx", r"the folder .*missing does not exist"),
        ("xlsx", "missing", r"the folder .*missing does not exist"),
        ("xlsx", "year.csv", r"is neither an existing folder nor a file name ending in \.xlsx"),
    ],
)
def test_bad_output_is_a_clear_error(
    workspace: Workspace, tmp_path: Path, fmt: ExportFormat, out: str | None, message: str
) -> None:
    """A folder that does not exist or a wrong suffix: one clear message, nothing written."""
    with pytest.raises(SopError, match=message):
        export_year(workspace, 2570, fmt, tmp_path / out if out else None, TODAY, force=False)
    assert not (workspace.root / "exports").exists()
    assert not (tmp_path / "missing").exists()


def test_a_fiscal_year_that_cannot_be_meant_is_refused(workspace: Workspace) -> None:
    """A Common Era year is refused with the Buddhist Era hint."""
    with pytest.raises(SopError, match="fiscal year 2027 cannot be meant"):
        export_year(workspace, 2027, ExportFormat.json, None, TODAY, force=False)


def test_every_file_in_the_way_is_named(recorded: tuple[Workspace, str]) -> None:
    """When both CSV files exist, the message names both."""
    ws, _ = recorded
    export_year(ws, 2570, ExportFormat.csv, None, TODAY, force=False)
    with pytest.raises(
        SopError, match=r"sop-2570-status\.csv and .*sop-2570-events\.csv already exist; .* replace them"
    ):
        export_year(ws, 2570, ExportFormat.csv, None, TODAY, force=False)
