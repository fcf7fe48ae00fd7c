"""The register of issued numbers: one file per number, next = max + 1, problems placed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.models.register import RegisterEntry, Series
from sop_cli.storage.register import (
    entry_yaml,
    list_register,
    load_register,
    next_number,
    register_folder,
    register_problems,
    write_entry,
)
from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace


def entry(ws: Workspace, number: int, *, kind: str = "memo", issued: dt.date = dt.date(2026, 11, 25)) -> RegisterEntry:
    """A valid entry whose document exists in the workspace."""
    year = issued.year + 543
    series = "order" if kind == "order" else "out"
    document = ws.root / "documents" / str(year) / f"{kind}-{number}-{issued.isoformat()}.docx"
    document.parent.mkdir(parents=True, exist_ok=True)
    data = f"{kind} {number} {issued}".encode()
    document.write_bytes(data)
    return RegisterEntry(
        schema_version=1,
        series=Series(series),
        year=year,
        number=number,
        printed=f"{number}/{year}" if kind == "order" else f"ศธ ๐๒๘๘/{number}",
        kind=kind,  # type: ignore[arg-type]
        subject=f"เรื่องที่ {number}",
        to=None if kind == "order" else "ศึกษาธิการจังหวัดเชียงราย",
        issued=issued,
        at=dt.datetime.combine(issued, dt.time(9), BANGKOK),
        by="nanthana",
        procedure=3,
        fy=2570,
        run=None,
        step=None,
        document=document.relative_to(ws.root).as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


def test_numbers_start_at_one_and_follow_the_highest(workspace: Workspace) -> None:
    """An empty year starts at 1; then max + 1 of the series, whatever the gaps."""
    assert next_number(workspace, Series.outgoing, 2569) == 1
    for number in (1, 2, 7):
        write_entry(workspace, entry(workspace, number))
    assert next_number(workspace, Series.outgoing, 2569) == 8
    assert next_number(workspace, Series.order, 2569) == 1
    assert next_number(workspace, Series.outgoing, 2570) == 1


def test_entry_file_name_and_text(workspace: Workspace) -> None:
    """register/<BE year>/out-0007-<random>.yaml, one key per line, read back unchanged."""
    item = entry(workspace, 7)
    path = write_entry(workspace, item)
    assert path.parent == register_folder(workspace, 2569)
    assert path.name.startswith("out-0007-") and path.suffix == ".yaml"
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:5] == [
        "schema_version: 1",
        'series: "out"',
        "year: 2569",
        "number: 7",
        'printed: "ศธ ๐๒๘๘/7"',
    ]
    assert "run: null" in text and "step: null" in text
    stored, problems = load_register(workspace)
    assert problems == [] and [s.entry for s in stored] == [item]
    assert text == entry_yaml(item)


def test_two_clones_issuing_one_number_are_reported_with_both_documents(workspace: Workspace) -> None:
    """After a merge, two files with the same series, year and number: one problem naming both documents."""
    first = entry(workspace, 1)
    # The other clone's document, numbered 1 there too.
    second = entry(workspace, 2).model_copy(update={"number": 1, "printed": "ศธ ๐๒๘๘/1", "subject": "อีกเรื่อง"})
    write_entry(workspace, first)
    write_entry(workspace, second)
    problems = register_problems(workspace)
    assert len(problems) == 1
    message = problems[0].message
    assert "number 1 of 2569 of the outgoing register (ศธ ๐๒๘๘/1) was issued 2 times" in message
    assert first.document in message and second.document in message
    assert "เรื่องที่ 1" in message and "อีกเรื่อง" in message
    assert not check_workspace(workspace).ok


def test_malformed_entry_is_placed_at_its_line(workspace: Workspace) -> None:
    """A wrong value is reported path:line:col with the field; the number in the name stays taken."""
    path = write_entry(workspace, entry(workspace, 3))
    text = path.read_text(encoding="utf-8").replace("number: 3", 'number: "สาม"')
    path.write_text(text, encoding="utf-8")
    problems = register_problems(workspace)
    assert [str(p) for p in problems] == [f"register/2569/{path.name}:4:9: number: expected a whole number, got 'สาม'"]
    assert next_number(workspace, Series.outgoing, 2569) == 4


def test_name_content_and_folder_must_agree(workspace: Workspace) -> None:
    """A file whose name or folder disagrees with its content is reported."""
    path = write_entry(workspace, entry(workspace, 3))
    moved = path.with_name(path.name.replace("out-0003", "out-0009"))
    path.rename(moved)
    (register_folder(workspace, 2569) / "notes.txt").write_text("x", encoding="utf-8")
    messages = sorted(p.message for p in register_problems(workspace))
    assert messages == [
        "the file says out number 3 of 2569, but its name and folder say out number 9 of 2569",
        "unexpected file in the register (entries are named like out-0123-abcdef.yaml)",
    ]


def test_missing_altered_and_stray_documents(workspace: Workspace) -> None:
    """The document an entry names must exist with its SHA-256; documents/ holds only registered files."""
    kept = entry(workspace, 1)
    altered = entry(workspace, 2)
    gone = entry(workspace, 3)
    for item in (kept, altered, gone):
        write_entry(workspace, item)
    (workspace.root / altered.document).write_bytes(b"edited")
    (workspace.root / gone.document).unlink()
    (workspace.root / "documents" / "2569" / "stray.docx").write_bytes(b"x")
    messages = sorted(str(p) for p in register_problems(workspace))
    assert len(messages) == 3
    assert any(m.startswith(altered.document) and "was altered after" in m for m in messages)
    assert any(m.endswith(f"document: {gone.document} is missing") for m in messages)
    assert "documents/2569/stray.docx:1:1: unexpected file: no register entry names it" in messages


def test_entry_must_match_its_kind_and_year() -> None:
    """An order in the outgoing series, or a year that is not the issue date's, is refused."""
    ws = Workspace(Path("/nonexistent"))
    good = {
        "schema_version": 1,
        "series": "out",
        "year": 2569,
        "number": 1,
        "printed": "ศธ ๐๒๘๘/๑",
        "kind": "order",
        "subject": "ก",
        "issued": "2026-11-25",
        "at": "2026-11-25T09:00:00+07:00",
        "by": "nanthana",
        "procedure": 3,
        "document": "x.docx",
        "sha256": "0" * 64,
        "size": 1,
    }
    assert ws.root.name == "nonexistent"
    with pytest.raises(ValueError, match="takes its number from the order series"):
        RegisterEntry.model_validate(good)
    with pytest.raises(ValueError, match="so its year is 2569"):
        RegisterEntry.model_validate({**good, "series": "order", "year": 2570})


def test_list_register_by_year_and_kind(workspace: Workspace) -> None:
    """Listing filters by Buddhist Era year and kind, in series and number order."""
    write_entry(workspace, entry(workspace, 2))
    write_entry(workspace, entry(workspace, 1, kind="external_letter"))
    write_entry(workspace, entry(workspace, 1, kind="order"))
    write_entry(workspace, entry(workspace, 1, issued=dt.date(2027, 1, 2)))
    assert [(e.kind, e.number) for e in list_register(workspace, 2569)] == [
        ("order", 1),
        ("external_letter", 1),
        ("memo", 2),
    ]
    assert [e.year for e in list_register(workspace, 2570)] == [2570]
    assert [e.kind for e in list_register(workspace, None, "order")] == ["order"]
    assert len(list_register(workspace)) == 4
