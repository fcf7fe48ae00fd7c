"""In Thai, the commands an earlier pass left untested: sharing, void, calendar, questions, outputs, schedule.

Each test runs the real `sop` in-process in Thai and fails if an English sentence reaches the person
(`english.py` decides) or a command does not end as expected. The sharing tests use real git: a bare
repository in `tmp_path` as the office's server and two clones made by `sop join`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import pytest

from tests.conftest import PROJECT
from tests.rendering.terminal.conftest import Drawn, History, run_sop
from tests.rendering.terminal.english import english_sentences


def _run_env(
    root: Path, args: list[str], env: Mapping[str, str], width: int = 100, lang: str = "th", **more: str
) -> Drawn:
    """`run_sop` with more environment variables: `env` (git's identity) and `more` (the user)."""
    return run_sop(root, args, width, lang, **{**env, **more})


def _thai(drawn: Drawn, code: int = 0) -> Drawn:
    """`drawn`, after checking its exit code and that it printed no English sentence."""
    assert drawn.code == code, drawn.out + drawn.err
    assert english_sentences(drawn.out + drawn.err) == [], drawn.out + drawn.err
    return drawn


@pytest.fixture
def isolated_git(tmp_path: Path) -> dict[str, str]:
    """The environment of a new office computer: no global or system git settings, no git identity."""
    empty = tmp_path / "gitconfig-global"
    empty.write_text("", encoding="utf-8")
    return {"GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1"}


def _git(cwd: Path, *args: str) -> str:
    """Run git by the test's own hand, with an identity; return what it printed."""
    identity = {f"GIT_{who}_{what}": value for who in ("AUTHOR", "COMMITTER") for what, value in
                (("NAME", "test"), ("EMAIL", "test@example.invalid"))}  # fmt: skip
    done = subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, env={**os.environ, **identity}, check=False
    )
    return done.stdout + done.stderr


@pytest.fixture
def two_clones(tmp_path: Path, isolated_git: dict[str, str]) -> tuple[Path, Path, dict[str, str]]:
    """The office's server made by `sop init --server`, and two copies joined through `sop join` in Thai."""
    server = tmp_path / "เซิร์ฟเวอร์" / "office.git"
    first, a, b = tmp_path / "first", tmp_path / "นันทนา", tmp_path / "เสาวลักษณ์"
    init = ["init", str(first), "--from", str(PROJECT), "--user", "nanthana", "--server", str(server)]
    _thai(_run_env(tmp_path, init, isolated_git))
    for clone, user in ((a, "nanthana"), (b, "saowalak")):
        joined = _thai(_run_env(tmp_path, ["join", str(server), str(clone), "--user", user], isolated_git))
        assert (clone / ".git").is_dir() and (clone / "sops").is_dir()
        assert joined.out.strip(), "join says what it did"
    return a, b, isolated_git


def test_join_and_sync_send_and_receive_in_thai(two_clones: tuple[Path, Path, dict[str, str]]) -> None:
    """Two copies joined from a bare repository send and receive each other's work, told in Thai."""
    a, b, env = two_clones
    _thai(_run_env(a, ["start", "1"], env, SOP_USER="nanthana"))
    _thai(_run_env(b, ["start", "2"], env, SOP_USER="saowalak"))
    sent = _thai(_run_env(a, ["sync"], env, SOP_USER="nanthana"))
    both = _thai(_run_env(b, ["sync"], env, SOP_USER="saowalak"))
    received = _thai(_run_env(a, ["sync"], env, SOP_USER="nanthana"))
    in_step = _thai(_run_env(a, ["sync"], env, SOP_USER="nanthana"))
    assert sent.out.count("✓") >= 1 and both.out.count("✓") >= 2 and received.out.count("✓") >= 1
    assert len({sent.out, both.out, received.out, in_step.out}) == 4, "each sync says what it did"
    assert _git(a, "rev-parse", "HEAD") == _git(b, "rev-parse", "HEAD")
    assert {p.name[:2] for p in (a / "records").glob("*/*")} == {"01", "02"}


def test_a_write_during_an_unfinished_merge_is_refused_in_thai(two_clones: tuple[Path, Path, dict[str, str]]) -> None:
    """A `git pull` stopped in a conflict blocks writes and `sop sync`; `sop sync --abort` undoes it; all Thai."""
    a, b, env = two_clones
    for clone, text in ((a, "# ก\n"), (b, "# ข\n")):
        with (clone / "sop.toml").open("a", encoding="utf-8") as f:
            f.write(text)
        _git(clone, "commit", "-qam", "settings")
    _thai(_run_env(a, ["sync"], env, SOP_USER="nanthana"))
    before = _git(b, "rev-parse", "HEAD")
    _git(b, "pull", "--no-rebase", "-q")
    assert (b / ".git" / "MERGE_HEAD").exists()

    refused = _thai(_run_env(b, ["start", "3"], env, SOP_USER="saowalak"), code=1)
    assert refused.err.startswith("ข้อผิดพลาด: ") and "sop sync --abort" in refused.err
    _thai(_run_env(b, ["sync"], env, SOP_USER="saowalak"), code=1)
    assert not list((b / "records").glob("*/03-*"))

    aborted = _thai(_run_env(b, ["sync", "--abort"], env, SOP_USER="saowalak"))
    assert aborted.out.strip()
    assert not (b / ".git" / "MERGE_HEAD").exists() and _git(b, "rev-parse", "HEAD") == before
    _thai(_run_env(b, ["start", "3"], env, SOP_USER="saowalak"))


def _copy(history: History, tmp_path: Path) -> Path:
    root = tmp_path / "office"
    shutil.copytree(history.root, root)
    return root


def test_void_takes_back_an_event_in_thai(history: History, tmp_path: Path) -> None:
    """`sop void` of the last note says so in Thai, and the log then shows the note as not counted."""
    import json

    root = _copy(history, tmp_path)
    _thai(run_sop(root, ["note", "3", "บันทึกผิดเรื่อง"]))
    events = json.loads(run_sop(root, ["log", "3", "--format", "json"], lang="en").out)
    last = max(events, key=lambda e: str(e["at"]))["event"]
    voided = _thai(run_sop(root, ["void", last, "--reason", "บันทึกผิดเรื่อง"]))
    assert last in voided.out
    _thai(run_sop(root, ["void", last, "--reason", "ซ้ำ"]), code=1)
    _thai(run_sop(root, ["void", last, "--reason", ""]), code=1)
    assert "ไม่นับ" in _thai(run_sop(root, ["log", "3"], 120)).out


def test_calendar_in_thai(history: History, tmp_path: Path) -> None:
    """`sop calendar` writes the .ics and says so in Thai; an existing file without --force is refused in Thai."""
    root = _copy(history, tmp_path)
    out = tmp_path / "ปฏิทิน.ics"
    wrote = _thai(run_sop(root, ["calendar", "--out", str(out)]))
    assert out.is_file() and "ปฏิทิน.ics" in wrote.out
    _thai(run_sop(root, ["calendar", "--out", str(out)]), code=1)
    _thai(run_sop(root, ["calendar", "--out", str(out), "--person", "nobody"]), code=1)
    _thai(run_sop(root, ["calendar", "--out", str(out), "--force", "--person", "nanthana"]))


@pytest.mark.parametrize("args", [["questions"], ["questions", "--all"]], ids=" ".join)
@pytest.mark.parametrize("width", [60, 120])
def test_questions_in_thai(history: History, args: list[str], width: int) -> None:
    """`sop questions` lists the open (or all) questions with no English sentence."""
    drawn = _thai(run_sop(history.root, args, width))
    assert drawn.out.strip()


@pytest.mark.parametrize("years", ["2025-2029", "2572-2568", "2560-2580", "ปีหน้า", "2568-"])
def test_holidays_update_mistakes_in_thai(history: History, tmp_path: Path, years: str) -> None:
    """A range of years `sop holidays update` cannot use is refused in Thai, and the file is left as it was."""
    root = _copy(history, tmp_path)
    before = (root / "calendar" / "holidays.yaml").read_bytes()
    refused = _thai(run_sop(root, ["holidays", "update", "--years", years]), code=1)
    assert refused.err.startswith("ข้อผิดพลาด: ")
    assert (root / "calendar" / "holidays.yaml").read_bytes() == before


def test_outputs_say_what_they_wrote_in_thai(history: History, tmp_path: Path) -> None:
    """`sop report`, `sop export` (every format) and `sop dossier` (and its verify) succeed with Thai lines."""
    root = _copy(history, tmp_path)
    report = _thai(run_sop(root, ["report", "--out", str(tmp_path / "รายงาน.docx")]))
    assert (tmp_path / "รายงาน.docx").is_file() and "รายงาน.docx" in report.out
    _thai(run_sop(root, ["report", "--out", str(tmp_path / "รายงาน.docx")]), code=1)
    for form in ("csv", "xlsx", "json", "html"):
        folder = tmp_path / f"ส่งออก-{form}"
        folder.mkdir()
        exported = _thai(run_sop(root, ["export", "--format", form, "--out", str(folder)]))
        assert exported.out.strip() and any(folder.iterdir())
    dossier = tmp_path / "แฟ้ม"
    _thai(run_sop(root, ["dossier", "--out", str(dossier), "--zip"]))
    assert (dossier.parent / "แฟ้ม.zip").is_file()
    _thai(run_sop(root, ["dossier", "verify", str(dossier)]))
    with (dossier / "events.csv").open("a", encoding="utf-8") as altered:
        altered.write("แก้\n")
    altered_told = _thai(run_sop(root, ["dossier", "verify", str(dossier)]), code=1)
    assert "events.csv" in altered_told.out + altered_told.err


def test_schedule_with_a_thai_event_name(history: History, tmp_path: Path) -> None:
    """`sop schedule --event` takes the event's Thai name, says it in Thai, and records the event's id."""
    root = _copy(history, tmp_path)
    done = _thai(run_sop(root, ["schedule", "1", "--event", "วันประชุมประสานแผนการตรวจราชการ", "--date", "2570-01-20"]))
    assert "วันประชุมประสานแผนการตรวจราชการ" in done.out and "coordination_meeting" not in done.out
    recorded = [p.read_text(encoding="utf-8") for p in (root / "records").glob("2570/01-*/events/*.yaml")]
    assert sum('event: "coordination_meeting"' in text for text in recorded) == 1
    refused = _thai(run_sop(root, ["schedule", "1", "--event", "วันเลี้ยงส่ง", "--date", "2570-01-20"]), code=1)
    assert "วันลงพื้นที่ตรวจราชการ" in refused.err
    assert "วันประชุมประสานแผนการตรวจราชการ" in _thai(run_sop(root, ["schedule", "--help"], 100)).out


def test_check_names_a_contradiction_by_the_words_of_sop(two_clones: tuple[Path, Path, dict[str, str]]) -> None:
    """Two copies closing the same step: `sop check` names each event by its type's name and a Buddhist Era time."""
    a, b, env = two_clones
    _thai(_run_env(a, ["start", "1"], env, SOP_USER="nanthana"))
    _thai(_run_env(a, ["sync"], env, SOP_USER="nanthana"))
    _thai(_run_env(b, ["sync"], env, SOP_USER="saowalak"))
    _thai(_run_env(a, ["advance", "1"], env, SOP_USER="nanthana"))
    _thai(_run_env(b, ["advance", "1"], env, SOP_USER="saowalak", SOP_NOW="2026-11-25T14:30:00"))
    _thai(_run_env(a, ["sync"], env, SOP_USER="nanthana"))
    _run_env(b, ["sync"], env, SOP_USER="saowalak")  # brings the contradiction in; its check reports it

    thai = _thai(_run_env(b, ["check"], env, 200, SOP_USER="saowalak"), code=1)
    told = [line for line in thai.err.splitlines() if "ขั้นตอนเสร็จ โดย" in line]
    assert len(told) == 1, thai.err
    assert "25 พ.ย. 2569 09:00" in told[0] and "25 พ.ย. 2569 14:30" in told[0]
    assert "step_completed" not in thai.err and "2026-11-25" not in thai.err

    english = _run_env(b, ["check"], env, 200, lang="en", SOP_USER="saowalak")
    told = [line for line in english.err.splitlines() if "contradiction" in line]
    assert len(told) == 1 and told[0].count("(step done by ") == 2, english.err
    assert "25 พ.ย. 2569 14:30" in told[0] and "step_completed" not in told[0]


@pytest.mark.parametrize(
    ("args", "named"),
    [(["note", "1", "ab\x07c"], "ค่า TEXT "), (["receive", "1", "a\x07b.pdf", "--from", "สพป.ชร.1"], "ค่า FILE ")],
    ids=["note", "receive"],
)
def test_a_control_character_in_an_argument_is_told_in_thai(history: History, args: list[str], named: str) -> None:
    """A control character in a positional argument names the argument as its usage line does, in Thai."""
    refused = _thai(run_sop(history.root, args), code=1)
    assert refused.err.startswith("ข้อผิดพลาด: " + named)


def test_the_spreadsheet_says_what_a_deadline_waits_for_in_thai(history: History, tmp_path: Path) -> None:
    """The xlsx export's "waiting for" column names events and steps in Thai, never by an English id."""
    import re

    from openpyxl import load_workbook

    out = tmp_path / "ปี.xlsx"
    _thai(run_sop(history.root, ["export", "--format", "xlsx", "--out", str(out)]))
    sheets = load_workbook(out, read_only=True)
    waiting = []
    for sheet in sheets.worksheets:
        rows = list(sheet.iter_rows(values_only=True))
        if rows and "รอวันที่ของ" in rows[0]:
            column = rows[0].index("รอวันที่ของ")
            waiting += [str(row[column]) for row in rows[1:] if row[column]]
    assert "วันประชุมประสานแผนการตรวจราชการ" in waiting
    assert [w for w in waiting if re.search("[A-Za-z]", w)] == []
