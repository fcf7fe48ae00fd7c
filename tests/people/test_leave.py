"""`sop leave`: one immutable file per leave, checked by `sop check`, and the lookup of who acts for whom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.errors import ExitCode
from sop_cli.storage.people import acting_for, leave_files, on_leave
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under
from tests.people.conftest import record

Run = Callable[..., Result]


def _record(sop: Run, office: Workspace, *args: str) -> Result:
    done = sop("leave", *args, cwd=office.root)
    assert done.code == ExitCode.OK, done.err
    return done


def test_a_leave_is_one_file_in_its_year_and_lists(office: Workspace, sop: Run) -> None:
    """The leave is written once under records/people/leave/<BE year>/ and `sop leave` lists it."""
    done = _record(
        sop, office, "saowalak", "--from", "2569-12-01", "--to", "2569-12-04", "--substitute", "thidarat",
        "--reason", "ลาพักผ่อน",
    )  # fmt: skip
    assert "เสาวลักษณ์ นันไชยบัว is on leave from 1 ธ.ค. 2569 to 4 ธ.ค. 2569" in done.out
    (path,) = leave_files(office)
    assert path.parent == office.records / "people" / "leave" / "2569"
    assert path.name.startswith("2026-12-01-saowalak-")
    text = path.read_text(encoding="utf-8")
    assert 'person: "saowalak"' in text and 'substitute: "thidarat"' in text and 'reason: "ลาพักผ่อน"' in text
    listed = sop("leave", cwd=office.root)
    assert "ลาพักผ่อน" in listed.out and "ธิดารัตน์ สิงห์แก้ว" in listed.out


def test_acting_for_names_whom_the_substitute_stands_in_for(office: Workspace, sop: Run) -> None:
    """During the leave, `acting_for(substitute, day)` gives the absent person and how to sign; not after."""
    _record(
        sop, office, "saowalak", "--from", "2569-12-01", "--to", "2569-12-04", "--substitute", "thidarat",
        "--acting", "รักษาราชการแทน",
    )  # fmt: skip
    (period,) = acting_for(office, "thidarat", dt.date(2026, 12, 4))
    assert (period.person, period.substitute, period.acting) == ("saowalak", "thidarat", "รักษาราชการแทน")
    assert acting_for(office, "thidarat", dt.date(2026, 12, 5)) == []
    assert acting_for(office, "saowalak", dt.date(2026, 12, 2)) == []
    away = on_leave(office, "saowalak", dt.date(2026, 12, 1))
    assert away is not None and away.id == period.id


def test_overlapping_leave_and_wrong_dates_are_refused(office: Workspace, sop: Run) -> None:
    """A second leave over the same days, a leave ending before it starts, or oneself as substitute: refused."""
    _record(sop, office, "saowalak", "--from", "2569-12-01", "--to", "2569-12-04")
    before = files_under(office.root)
    twice = sop("leave", "saowalak", "--from", "2569-12-04", "--to", "2569-12-08", cwd=office.root)
    assert twice.code == ExitCode.USER_ERROR and "is already on leave from 1 ธ.ค. 2569" in twice.err
    backwards = sop("leave", "thidarat", "--from", "2569-12-04", "--to", "2569-12-01", cwd=office.root)
    assert backwards.code == ExitCode.USER_ERROR and "ends (1 ธ.ค. 2569) before it starts" in backwards.err
    self_sub = sop("leave", "thidarat", "--from", "2569-12-04", "--to", "2569-12-05", "--substitute", "thidarat")
    assert self_sub.code == ExitCode.USER_ERROR and "cannot stand in for themselves" in self_sub.err
    assert files_under(office.root) == before


def test_cancelling_a_leave_adds_a_file_and_gives_the_work_back(office: Workspace, sop: Run) -> None:
    """--cancel writes a second file (the first stays) and the leave is no longer in force."""
    _record(sop, office, "saowalak", "--from", "2569-12-01", "--to", "2569-12-04", "--substitute", "thidarat")
    (period,) = acting_for(office, "thidarat", dt.date(2026, 12, 2))
    no_reason = sop("leave", "--cancel", period.id, cwd=office.root)
    assert no_reason.code == ExitCode.USER_ERROR
    _record(sop, office, "--cancel", period.id, "--reason", "เลื่อนการลา")
    assert len(leave_files(office)) == 2
    assert acting_for(office, "thidarat", dt.date(2026, 12, 2)) == []
    assert "no leave recorded" in sop("leave", cwd=office.root).out
    assert sop("check", cwd=office.root).code == ExitCode.OK


def test_check_places_every_problem_of_a_leave_file(office: Workspace, sop: Run) -> None:
    """A misspelt key, an impossible date, an unknown substitute and a stray file: each with path:line:col."""
    _record(sop, office, "saowalak", "--from", "2569-12-01", "--to", "2569-12-04", "--substitute", "thidarat")
    (path,) = leave_files(office)
    shown = path.relative_to(office.root).as_posix()
    path.write_text(path.read_text(encoding="utf-8").replace('"thidarat"', '"nobody"'), encoding="utf-8")
    (path.parent / "notes.txt").write_text("x", encoding="utf-8")
    checked = sop("check", cwd=office.root)
    assert checked.code == ExitCode.USER_ERROR
    assert f"{shown}:7:13: substitute: 'nobody' is not in the staff roster (sops/staff.yaml)" in checked.err
    assert "records/people/leave/2569/notes.txt:1:1: unexpected file among the leave files" in checked.err
    text = path.read_text(encoding="utf-8").replace('end: "2026-12-04"', 'end: "2026-11-31"')
    path.write_text(text.replace("reason", "raeson"), encoding="utf-8")
    (path.parent / "notes.txt").unlink()
    checked = sop("check", cwd=office.root)
    assert f"{shown}:6:6: end: not a valid date" in checked.err


def _signature_lines(path: Path) -> list[str]:
    """The last paragraphs of a memo read back with python-docx: the name and its position lines."""
    from docx import Document

    # Names are kept on one line with word joiners, breaks are marked with zero-width spaces: read them as typed.
    texts = [
        p.text.replace("\u2060", "").replace("\u200b", "").replace("\xa0", " ").strip()
        for p in Document(str(path)).paragraphs
    ]
    texts = [t for t in texts if t]
    return texts[-3:]


def test_a_substitute_signs_the_absent_holders_memo_as_acting(
    office: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The substitute's memo for the absent holder's step prints ปฏิบัติราชการแทน and the holder's
    position, and the register keeps both names; the holder's own memo after the leave does not."""
    record(sop, office, "start", "3")
    record(sop, office, "assign", "3", "saowalak", "--step", "1")
    _record(sop, office, "saowalak", "--from", "2569-12-01", "--to", "2569-12-04", "--substitute", "kasemsan")
    monkeypatch.setenv("SOP_NOW", "2026-12-02T09:00:00")
    record(sop, office, "memo", "3", "--step", "1", "--by", "kasemsan")
    (memo,) = office.root.glob("records/2570/03-*/**/memo-step01-*.docx")
    assert _signature_lines(memo) == ["(นายเกษมสรรค์ เขตบุญไสย)", "ศึกษานิเทศก์ ปฏิบัติราชการแทน", "ศึกษานิเทศก์"]
    (entry,) = (office.root / "register" / "2569").glob("out-0001-*.yaml")
    text = entry.read_text(encoding="utf-8")
    assert 'by: "kasemsan"' in text and 'stands_in_for: "saowalak"' in text

    monkeypatch.setenv("SOP_NOW", "2026-12-07T09:00:00")
    record(sop, office, "memo", "3", "--step", "1", "--by", "kasemsan")  # the leave is over
    (second,) = (office.root / "register" / "2569").glob("out-0002-*.yaml")
    assert "stands_in_for: null" in second.read_text(encoding="utf-8")
    newest = [p for p in office.root.glob("records/2570/03-*/**/memo-step01-*.docx") if p != memo]
    assert len(newest) == 1 and "ปฏิบัติราชการแทน" not in " ".join(_signature_lines(newest[0]))
