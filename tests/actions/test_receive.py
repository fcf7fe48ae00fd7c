"""`sop receive`: the incoming register (ทะเบียนหนังสือรับ), its numbers, copies and links to runs and steps."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.actions.receive import Letter, Where, receive_letter
from sop_cli.actions.register import register_listing
from sop_cli.actions.runs import advance
from sop_cli.errors import SopError
from sop_cli.models.records import EvidenceAdded, EvidenceDocument
from sop_cli.storage.records import load_events
from sop_cli.storage.register import received_items
from sop_cli.workspace import Workspace
from tests.actions.test_documents import at, started
from tests.conftest import Result, files_under
from tests.values import ME

Run = Callable[..., Result]
ORDERS = "ข้อสั่งการของผู้ตรวจราชการกระทรวงศึกษาธิการ ประจำปีงบประมาณ พ.ศ. ๒๕๗๐"


def letter_file(tmp_path: Path, name: str = "ข้อสั่งการ.pdf", data: bytes = b"%PDF-1.4 the inspector's orders") -> Path:
    """A received letter's file, outside the workspace."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def orders(tmp_path: Path, **changes: object) -> Letter:
    """The inspector's orders that start procedure ๓."""
    letter = Letter(
        str(letter_file(tmp_path)), "ผู้ตรวจราชการกระทรวงศึกษาธิการ", "ศธ ๐๒๐๖/ว ๔๕", dt.date(2026, 11, 20), ORDERS
    )
    return dataclasses.replace(letter, **changes)  # type: ignore[arg-type]


def received_evidence(ws: Workspace) -> list[tuple[int | None, EvidenceDocument]]:
    """(step, evidence) of every received letter recorded in the fiscal year 2570."""
    stored, problems = load_events(ws, 2570)
    assert problems == []
    return [
        (e.event.step, e.event.evidence)
        for e in stored
        if isinstance(e.event, EvidenceAdded)
        and isinstance(e.event.evidence, EvidenceDocument)
        and e.event.evidence.doc_type == "received"
    ]


def test_the_inspectors_orders_start_procedure_3(workspace: Workspace, tmp_path: Path) -> None:
    """--start: a run of ๓ opens with the letter as evidence of step ๑; รับ ๑ in the register with its copy's hash."""
    result = receive_letter(workspace, 3, ME, orders(tmp_path), Where(start=True))
    assert (result.number, result.step, result.started, result.procedure) == ("รับ ๑", 1, True, 3)
    assert (
        result.run is not None
        and result.path == f"records/2570/03-{result.run}/evidence/{result.sha256[:8]}-ข้อสั่งการ.pdf"
    )
    copy = workspace.root / result.path
    assert copy.read_bytes() == b"%PDF-1.4 the inspector's orders"
    stored, _ = load_events(workspace, 2570)
    assert [type(s.event).__name__ for s in stored] == ["Started", "EvidenceAdded"]
    ((step, evidence),) = received_evidence(workspace)
    assert (step, evidence.number, evidence.received, evidence.format) == (1, "ศธ ๐๒๐๖/ว ๔๕", "รับ ๑", "copy")
    (item,) = received_items(workspace, 2569)
    entry = item.entry
    assert (entry.number, entry.sender, entry.their_date, entry.subject) == (
        1,
        "ผู้ตรวจราชการกระทรวงศึกษาธิการ",
        dt.date(2026, 11, 20),
        ORDERS,
    )
    assert (entry.run, entry.step, entry.started, entry.document) == (result.run, 1, True, result.path)
    assert entry.sha256 == hashlib.sha256(copy.read_bytes()).hexdigest() == result.sha256
    assert check_workspace(workspace).ok
    (row,) = register_listing(workspace, ME.now.date(), kind="incoming").received
    assert (row.printed, row.their_number, row.run) == ("รับ ๑", "ศธ ๐๒๐๖/ว ๔๕", result.run)
    assert register_listing(workspace, ME.now.date(), kind="memo").received == ()


def test_a_reply_answers_the_current_step_and_numbers_restart_in_january(workspace: Workspace, tmp_path: Path) -> None:
    """Without --step the run's current step; --step names another; on 2 January the count starts again at 1."""
    run = started(workspace)
    advance(workspace, 3, ME)
    first = receive_letter(workspace, 3, ME, orders(tmp_path), Where())
    assert (first.number, first.run, first.step) == ("รับ ๑", run, 2)
    other = orders(tmp_path, file=str(letter_file(tmp_path, "ตอบ.pdf", b"%PDF reply")))
    second = receive_letter(workspace, 3, ME, other, Where(step=4))
    assert (second.number, second.step) == ("รับ ๒", 4)
    january = orders(tmp_path, file=str(letter_file(tmp_path, "มกรา.pdf", b"%PDF new year")))
    third = receive_letter(workspace, 3, at(2027, 1, 4), january, Where())
    assert third.number == "รับ ๑" and third.register_file is not None and "/2570/in-0001-" in third.register_file
    assert check_workspace(workspace).ok


def test_without_a_run_the_copy_goes_to_documents(workspace: Workspace, tmp_path: Path) -> None:
    """--no-run: registered, the copy kept in documents/<year>/received/, no event; sop check knows the file."""
    result = receive_letter(workspace, 5, ME, orders(tmp_path), Where(no_run=True))
    assert result.run is None and result.path is not None
    assert result.path.startswith("documents/2569/received/")
    assert list(workspace.records.rglob("*.yaml")) == []
    assert check_workspace(workspace).ok


@pytest.mark.parametrize(
    ("change", "where", "message"),
    [
        ({"their_date": dt.date(2026, 11, 30)}, Where(start=True), "after the day it was received"),
        ({"subject": "  "}, Where(start=True), "--subject must not be empty"),
        ({"file": "https://drive.google.com/x"}, Where(start=True), "not a link"),
        ({}, Where(start=True, run="abc123"), "--start opens a new run: leave out --run"),
        ({}, Where(start=True, no_run=True), "--no-run excludes --run and --start"),
        ({}, Where(label="ครั้งที่ 1"), "--label names the run --start opens"),
        ({}, Where(start=True, step=9), "procedure 3 has no step 9"),
    ],
)
def test_mistakes_are_refused_and_nothing_is_written(
    workspace: Workspace, tmp_path: Path, change: dict[str, object], where: Where, message: str
) -> None:
    """A letter dated after it arrived, an empty subject, a link, contradicting options: one sentence, no file."""
    before = files_under(workspace.root)
    with pytest.raises(SopError, match=message):
        receive_letter(workspace, 3, ME, orders(tmp_path, **change), where)
    assert files_under(workspace.root) == before


def test_the_same_file_twice_is_refused_before_a_number_is_taken(workspace: Workspace, tmp_path: Path) -> None:
    """Recording the same letter again in the run: refused, and the next letter still gets รับ ๒."""
    first = receive_letter(workspace, 3, ME, orders(tmp_path), Where(start=True))
    with pytest.raises(SopError, match="this file was recorded already"):
        receive_letter(workspace, 3, ME, orders(tmp_path), Where(run=first.run))
    other = orders(tmp_path, file=str(letter_file(tmp_path, "อีกฉบับ.pdf", b"%PDF other")))
    assert receive_letter(workspace, 3, ME, other, Where(run=first.run)).number == "รับ ๒"


def test_dry_run_names_the_number_and_writes_nothing(workspace: Workspace, tmp_path: Path) -> None:
    """--dry-run: the number it would take, no file."""
    before = files_under(workspace.root)
    result = receive_letter(workspace, 3, ME, orders(tmp_path), Where(start=True), dry_run=True)
    assert (result.dry_run, result.number, result.path) == (True, "รับ ๑", None)
    assert files_under(workspace.root) == before


def test_sop_receive_on_the_command_line(office: Workspace, sop: Run, tmp_path: Path) -> None:
    """`sop receive 3 FILE --from … --start`: the number and where the copy went; `sop register` lists it."""
    path = letter_file(tmp_path)
    args = ["--from", "ผู้ตรวจราชการ", "--their-number", "ศธ 0206/ว 45", "--their-date", "2569-11-20"]
    done = sop("receive", "3", str(path), *args, "--subject", ORDERS, "--start", cwd=office.root)
    assert done.code == 0, done.err
    assert "received as no. รับ ๑ → records/2570/03-" in done.out and "started run " in done.out
    listing = sop("register", "--kind", "incoming", cwd=office.root)
    assert "Incoming register, 2569" in listing.out and "รับ ๑" in listing.out
    missing = sop("receive", "3", str(path), *args, cwd=office.root)
    assert missing.code == 2  # --subject is required
