"""Hours per person: recorded against planned, in the report (table ๒) and in the exports."""

from __future__ import annotations

import json
from collections.abc import Callable

from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.people.conftest import record

Run = Callable[..., Result]


def _plain(text: str) -> str:
    """Text as read: the report's word joiners and zero-width spaces out, no-break spaces as spaces."""
    return text.replace("\u2060", "").replace("\u200b", "").replace("\xa0", " ").strip()


def _hours(busy: Workspace, sop: Run) -> None:
    record(sop, busy, "note", "2", "ทบทวนข้อมูล", "--hours", "6", "--by", "saowalak", "--date", "2569-11-12")
    record(sop, busy, "note", "1", "--hours", "2.5", "--date", "2569-11-24")
    record(sop, busy, "note", "1", "--hours", "1.5", "--by", "thidarat")


def test_the_exports_have_each_event_s_hours_and_each_person_s_total(busy: Workspace, sop: Run) -> None:
    """The event table gains the step and the hours; the hours table sums them per person beside the plan."""
    _hours(busy, sop)
    record(sop, busy, "export", "--format", "json")
    document = json.loads((busy.root / "exports" / "2570" / "sop-2570.json").read_text(encoding="utf-8"))
    logged = [e for e in document["events"] if e["type"] == "hours_logged"]
    assert sorted(e["hours"] for e in logged) == [1.5, 2.5, 6]
    steps = {e["step"] for e in document["events"] if e["type"] == "step_completed"}
    assert steps == {1, 2, 3, 4, 5, 6, 7}
    people = {row["person_id"]: row for row in document["hours"]}
    assert (people["saowalak"]["recorded"], people["nanthana"]["recorded"], people["thidarat"]["recorded"]) == (
        6,
        2.5,
        1.5,
    )
    assert people["warunee"]["recorded"] == 0
    # The plan through November: October and November of the year's plan, the same as `sop plan`.
    plan = json.loads(record(sop, busy, "plan", "--format", "json").out)
    nanthana = next(load for load in plan["loads"] if load["person"] == "nanthana")
    assert people["nanthana"]["planned_to_date"] == round(sum(nanthana["hours"][:2]), 1)
    assert people["nanthana"]["planned_year"] == round(sum(nanthana["hours"]), 1)
    assert "1" in people["nanthana"]["holding"] and "2" in people["nanthana"]["holding"]


def test_the_report_has_a_table_of_hours_per_person(busy: Workspace, sop: Run) -> None:
    """Table ๒ of the report: recorded against planned for each person with either, and the totals."""
    from docx import Document

    _hours(busy, sop)
    done = record(sop, busy, "report", "--period", "half")
    path = busy.root / done.out.split("wrote ", 1)[1].strip()
    doc = Document(str(path))
    texts = [_plain(p.text) for p in doc.paragraphs]
    assert any("ตารางที่ ๒ ชั่วโมงการปฏิบัติงานรายบุคคล" in t for t in texts)
    table = next(t for t in doc.tables if _plain(t.rows[0].cells[1].text) == "ชื่อ - สกุล")
    rows = {_plain(r.cells[1].text): [_plain(c.text) for c in r.cells] for r in table.rows[1:]}
    assert rows["เสาวลักษณ์ นันไชยบัว"][2] == "๖"
    assert rows["ธิดารัตน์ สิงห์แก้ว"][2] == "๑.๕"
    assert rows["รวม"][2] == "๑๐"
    assert "นางวรุณี แก้วสุข" in rows  # on the plan of procedures ๕–๗, nothing recorded
