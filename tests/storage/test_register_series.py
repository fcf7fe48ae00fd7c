"""The registers' series (outgoing, circular ว, orders, incoming), gaps, corrected versions and withdrawals."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable

import pytest

from sop_cli.actions.register import register_listing, withdraw_number
from sop_cli.errors import SopError
from sop_cli.models.register import ReceivedEntry, RegisterEntry, Series, parse_number, printed_number
from sop_cli.storage.register import (
    entry_yaml,
    load_register,
    next_number,
    received_items,
    register_problems,
    write_entry,
)
from sop_cli.thai_calendar import BANGKOK
from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.storage.test_register import entry
from tests.values import ME

Run = Callable[..., Result]


def received(ws: Workspace, number: int) -> ReceivedEntry:
    """A valid incoming entry whose copy exists in the workspace."""
    copy = ws.root / "documents" / "2569" / "received" / f"letter-{number}.pdf"
    copy.parent.mkdir(parents=True, exist_ok=True)
    data = f"%PDF letter {number}".encode()
    copy.write_bytes(data)
    return ReceivedEntry(
        schema_version=1,
        series=Series.incoming,
        year=2569,
        number=number,
        printed=f"รับ {number}",
        received=dt.date(2026, 11, 25),
        at=dt.datetime(2026, 11, 25, 9, tzinfo=BANGKOK),
        by="nanthana",
        sender="สำนักงานปลัดกระทรวงศึกษาธิการ",
        their_number=f"ศธ ๐๒๐๐/ว {number}",
        their_date=dt.date(2026, 11, 20),
        subject="แจ้งข้อสั่งการของผู้ตรวจราชการ",
        procedure=3,
        name=copy.name,
        document=copy.relative_to(ws.root).as_posix(),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", (Series.outgoing, 12, None)),
        ("ศธ ๐๒๘๘/๑๒", (Series.outgoing, 12, None)),
        ("ศธ ๐๒๘๘/ว ๑๒", (Series.circular, 12, None)),
        ("ว12", (Series.circular, 12, None)),
        ("๓/๒๕๖๙", (Series.order, 3, 2569)),
        ("รับ 7", (Series.incoming, 7, None)),
        ("เลขรับ ๗", (Series.incoming, 7, None)),
        ("สิบสอง", None),
    ],
)
def test_numbers_as_people_write_them(text: str, expected: tuple[Series, int, int | None] | None) -> None:
    """Every series is recognised from the way it is printed, in Thai or Arabic digits."""
    assert parse_number(text) == expected


def test_each_series_prints_its_own_way_and_counts_on_its_own(workspace: Workspace) -> None:
    """A circular prints ว before its number and runs its own count beside the outgoing one."""
    assert printed_number(Series.circular, 3, 2569, "ศธ ๐๒๘๘") == "ศธ ๐๒๘๘/ว 3"
    assert printed_number(Series.incoming, 3, 2569, "ศธ ๐๒๘๘") == "รับ 3"
    write_entry(workspace, entry(workspace, 1))
    circular = entry(workspace, 2).model_copy(
        update={"kind": "external_letter", "series": Series.circular, "number": 1, "printed": "ศธ ๐๒๘๘/ว 1"}
    )
    write_entry(workspace, RegisterEntry.model_validate(circular.model_dump()))
    write_entry(workspace, received(workspace, 1))
    assert next_number(workspace, Series.outgoing, 2569) == 2
    assert next_number(workspace, Series.circular, 2569) == 2
    assert next_number(workspace, Series.incoming, 2569) == 2
    assert register_problems(workspace) == []
    assert [r.entry.their_number for r in received_items(workspace, 2569)] == ["ศธ ๐๒๐๐/ว 1"]


def test_a_memo_cannot_take_a_circular_number(workspace: Workspace) -> None:
    """Only letters go out as circulars: a memo entry in the ว series does not validate."""
    data = entry(workspace, 1).model_dump()
    with pytest.raises(ValueError, match="takes its number from the out series"):
        RegisterEntry.model_validate({**data, "series": "circular"})


def test_an_entry_written_before_the_new_keys_still_loads(workspace: Workspace) -> None:
    """Entries without distribution, pdf or version load as version 1; new entries omit those keys at default."""
    item = entry(workspace, 1)
    text = entry_yaml(item)
    keys = [line.split(":")[0] for line in text.splitlines()]
    assert "version" not in keys and "pdf" not in keys and "distribution" not in keys and "schema_version" in keys
    write_entry(workspace, item)
    (stored,), problems = load_register(workspace)
    assert problems == [] and stored.entry.version == 1 and stored.current


def test_a_gap_is_reported_with_its_repair_and_repaired_by_withdraw_gap(workspace: Workspace, sop: Run) -> None:
    """Number 2 missing below 3: `sop check` names it and the command; `withdraw --gap` explains it."""
    for number in (1, 3):
        write_entry(workspace, entry(workspace, number))
    (problem,) = register_problems(workspace)
    assert problem.path == "register/2569"
    assert "the outgoing register of 2569 has a gap: 2 below the highest (3)" in problem.message
    assert "sop register withdraw 'ศธ 0288/2' --year 2569 --gap --reason TEXT" in problem.message
    with pytest.raises(SopError, match="has an entry: withdraw it without --gap"):
        withdraw_number(workspace, ME, "3", "ไม่ได้ใช้", year=2569, gap=True)
    with pytest.raises(SopError, match="above the highest issued"):
        withdraw_number(workspace, ME, "9", "ไม่ได้ใช้", year=2569, gap=True)
    done = withdraw_number(workspace, ME, "ศธ ๐๒๘๘/๒", "เครื่องเสีย", year=2569, gap=True)
    printed, path = done.number, done.path
    assert printed == "2" and path.startswith("register/2569/withdrawn-out-0002-")
    assert register_problems(workspace) == []
    with pytest.raises(SopError, match="already withdrawn"):
        withdraw_number(workspace, ME, "2", "อีกครั้ง", year=2569, gap=True)
    assert next_number(workspace, Series.outgoing, 2569) == 4


def test_a_corrected_version_replaces_the_first_which_stays_as_history(workspace: Workspace) -> None:
    """Version 2 names version 1's file and the reason: one number in the listing, no duplicate, both hashes kept."""
    first = entry(workspace, 1)
    first_path = write_entry(workspace, first)
    second = entry(workspace, 2).model_copy(
        update={"number": 1, "printed": first.printed, "version": 2, "corrects": first_path.name, "reason": "แก้คำผิด"}
    )
    write_entry(workspace, RegisterEntry.model_validate(second.model_dump()))
    assert register_problems(workspace) == []
    stored, _ = load_register(workspace)
    assert {s.entry.sha256 for s in stored} == {first.sha256, second.sha256}
    assert [s.current for s in sorted(stored, key=lambda s: s.entry.version)] == [False, True]
    (row,) = register_listing(workspace, dt.date(2026, 11, 25)).rows
    assert (row.version, row.versions, row.corrected, row.document) == (2, 2, "แก้คำผิด", second.document)


def test_two_corrections_of_one_version_are_reported(workspace: Workspace) -> None:
    """Two clones corrected the same version: `sop check` names both and the command that keeps one."""
    first_path = write_entry(workspace, entry(workspace, 1))
    for other in (2, 3):
        fork = entry(workspace, other).model_copy(
            update={"number": 1, "printed": "ศธ ๐๒๘๘/1", "version": 2, "corrects": first_path.name, "reason": "แก้"}
        )
        write_entry(workspace, RegisterEntry.model_validate(fork.model_dump()))
    messages = [p.message for p in register_problems(workspace)]
    assert any("was corrected twice, in two clones" in m and "--entry FILE" in m for m in messages), messages


def test_a_version_needs_what_it_corrects_and_why() -> None:
    """Version 2 without `corrects` or `reason` does not validate."""
    with pytest.raises(ValueError, match="names the entry it corrects and the reason"):
        RegisterEntry.model_validate(
            {
                "schema_version": 1,
                "series": "out",
                "year": 2569,
                "number": 1,
                "printed": "ศธ ๐๒๘๘/1",
                "kind": "memo",
                "subject": "เรื่อง",
                "issued": "2026-11-25",
                "at": "2026-11-25T09:00:00+07:00",
                "by": "nanthana",
                "procedure": 3,
                "document": "documents/2569/x.docx",
                "sha256": "0" * 64,
                "size": 0,
                "version": 2,
            }
        )


def test_a_received_letter_cannot_be_dated_after_it_arrived(workspace: Workspace) -> None:
    """The incoming entry refuses a letter dated after the day it was received."""
    data = received(workspace, 1).model_dump()
    with pytest.raises(ValueError, match="cannot be dated after the day it was received"):
        ReceivedEntry.model_validate({**data, "their_date": dt.date(2026, 11, 30)})


def test_withdrawing_a_received_number(workspace: Workspace) -> None:
    """`รับ 1` is withdrawn like any number: it stays listed, marked."""
    write_entry(workspace, received(workspace, 1))
    printed = withdraw_number(workspace, ME, "รับ 1", "ลงรับซ้ำ", year=2569).number
    assert printed == "รับ 1"
    (row,) = register_listing(workspace, dt.date(2026, 11, 25), kind="incoming").received
    assert row.withdrawn == "ลงรับซ้ำ"
