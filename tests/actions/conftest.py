"""A fiscal year of known records for the report and dossier tests, built through the core API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest

from sop_cli.actions.runs import Actor, add_note, advance, cancel_run, start_run
from sop_cli.models.values import DeadlineRef, Evidence
from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace

NOW = dt.datetime(2027, 4, 20, 9, 0, tzinfo=BANGKOK)  # fiscal year 2570, after the half-year's end
TODAY = NOW.date()
ME = Actor(by="nanthana", now=NOW)
SAO = Actor(by="saowalak", now=NOW)
REJECTION = "กศจ. ให้ปรับตัวชี้วัดให้ตรงบริบทจังหวัด"


def day(year: int, month: int, d: int) -> dt.date:
    """A Common Era date (the API's dates are Common Era)."""
    return dt.date(year, month, d)


@dataclass(frozen=True)
class History:
    """The workspace and the facts recorded in it."""

    ws: Workspace
    files: dict[str, bytes]  # evidence files attached, by original name
    links: tuple[str, ...]
    runs: dict[str, str]  # run ids: p2, p1a, p1b


@pytest.fixture
def history(workspace: Workspace, tmp_path: Path) -> History:
    """The workspace with the known records of `build_history`."""
    return build_history(workspace, tmp_path)


def build_history(ws: Workspace, tmp_path: Path) -> History:
    """Procedure 2: a rejection, evidence and hours, events on 31 March and 1 April 2027.

    Procedure 1: a first run whose step 5 meets standard 6.2 on time and whose 6.3 is marked
    met late; a second run started in April (after the half-year). Procedure 3: a run cancelled.
    """
    files = {
        "รายงานการประชุม.pdf": b"%PDF-1.4 minutes of the working group",
        "มติ กศจ. 2570.pdf": b"%PDF-1.4 approval of the provincial committee",
        "after-april.pdf": b"%PDF-1.4 dated the first of April",
        "คำสั่งแต่งตั้ง.pdf": b"%PDF-1.4 order appointing the committee",
    }
    paths = {}
    for name, data in files.items():
        paths[name] = tmp_path / name
        paths[name].write_bytes(data)
    link = "https://drive.google.com/drive/folders/abc123"

    p2 = start_run(ws, 2, ME, date=day(2026, 10, 5)).run
    advance(ws, 2, ME, note="ศึกษาบทบาทและตัวชี้วัดแล้ว", hours=6, date=day(2026, 10, 6))
    advance(
        ws, 2, SAO, evidence=[Evidence(source=paths["รายงานการประชุม.pdf"]), Evidence(link=link)], date=day(2026, 11, 20)
    )
    for step in range(3, 8):
        advance(ws, 2, ME, date=day(2026, 12, step))
    advance(ws, 2, ME, reject=True, reason=REJECTION, date=day(2027, 1, 10))
    advance(ws, 2, ME, note="ปรับแผนตามข้อเสนอแนะ", hours=4, date=day(2027, 1, 20))
    # Revised at 7, the work goes on at 9 without a second decision (the manual's ๒.๘).
    advance(ws, 2, ME, evidence=[Evidence(source=paths["มติ กศจ. 2570.pdf"])], date=day(2027, 3, 31))
    advance(ws, 2, SAO, evidence=[Evidence(source=paths["after-april.pdf"])], hours=3, date=day(2027, 4, 1))

    p1a = start_run(ws, 1, ME, label="ครั้งที่ 1", date=day(2026, 10, 10)).run
    advance(ws, 1, ME, run=p1a, evidence=[Evidence(source=paths["คำสั่งแต่งตั้ง.pdf"])], hours=2, date=day(2026, 10, 12))
    for step in range(2, 6):
        advance(ws, 1, ME, run=p1a, date=day(2026, 12, 10 + step))
    add_note(ws, 1, ME, None, run=p1a, met=DeadlineRef("6.3"), date=day(2027, 1, 5))
    p1b = start_run(ws, 1, SAO, label="ครั้งที่ 2", date=day(2027, 4, 5)).run

    p3 = start_run(ws, 3, ME, date=day(2026, 11, 1)).run
    cancel_run(ws, 3, ME, "ย้ายไปดำเนินการปีงบประมาณหน้า")
    return History(ws, files, (link,), {"p2": p2, "p1a": p1a, "p1b": p1b, "p3": p3})
