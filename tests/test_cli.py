"""The real `sop` entry point: commands, formats, exit codes and messages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.actions import procedures as procedure_actions
from sop_cli.errors import ExitCode
from sop_cli.storage.cache import workspace_cache
from sop_cli.thai_calendar import thai_digits
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT, Result

Run = Callable[..., Result]


def test_list_shows_all_fourteen_procedures(workspace: Workspace, sop: Run) -> None:
    """`sop list` has a row per procedure and the totals of steps and hours."""
    result = sop("list", cwd=workspace.root)
    assert result.code == ExitCode.OK
    for number in range(1, 15):
        assert re.search(rf"^ *{number} ", result.out, re.MULTILINE), number
    assert "14 procedures in all" in result.out
    assert "117" in result.out and "36356" in result.out


def test_list_json_is_utf8_thai(workspace: Workspace, sop: Run) -> None:
    """`sop list --format json` gives numbers, titles, steps and hours, Thai not escaped."""
    result = sop("list", "--format", "json", cwd=workspace.root)
    data = json.loads(result.out)
    assert [item["number"] for item in data] == list(range(1, 15))
    assert data[1]["steps"] == 14 and data[1]["hours"] == 1188
    assert data[1]["work_unit"] == "กลุ่มงานสนับสนุนการตรวจราชการ"
    assert "\\u0e" not in result.out


def test_show_two_has_the_decision_loop(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """`sop show 2` lists fourteen steps in the manual's numbers; a rejection at ๘ revises ๗ and goes on at ๙."""
    monkeypatch.setenv("COLUMNS", "300")  # no line is wrapped: the phrases below are whole
    result = sop("show", "2", cwd=workspace.root)
    assert result.code == ExitCode.OK
    for step in range(1, 15):
        assert f"    {thai_digits(step)}. " in result.out
    assert "ไม่เห็นชอบ → ปรับปรุงที่ข้อ ๗ แล้วต่อที่ข้อ ๙ โดยไม่ต้องพิจารณาอีก" in result.out
    assert "เห็นชอบ → ต่อที่ข้อ ๙" in result.out
    assert "เสนอแนะ/สั่งการ → ปรับปรุงที่ข้อ ๑๒ แล้วต่อที่ข้อ ๑๔" in result.out
    assert "ดำเนินการต่อไปตามข้อ ๑๐" in result.out  # the printed text, kept
    headings = ("๑. วัตถุประสงค์", "๕. ขั้นตอนการปฏิบัติหรือระเบียบปฏิบัติราชการ", "๖. มาตรฐานงาน", "๑๐. เอกสารบันทึก")
    for heading in headings:
        assert heading in result.out
    # The inspection rounds and the timing statements are printed where the manual states them.
    assert "↻ ข้อ ๑๐–๑๔ ทำในการตรวจราชการทุกครั้ง (2 ครั้งต่อปี)" in result.out
    assert "ครั้งที่ 1 กุมภาพันธ์ · ครั้งที่ 2 สิงหาคม" in result.out
    assert "⏰ ข้อ ๒.๒: ในเดือนกุมภาพันธ์ และ สิงหาคม ทุกครั้งของการตรวจราชการ (ครบเมื่อข้อ ๑๑ เสร็จ)" in result.out
    assert "⏰ ข้อ ๑๐: ทุกไตรมาส" in result.out


def test_show_reads_like_the_manual(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sub-steps, lead-ins, notes, nested duties, conditional steps and ๑๒'s eleven parts, as printed."""
    monkeypatch.setenv("COLUMNS", "300")
    six = sop("show", "6", cwd=workspace.root).out
    assert "๑.๑ ส่งเสริม สนับสนุน" in six and "ดังนี้" in six.split("๑.๑ ส่งเสริม")[0]
    assert "        ๒.๕ ขึ้นเตรียมการ" in six and "        ๓.๗ รายงานผู้บังคับบัญชาตามลำดับ" in six
    assert "๓.๘ (--step 4) รายงานการนิเทศ" in six
    assert "  ๔.๓.๘ การรายงานการนิเทศ" in six and "  ๔.๒.๑ ทำหนังสือเชิญ" in six
    assert "เอกสารอ้างอิง : คู่มือการนิเทศรายบุคคล แผนการนิเทศ" in six and "๘.๖" not in six
    assert "รับทราบ → ต่อที่ข้อ ๓.๘ (--step 4)" in six and "(ในผังกระบวนการ)" in six
    assert "  - ประชุมติดตามการดำเนินงานเป็นระยะ (6.8)" in six and "ทุกเดือน" in six
    eight = sop("show", "8", cwd=workspace.root).out
    assert "◇ เฉพาะกรณีเสนอแนะที่ข้อ ๓ (--step 7) (เห็นชอบ: ข้ามข้อนี้)" in eight
    assert "  ๑. คำสั่งหรือประกาศแต่งตั้งคณะกรรมการ นิเทศ" in eight  # standards printed "๑." …
    twelve = sop("show", "12", cwd=workspace.root).out
    assert twelve.index("๑๐. ข้อกฎหมายที่เกี่ยวข้อง") < twelve.index("๑๑. เอกสารบันทึก")
    assert "  ๑๐.๑ ยุทธศาสตร์ชาติ ๒๐ ปี" in twelve and "๒. ขอบเขต\n" in twelve
    five = sop("show", "5", cwd=workspace.root).out
    assert "ลำดับที่ ๖ · ระยะเวลาดำเนินการ –" in five and " 0 ชั่วโมง" not in five
    assert "๘. เอกสารอ้างอิง ข้อกฎหมายที่เกี่ยวข้อง" in five
    one = sop("show", "1", cwd=workspace.root).out
    assert "    ๓.๕.๑ หน่วยงานในสังกัดกระทรวงศึกษาธิการ ได้แก่" in one
    assert "ไม่เป็นที่ยอมรับ → ปรับปรุงที่ข้อนี้ แล้วต่อที่ข้อ ๗" in one
    assert "วันประชุมประสานแผนการตรวจราชการ (วันที่ข้อ ๕ เสร็จ)" in one and "ให้ครบร้อยละ 100" in one
    thirteen = sop("show", "13", cwd=workspace.root).out
    assert "รอบ สิ้นปีการศึกษา: วันสิ้นปีการศึกษา ([calendar] academic_year_end ใน sop.toml)" in thirteen
    seven = sop("show", "7", cwd=workspace.root).out
    assert "๗. ระบบติดตามประเมินผล" in seven and "2 ครั้งต่อปีงบประมาณ ภายในสิ้นปีงบประมาณ" in seven


def test_questions_for_the_office(workspace: Workspace, sop: Run) -> None:
    """`sop questions` lists the open questions with the reading used; `--format json` gives the same."""
    result = sop("questions", cwd=workspace.root)
    assert result.code == ExitCode.OK
    assert "step_after_2_8" in result.out and "thidarat_spelling" in result.out
    assert "11 questions for the office are open" in result.out
    data = json.loads(sop("questions", "--format", "json", cwd=workspace.root).out)
    assert len(data) == 11 and all(q["open"] for q in data)
    step = next(q for q in data if q["id"] == "step_after_2_8")
    assert step["procedures"] == [2] and step["pages"].startswith("๙–๑๓") and step["alternatives"]
    assert "ข้อ ๙" in step["reading"]


def test_questions_keep_every_link_whole(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60, 80 and 100 columns every Google Drive link the questions quote is printed whole, on one line."""
    import re

    text = (workspace.sops / "questions.yaml").read_text(encoding="utf-8")
    links = set(re.findall(r"https://[^\s\"'),]+", text))
    assert links
    for width in (60, 80, 100):
        monkeypatch.setenv("COLUMNS", str(width))
        shown = sop("questions", "--all", cwd=workspace.root).out
        missing = [link for link in links if not any(link in line for line in shown.splitlines())]
        assert missing == [], (width, missing)


def test_an_answer_closes_a_question(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """An answer written in sops/questions.yaml closes its question: listed only with --all, not counted."""
    monkeypatch.setenv("COLUMNS", "400")
    path = workspace.sops / "questions.yaml"
    answer = "    answer: {text: ทำต่อที่ข้อ ๙, by: ผู้อำนวยการกลุ่มนิเทศ, date: 2027-01-15}\n"
    text = path.read_text(encoding="utf-8").replace(
        '    where: ["sops/02-inspection-information-and-plan.yaml: step 8, decision"]\n',
        '    where: ["sops/02-inspection-information-and-plan.yaml: step 8, decision"]\n' + answer,
    )
    path.write_text(text, encoding="utf-8")
    open_ones = json.loads(sop("questions", "--format", "json", cwd=workspace.root).out)
    assert len(open_ones) == 10 and "step_after_2_8" not in {q["id"] for q in open_ones}
    every = json.loads(sop("questions", "--all", "--format", "json", cwd=workspace.root).out)
    closed = next(q for q in every if q["id"] == "step_after_2_8")
    assert (closed["open"], closed["answer"], closed["answered_on"]) == (False, "ทำต่อที่ข้อ ๙", "2027-01-15")
    assert "answered by ผู้อำนวยการกลุ่มนิเทศ on 15 ม.ค. 2570" in sop("questions", "--all", cwd=workspace.root).out
    assert "10 questions for the office are open" in sop("check", cwd=workspace.root).out


def test_no_questions_file_means_none(workspace: Workspace, sop: Run) -> None:
    """A workspace without sops/questions.yaml has no question and a plain `sop check`."""
    (workspace.sops / "questions.yaml").unlink()
    assert "no open question for the office" in sop("questions", cwd=workspace.root).out
    result = sop("check", "--format", "json", cwd=workspace.root)
    assert json.loads(result.out)["open_questions"] == 0


def test_a_bad_questions_file_is_reported_in_place(workspace: Workspace, sop: Run) -> None:
    """A question naming an unknown procedure or a duplicate id is a problem with its line, exit 1."""
    path = workspace.sops / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "  - id: saowalak_in_procedure_1\n    procedures: [1]", "  - id: thidarat_spelling\n    procedures: [15]"
    )
    path.write_text(text, encoding="utf-8")
    result = sop("check", cwd=workspace.root)
    assert result.code == ExitCode.USER_ERROR
    assert re.search(
        r"sops/questions.yaml:\d+:\d+: questions\[1\]\.id: question id 'thidarat_spelling' is used twice", result.err
    )
    assert re.search(
        r"sops/questions.yaml:\d+:\d+: questions\[1\]\.procedures\[0\]: there is no procedure 15", result.err
    )


def test_show_json_is_the_validated_model(workspace: Workspace, sop: Run) -> None:
    """`sop show 2 --format json` is the model: steps, decision targets and Thai as written."""
    result = sop("show", "2", "--format", "json", cwd=workspace.root)
    data = json.loads(result.out)
    steps = [step for row in data["rows"] for step in row["steps"]]
    assert len(steps) == 14
    decision = steps[7]["decision"]
    assert (decision["kind"], decision["revise"], decision["approve_to"]) == ("revise", 7, None)
    assert "ไม่เห็นชอบ ดำเนินการปรับปรุงตามข้อ ๗" in decision["wording"]
    assert data["header"]["effective_date"] == "2024-10-01"


def test_show_renders_every_shipped_procedure(workspace: Workspace, sop: Run) -> None:
    """Every procedure renders without error, with its work standards and records."""
    for number in range(1, 15):
        result = sop("show", str(number), cwd=workspace.root)
        assert result.code == ExitCode.OK, number
        assert "๖. มาตรฐานงาน" in result.out


@pytest.mark.parametrize("width", [60, 80, 120])
def test_show_keeps_every_word_and_link(
    workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """At 60, 80 and 120 columns `sop show N` prints every step's text and every form's link whole:
    wrapped, never cut with "…" (a link on a line of its own)."""
    from sop_cli.loading.catalog import load_catalog

    monkeypatch.setenv("COLUMNS", str(width))
    catalog = load_catalog(workspace)
    for number, proc in catalog.procedures.items():
        shown = sop("show", str(number), cwd=workspace.root).out
        joined = re.sub(r"\s+", "", shown)
        for step in proc.steps:
            assert re.sub(r"\s+", "", step.text) in joined, (number, step.number)
        dumped = json.dumps(proc.model_dump(mode="json"), ensure_ascii=False)
        for link in set(re.findall(r"https?://[^\s\"]+", dumped)):
            assert any(line.strip().endswith(link) for line in shown.splitlines()), (number, link)
        assert shown.count("…") == dumped.count("…"), number


def test_show_unknown_procedure(workspace: Workspace, sop: Run) -> None:
    """An unknown procedure number is one sentence naming the valid ones, exit 1."""
    result = sop("show", "15", cwd=workspace.root)
    assert result.code == ExitCode.USER_ERROR
    assert "There is no procedure 15; the procedures are 1, 2, 3" in result.err
    assert result.err.count("\n") == 1


def test_check_passes_on_shipped_files(workspace: Workspace, sop: Run) -> None:
    """`sop check` on the shipped workspace is green, with a summary line and the open questions' count."""
    result = sop("check", cwd=workspace.root)
    assert result.code == ExitCode.OK
    assert result.out.strip().startswith("ok: 14 procedures, 14 staff")
    assert result.out.splitlines()[1] == "11 questions for the office are open: see `sop questions`"
    assert json.loads(sop("check", "--format", "json", cwd=workspace.root).out)["open_questions"] == 11


def test_outside_a_workspace(tmp_path: Path, sop: Run) -> None:
    """A command run outside any workspace says so in one sentence and exits 1."""
    result = sop("list", cwd=tmp_path)
    assert result.code == ExitCode.USER_ERROR
    assert "is not inside a sop workspace" in result.err
    assert result.err.count("\n") == 1


def test_workspace_found_from_a_subfolder(workspace: Workspace, sop: Run) -> None:
    """The workspace is the nearest folder above the current one that holds sops/."""
    deep = workspace.records / "2570" / "x"
    deep.mkdir(parents=True)
    assert sop("list", "--format", "json", cwd=deep).code == ExitCode.OK


def test_root_option_and_environment(
    workspace: Workspace, tmp_path: Path, sop: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--root and SOP_ROOT both select the workspace; a folder without sops/ is refused."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert sop("--root", str(workspace.root), "list", cwd=elsewhere).code == ExitCode.OK
    monkeypatch.setenv("SOP_ROOT", str(workspace.root))
    assert sop("list", cwd=elsewhere).code == ExitCode.OK
    bad = sop("--root", str(elsewhere), "list", cwd=elsewhere)
    assert bad.code == ExitCode.USER_ERROR
    assert "is not a sop workspace: it has no sops/ folder" in bad.err


def test_usage_errors_exit_two(workspace: Workspace, sop: Run) -> None:
    """A bad option or argument is a usage error, exit 2."""
    assert sop("show", "two", cwd=workspace.root).code == ExitCode.USAGE
    assert sop("list", "--format", "xml", cwd=workspace.root).code == ExitCode.USAGE
    assert sop("frobnicate", cwd=workspace.root).code == ExitCode.USAGE


def test_version_and_help(sop: Run) -> None:
    """--version prints the version; --help lists the commands."""
    assert sop("--version").out.startswith("sop ")
    result = sop("--help")
    assert result.code == ExitCode.OK
    for command in ("list", "show", "check", "questions"):
        assert command in result.out


def test_internal_error_exits_three(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug (an unexpected exception) prints a traceback and a plain sentence, exit 3."""

    def broken(ws: Workspace) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(procedure_actions, "list_procedures", broken)
    result = sop("list", cwd=workspace.root)
    assert result.code == ExitCode.INTERNAL
    assert "RuntimeError: boom" in result.err
    assert "internal error in sop" in result.err


def test_interrupt_exits_130(workspace: Workspace, sop: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C ends with exit 130 and no traceback."""

    def interrupted(ws: Workspace) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(procedure_actions, "list_procedures", interrupted)
    result = sop("list", cwd=workspace.root)
    assert result.code == ExitCode.INTERRUPTED
    assert "Traceback" not in result.err


def test_cache_never_shows_stale_procedures(workspace: Workspace, sop: Run) -> None:
    """An edited procedure file is seen at once, although the catalog is cached."""
    assert '"short_title": "ประสานและสนับสนุนการตรวจราชการ"' in sop("list", "--format", "json", cwd=workspace.root).out
    path = next(workspace.sops.glob("01-*.yaml"))
    text = path.read_text(encoding="utf-8").replace(
        "short_title: ประสานและสนับสนุนการตรวจราชการ", "short_title: ประสานงานตรวจราชการ"
    )
    path.write_text(text, encoding="utf-8")
    assert '"short_title": "ประสานงานตรวจราชการ"' in sop("list", "--format", "json", cwd=workspace.root).out


def test_damaged_cache_is_rebuilt(workspace: Workspace, sop: Run) -> None:
    """Damaged cache files are ignored and rebuilt, never shown as an error."""
    assert sop("list", cwd=workspace.root).code == ExitCode.OK
    assert sop("show", "2", cwd=workspace.root).code == ExitCode.OK
    caches = sorted(workspace_cache(workspace.root).glob("*.json"))
    assert [c.name for c in caches] == ["catalog.json", "summaries.json"]
    for cache in caches:
        cache.write_bytes(b"\x80\x04garbage")
    assert sop("list", cwd=workspace.root).code == ExitCode.OK
    assert sop("show", "2", cwd=workspace.root).code == ExitCode.OK
    for cache in caches:
        assert cache.read_bytes() != b"\x80\x04garbage"


class _Planted:
    """A pickle that, if ever unpickled, writes a file: the proof a cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (Path.write_text, (str(self.marker), "ran"))  # type: ignore[return-value]


def test_a_planted_pickle_or_odd_cache_never_runs_and_never_stops_sop(
    workspace: Workspace, sop: Run, tmp_path: Path
) -> None:
    """Pickles planted as every cache file (the user's cache and an old .sop-cache/ of the workspace),
    a cache file that is a folder, and a cache folder that is a file: sop reads none of them as
    code, says nothing, and rebuilds what it needs."""
    import pickle

    from sop_cli.storage.cache import cache_root

    marker = tmp_path / "code-ran.txt"
    planted = pickle.dumps(_Planted(marker))
    for command in (["list"], ["status"], ["show", "2"]):
        assert sop(*command, cwd=workspace.root).code == ExitCode.OK
    caches = sorted(cache_root().rglob("*.json"))
    assert caches
    for cache in caches:
        cache.write_bytes(planted)
    old = workspace.root / ".sop-cache"
    old.mkdir()
    for name in ("summaries.pickle", "2570-events.pickle", "status.pickle"):
        (old / name).write_bytes(planted)
    for command in (["list"], ["status"], ["show", "2"], ["check"]):
        done = sop(*command, cwd=workspace.root)
        assert done.code == ExitCode.OK, (command, done.err)
    assert not marker.exists()

    catalog = workspace_cache(workspace.root) / "catalog.json"
    catalog.unlink()
    catalog.mkdir()  # a folder where the cache file goes
    assert sop("list", cwd=workspace.root).code == ExitCode.OK
    shutil.rmtree(cache_root())
    cache_root().parent.mkdir(parents=True, exist_ok=True)
    cache_root().write_text("not a folder", encoding="utf-8")  # a file where the cache folder goes
    for command in (["list"], ["status"], ["show", "2"]):
        done = sop(*command, cwd=workspace.root)
        assert done.code == ExitCode.OK, (command, done.err)
        assert done.err == ""


def _sop_command() -> list[str]:
    found = shutil.which("sop", path=str(Path(sys.executable).parent)) or shutil.which("sop")
    return [found] if found else [sys.executable, "-m", "sop_cli"]


def test_installed_command_in_a_real_process(workspace: Workspace) -> None:
    """The installed `sop` runs as a process: exit codes and plain output when not a terminal."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "SOP_LANG": "en"}
    env.pop("SOP_ROOT", None)
    ok = subprocess.run([*_sop_command(), "list"], cwd=workspace.root, capture_output=True, text=True, env=env)
    assert ok.returncode == 0, ok.stderr
    assert "\x1b[" not in ok.stdout
    assert "กลุ่มงานสนับสนุนการตรวจราชการ" in ok.stdout
    show = subprocess.run([*_sop_command(), "show", "2"], cwd=workspace.root, capture_output=True, text=True, env=env)
    assert show.returncode == 0 and "ไม่เห็นชอบ → ปรับปรุงที่ข้อ ๗" in show.stdout
    bad = subprocess.run([*_sop_command(), "show", "99"], cwd=workspace.root, capture_output=True, text=True, env=env)
    assert bad.returncode == 1
    assert bad.stderr.startswith("error: There is no procedure 99")
    assert "Traceback" not in bad.stderr


def test_project_root_is_a_workspace() -> None:
    """The repository itself is a workspace: `sop` works from a fresh clone."""
    assert (PROJECT / "sops").is_dir() and (PROJECT / "records").is_dir()
