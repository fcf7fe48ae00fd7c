"""Runs through the core API: start, advance with evidence, loops, notes, cancel, void, views."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.actions.check import check_workspace
from sop_cli.actions.runs import (
    Actor,
    add_note,
    advance,
    cancel_run,
    event_log,
    run_timeline,
    start_run,
    void_event,
)
from sop_cli.actions.status import status_overview
from sop_cli.engine import IllegalMove
from sop_cli.errors import ExitCode, SopError
from sop_cli.journal import Journal
from sop_cli.loading.catalog import load_catalog
from sop_cli.models.values import Evidence
from sop_cli.storage.records import fiscal_years, load_events
from sop_cli.workspace import Workspace
from tests.conftest import Result, files_under
from tests.values import ME, NOW

Run = Callable[..., Result]


def test_start_prints_a_short_id_and_the_first_step(workspace: Workspace) -> None:
    """`start` opens a run in the current fiscal year, in records/2570/02-<id>/events/."""
    change = start_run(workspace, 2, ME)
    assert change.fy == 2570 and change.next_step == 1
    assert len(change.run) == 6
    folder = workspace.records / "2570" / f"02-{change.run}" / "events"
    (event_file,) = folder.iterdir()
    text = event_file.read_text(encoding="utf-8")
    assert "schema_version: 1" in text and 'type: "started"' in text and 'by: "nanthana"' in text


def test_walk_through_procedure_two_with_a_rejection(workspace: Workspace, tmp_path: Path) -> None:
    """The issue's story: advance with notes and evidence, reject at 8, revise 7, continue at 9 (no second decision)."""
    minutes = tmp_path / "รายงานการประชุม.pdf"
    minutes.write_bytes(b"%PDF-1.4 minutes")
    run = start_run(workspace, 2, ME).run
    advance(workspace, 2, ME, note="ศึกษาแนวทางแล้ว", hours=6)
    advance(
        workspace,
        2,
        ME,
        step=2,
        evidence=[Evidence(source=minutes), Evidence(link="https://drive.google.com/drive/folders/abc")],
    )
    for step in range(3, 8):
        advance(workspace, 2, ME, step=step)
    change = advance(workspace, 2, ME, step=8, reject=True, reason="ปรับแผนตามข้อเสนอแนะ กศจ.")
    assert change.next_step == 7
    change = advance(workspace, 2, ME, step=7, note="ปรับแผนแล้ว")
    assert change.next_step == 9

    timeline = run_timeline(workspace, 2, 2570)
    assert timeline.run == run and timeline.round == 2
    states = {s.number: s.state for s in timeline.steps}
    assert [n for n, s in states.items() if s == "done"] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert states[9] == "current"
    step7, step8 = timeline.steps[6], timeline.steps[7]
    assert [(c.round, c.outcome) for c in step7.closures] == [(1, "done"), (2, "done")]
    assert [(c.round, c.outcome, c.reason) for c in step8.closures] == [(1, "rejected", "ปรับแผนตามข้อเสนอแนะ กศจ.")]
    evidence = [a.evidence for a in timeline.steps[1].attachments]
    assert evidence[0] is not None and evidence[0].startswith("รายงานการประชุม.pdf (16 bytes, sha256 ")
    assert evidence[1] == "https://drive.google.com/drive/folders/abc"
    assert timeline.hours == 6
    stored = next((workspace.records / "2570" / f"02-{run}" / "evidence").iterdir())
    assert stored.read_bytes() == b"%PDF-1.4 minutes" and stored.name.endswith("-รายงานการประชุม.pdf")

    (row,) = [r for r in status_overview(workspace, 2570, NOW.date()) if r.procedure == 2]
    assert (row.current_step, row.done, row.rejected_rounds, row.hours) == (9, 8, 1, 6)
    assert row.holders == ("นันทนา", "เสาวลักษณ์", "ธิดารัตน์", "เสาวภา")
    assert check_workspace(workspace).ok


def test_status_lists_all_fourteen_procedures(workspace: Workspace) -> None:
    """Every procedure has a row, also those not started."""
    start_run(workspace, 3, ME)
    rows = status_overview(workspace, 2570, NOW.date())
    assert [r.procedure for r in rows] == list(range(1, 15))
    assert [r.status for r in rows if r.procedure != 3] == ["not_started"] * 13
    assert rows[2].status == "open" and rows[2].current_step == 1


@pytest.mark.parametrize(
    ("setup", "kwargs", "message"),
    [
        ("finished", {}, "is finished: no step is left"),
        ("cancelled", {}, "was cancelled"),
        ("open", {"approve": True}, "step 1 is not a decision"),
        ("open", {"reject": True}, "--reject needs --reason TEXT"),
        ("open", {"reject": True, "reason": "  "}, "--reject needs --reason TEXT"),
        ("open", {"step": 5}, "step 5 is not the next step (the next is step 1)"),
        ("open", {"step": 5, "force": True}, "--force needs --reason TEXT"),
        ("open", {"step": 99, "force": True, "reason": "x"}, "has no step 99"),
        ("open", {"approve": True, "reject": True, "reason": "x"}, "choose --approve or --reject"),
        ("open", {"hours": -2}, "hours must be at least 0.01"),
        ("open", {"date": dt.date(2026, 12, 1)}, "is in the future"),
        ("none", {}, "has no run in fiscal year 2570; start one with `sop start 3`"),
    ],
)
def test_illegal_moves_write_nothing(workspace: Workspace, setup: str, kwargs: dict[str, object], message: str) -> None:
    """Each illegal move gets a clear message and leaves every file as it was."""
    if setup != "none":
        start_run(workspace, 3, ME)
        if setup == "finished":
            for step in range(1, 9):
                advance(workspace, 3, ME, step=step)
        if setup == "cancelled":
            cancel_run(workspace, 3, ME, "ย้ายไปปีหน้า")
    before = files_under(workspace.root)
    with pytest.raises(SopError, match=message.replace("(", r"\(").replace(")", r"\)").replace("?", r"\?")):
        advance(workspace, 3, ME, **kwargs)  # type: ignore[arg-type]
    assert files_under(workspace.root) == before


def test_second_run_needs_a_distinct_label(workspace: Workspace) -> None:
    """A second run of a procedure in one fiscal year needs its own label; then --run chooses."""
    first = start_run(workspace, 1, ME, label="ครั้งที่ 1").run
    with pytest.raises(SopError, match="already has a run labelled 'ครั้งที่ 1'"):
        start_run(workspace, 1, ME, label="ครั้งที่ 1")
    second = start_run(workspace, 1, ME, label="ครั้งที่ 2").run
    with pytest.raises(SopError, match=r"has 2 runs in fiscal year 2570 .*choose one with --run"):
        advance(workspace, 1, ME)
    assert advance(workspace, 1, ME, run="ครั้งที่ 2").run == second
    assert advance(workspace, 1, ME, run=first).run == first
    with pytest.raises(SopError, match="has no run 'ครั้งที่ 3'"):
        advance(workspace, 1, ME, run="ครั้งที่ 3")
    start_run(workspace, 2, ME)
    with pytest.raises(SopError, match="already has a run without a label"):
        start_run(workspace, 2, ME)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: str(d / "missing.pdf"), "does not exist"),
        (lambda d: str(d), "is a folder"),
        (lambda d: "ftp://example.org/x.pdf", "is not an http or https address"),
        (lambda d: "javascript:alert(1)", "is not an http or https address"),
        (lambda d: "https://", "is not an http or https address"),
    ],
)
def test_bad_evidence_writes_nothing(workspace: Workspace, tmp_path: Path, sop: Run, make, message: str) -> None:  # type: ignore[no-untyped-def]
    """Missing files, folders and links that are not http(s): a usage error of --evidence, nothing written."""
    start_run(workspace, 2, ME)
    before = files_under(workspace.root)
    result = sop(
        "advance", "2", "--evidence", "https://drive.google.com/ok", "--evidence", make(tmp_path), cwd=workspace.root
    )
    assert result.code == ExitCode.USAGE and message in " ".join(result.err.split())
    assert files_under(workspace.root) == before


def test_evidence_size_limit_is_configurable(workspace: Workspace, tmp_path: Path) -> None:
    """A file above the limit of sop.toml ([evidence] max_mb) is refused; a smaller one passes."""
    (workspace.root / "sop.toml").write_text("[evidence]\nmax_mb = 0.001\n", encoding="utf-8")
    big = tmp_path / "big.bin"
    big.write_bytes(b"x" * 2000)
    small = tmp_path / "small.bin"
    small.write_bytes(b"x" * 500)
    start_run(workspace, 2, ME)
    with pytest.raises(SopError, match=r"above the limit of 0\.001 MB"):
        add_note(workspace, 2, ME, None, evidence=[Evidence(source=big)])
    add_note(workspace, 2, ME, None, evidence=[Evidence(source=small)])


def test_evidence_names_stay_inside_the_run_folder(workspace: Workspace, tmp_path: Path) -> None:
    """Odd file names are stored under a safe name inside evidence/, never elsewhere."""
    odd = tmp_path / "..\\..\\evil:name?.txt"
    odd.write_text("x", encoding="utf-8")
    run = start_run(workspace, 2, ME).run
    add_note(workspace, 2, ME, None, evidence=[Evidence(source=odd)])
    (stored,) = (workspace.records / "2570" / f"02-{run}" / "evidence").iterdir()
    assert "\\" not in stored.name and ":" not in stored.name and "?" not in stored.name
    assert check_workspace(workspace).ok


def test_notes_and_hours_without_completing(workspace: Workspace) -> None:
    """`note` adds a note and hours to the run, the current step stays."""
    start_run(workspace, 2, ME)
    change = add_note(workspace, 2, ME, "โทรประสาน สพป. แล้ว", hours=1.5, step=1)
    assert change.next_step == 1
    timeline = run_timeline(workspace, 2, 2570)
    assert [a.note for a in timeline.steps[0].attachments if a.note] == ["โทรประสาน สพป. แล้ว"]
    assert timeline.hours == 1.5
    with pytest.raises(SopError, match="give a note text, --evidence, --hours, --met REF or --count N/M"):
        add_note(workspace, 2, ME, "  ")


def test_void_removes_an_event_from_the_replay(workspace: Workspace) -> None:
    """A voided step completion no longer counts; voiding twice or voiding a void is refused."""
    start_run(workspace, 2, ME)
    advance(workspace, 2, ME)
    (entry,) = [e for e in event_log(workspace, 2570) if e.type == "step_completed"]
    change = void_event(workspace, entry.event, ME, "บันทึกผิดงาน")
    assert change.next_step == 1
    (void,) = [e for e in event_log(workspace, 2570) if e.type == "voided"]
    with pytest.raises(SopError, match=f"is already void; to count it again, void the void {void.event}"):
        void_event(workspace, entry.event, ME, "อีกครั้ง")
    with pytest.raises(SopError, match="there is no event nosuchid"):
        void_event(workspace, "nosuchid", ME, "x")
    assert [e.voided for e in event_log(workspace, 2570) if e.type == "step_completed"] == [True]


def test_voiding_a_void_undoes_it_and_voiding_again_redoes_it(workspace: Workspace) -> None:
    """A void can be undone by voiding it; the event counts again, and a third void voids it again."""
    start_run(workspace, 2, ME)
    advance(workspace, 2, ME)
    (done,) = [e for e in event_log(workspace, 2570) if e.type == "step_completed"]
    first = void_event(workspace, done.event, ME, "บันทึกผิด")
    assert first.next_step == 1
    (void,) = [e for e in event_log(workspace, 2570) if e.type == "voided"]
    undone = void_event(workspace, void.event, ME, "บันทึกถูกแล้ว")
    assert undone.next_step == 2
    assert [e.voided for e in event_log(workspace, 2570) if e.type == "step_completed"] == [False]
    with pytest.raises(SopError, match="void is already undone"):
        void_event(workspace, void.event, ME, "อีกครั้ง")
    (undo,) = [e for e in event_log(workspace, 2570) if e.type == "voided" and e.event != void.event]
    again = void_event(workspace, undo.event, ME, "ผิดจริง")
    assert again.next_step == 1
    assert check_workspace(workspace).ok


def test_log_is_newest_first_and_filters(workspace: Workspace) -> None:
    """`log` lists events newest first, by procedure and since a date."""
    start_run(workspace, 2, ME)
    start_run(workspace, 3, Actor("saowalak", NOW + dt.timedelta(hours=1)))
    log = event_log(workspace, 2570)
    assert [e.procedure for e in log] == [3, 2]
    assert [e.procedure for e in event_log(workspace, 2570, number=2)] == [2]
    assert event_log(workspace, 2570, since=dt.date(2026, 11, 26)) == []


def test_actor_comes_from_option_environment_or_git(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """--by wins, then SOP_USER, then `git config sop.user`; unknown ids and nobody are refused."""

    def actor(by: str | None) -> str:
        return Journal(workspace, NOW, by).actor

    monkeypatch.delenv("SOP_USER", raising=False)
    subprocess.run(["git", "init", "-q", str(workspace.root)], check=True)
    with pytest.raises(
        SopError, match=re.escape("who is acting? pass --by ID, set SOP_USER=ID, or run `git config sop.user ID`")
    ):
        actor(None)
    subprocess.run(["git", "config", "sop.user", "kunjira"], cwd=workspace.root, check=True)
    assert actor(None) == "kunjira"
    monkeypatch.setenv("SOP_USER", "anurak")
    assert actor(None) == "anurak"
    assert actor("surapon") == "surapon"
    with pytest.raises(SopError, match="'somchai' is not in the staff roster"):
        actor("somchai")


def test_actor_may_be_written_as_a_name_or_in_capitals(workspace: Workspace) -> None:
    """Thai names, roster aliases and ids in any case all name the same person."""
    catalog = load_catalog(workspace)
    member = catalog.roster.staff[0]
    assert Journal(workspace, NOW, member.id.upper()).actor == member.id
    assert Journal(workspace, NOW, member.name).actor == member.id
    for alias in member.aliases:
        assert Journal(workspace, NOW, alias).actor == member.id


def test_fiscal_year_option_and_folders(workspace: Workspace) -> None:
    """`--fy` files the run under that year; years are listed from the records folder."""
    start_run(workspace, 2, ME, fy=2569, date=dt.date(2026, 9, 1))
    assert fiscal_years(workspace) == [2569]
    stored, problems = load_events(workspace, 2569)
    assert len(stored) == 1 and problems == []


def test_timeline_follows_the_files(workspace: Workspace) -> None:
    """A new event and a removed file are seen at once: runs are read from their files."""
    start_run(workspace, 2, ME)
    assert run_timeline(workspace, 2, 2570).steps[0].state == "current"
    advance(workspace, 2, ME)
    assert run_timeline(workspace, 2, 2570).steps[0].state == "done"
    done = [p for p in workspace.records.rglob("*.yaml") if "step_completed" in p.read_text(encoding="utf-8")]
    done[0].unlink()
    assert run_timeline(workspace, 2, 2570).steps[0].state == "current"


def test_illegal_move_type(workspace: Workspace) -> None:
    """Refusals from the state machine are IllegalMove, a SopError (exit 1 at the CLI)."""
    start_run(workspace, 2, ME)
    with pytest.raises(IllegalMove):
        advance(workspace, 2, ME, approve=True)
