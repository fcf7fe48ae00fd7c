"""In Thai (the default), no English sentence reaches the person: tables, help pages, parser mistakes.

This covers the commands whose words live in the terminal renderers and the parser; the messages
of `sop_cli/actions/` (confirmations, most errors, the log's details) are translated by a later
pass, which adds their commands here.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from typer.main import get_command

from sop_cli.cli import app, load_commands
from tests.rendering.terminal.conftest import History, run_sop
from tests.rendering.terminal.english import english_sentences

TABLES = [
    ["status"],
    ["status", "2"],
    ["status", "1"],
    ["due"],
    ["list"],
    ["holidays", "list"],
    ["register"],
    ["check"],
    ["todo", "--person", "nanthana", "--all"],
    ["plan"],
    ["leave"],
    ["remind", "--person", "nanthana"],
]


def _commands() -> list[list[str]]:
    load_commands()  # every module: the commands register themselves when their module is imported
    group = get_command(app)
    found: list[list[str]] = [[]]
    for name, command in getattr(group, "commands", {}).items():
        found.append([name])
        found.extend([name, sub] for sub in getattr(command, "commands", {}))
    return found


@pytest.mark.parametrize("args", TABLES, ids=" ".join)
@pytest.mark.parametrize("width", [60, 120])
def test_tables_speak_thai(history: History, args: list[str], width: int) -> None:
    """The command succeeds and prints no English sentence."""
    drawn = run_sop(history.root, args, width)
    assert drawn.code == 0, drawn.err
    assert english_sentences(drawn.out + drawn.err) == []


@pytest.mark.parametrize("args", _commands(), ids=lambda a: " ".join(a) or "sop")
def test_every_help_page_speaks_thai(history: History, args: list[str]) -> None:
    """`sop … --help` (and `-h`) of every command and group is Thai from the first line to the last."""
    drawn = run_sop(history.root, [*args, "--help"], 80)
    assert drawn.code == 0
    assert drawn.out.startswith("วิธีใช้: sop")
    assert english_sentences(drawn.out) == []
    assert run_sop(history.root, [*args, "-h"], 80).out == drawn.out


MISTAKES = [
    ["show", "abc"],
    ["avance", "3"],
    ["advance", "2", "--hour", "2"],
    ["advance"],
    ["status", "--format", "xml"],
    ["note", "1", "a", "b", "c"],
    ["cancel", "1"],
    ["advance", "1", "--hours", "abc"],
    ["advance", "1", "--note"],
    ["--lang", "fr", "list"],
    ["list", "--format"],
    ["holidays", "frobnicate"],
    ["register", "--kind", "minutes"],
    ["holidays"],
]


@pytest.mark.parametrize("args", MISTAKES, ids=" ".join)
def test_parser_mistakes_speak_thai(history: History, args: list[str]) -> None:
    """A usage mistake exits 2 and is told in Thai, with the usage line and where help is."""
    drawn = run_sop(history.root, args, 80)
    assert drawn.code == 2
    assert english_sentences(drawn.out + drawn.err) == []
    if args != ["holidays"]:  # a group without its command shows its help instead
        assert drawn.err.startswith("ข้อผิดพลาด: ")
        assert "\nวิธีใช้: sop" in drawn.err


def test_log_speaks_thai(history: History) -> None:
    """`sop log` prints no English sentence."""
    drawn = run_sop(history.root, ["log"], 120)
    assert english_sentences(drawn.out) == []


def _speaks_thai(root: Path, steps: list[tuple[list[str], int]]) -> list[tuple[list[str], int, str]]:
    """Run each step in Thai in `root`; what went wrong (an exit code not expected, or English)."""
    wrong = []
    for args, code in steps:
        drawn = run_sop(root, args, 100)
        english = english_sentences(drawn.out + drawn.err)
        if drawn.code != code or english:
            wrong.append((args, drawn.code, drawn.err[-300:] if drawn.code != code else " | ".join(english)))
    return wrong


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_every_command_speaks_thai_with_success_and_mistakes(history: History, tmp_path: Path) -> None:
    """Work, people, documents and checks succeed and refuse common mistakes in Thai, without English."""
    root = tmp_path / "office"
    shutil.copytree(history.root, root)
    (tmp_path / "ข้อสั่งการ.pdf").write_bytes(b"%PDF-1.4 orders")
    letter = str(tmp_path / "ข้อสั่งการ.pdf")
    received = ["--from", "ผู้ตรวจราชการ", "--their-number", "ศธ 0206/ว 45", "--their-date", "2569-11-20"]
    steps: list[tuple[list[str], int]] = [
        (["assign", "3", "saowalak", "--note", "มอบงานระหว่างลา"], 0),
        (["assign", "3", "nobody"], 1),
        (["todo", "--person", "saowalak"], 0),
        (["todo", "--person", "nobody"], 1),
        (["plan"], 0),
        (["leave", "saowalak", "--from", "2569-12-01", "--to", "2569-12-05", "--substitute", "thidarat"], 0),
        (["leave", "saowalak", "--from", "2569-13-45", "--to", "2569-12-05"], 1),
        (["leave"], 0),
        (["remind", "--person", "saowalak"], 0),
        (["advance", "3", "--note", "แต่งตั้งกรรมการแล้ว", "--hours", "2"], 0),
        (["advance", "3", "--step", "9"], 1),
        (["advance", "4", "--run", "nosuch"], 1),
        (["advance", "3", "--date", "2599-01-01"], 1),
        (["advance", "3", "--date", "25-99"], 1),
        (["note", "3", "--evidence", "ไม่มีไฟล์นี้.pdf"], 2),  # a usage error of --evidence
        (["note", "3"], 1),
        (["start", "3"], 1),
        (["cancel", "3", "--reason", ""], 1),
        (["void", "nosuch", "--reason", "บันทึกผิด"], 1),
        (["receive", "3", letter, *received, "--subject", "ข้อสั่งการ"], 0),
        (["receive", "3", str(tmp_path / "ไม่มี.pdf"), *received, "--subject", "ข้อสั่งการ"], 1),
        (["memo", "3", "--step", "1"], 0),
        (["letter", "3", "--step", "8", "--to", "obec", "--to", "ovec", "--circular"], 0),
        (["letter", "3", "--step", "8", "--to", "nosuch"], 1),
        (["order", "3", "--step", "1"], 2),
        (["memo", "3", "--correct", "9", "--reason", "แก้"], 1),
        (["register"], 0),
        (["register", "--kind", "incoming"], 0),
        (["export", "--format", "csv", "--out", str(tmp_path / "ส่งออก.csv")], 0),
        (["dossier", "verify", str(tmp_path / "ไม่มีแฟ้ม")], 1),
        (["sync"], 1),
        (["repair"], 0),
        (["check"], 0),
    ]
    wrong = _speaks_thai(root, steps)
    assert wrong == [], "\n".join(map(repr, wrong))
    run_folder = next((root / "records" / "2570").glob("03-*"))
    (run_folder / "ไฟล์แปลก.txt").write_text("?", encoding="utf-8")
    assert _speaks_thai(root, [(["check"], 1), (["status"], 0)]) == []


def test_sharing_speaks_thai(history: History, tmp_path: Path) -> None:
    """init, server install-hook, join, sync (and its mistakes) in a real git repository speak Thai."""
    first, server, second = tmp_path / "office", tmp_path / "office.git", tmp_path / "สำเนา"
    shutil.copytree(history.root, first)
    _git("init", "--bare", "-b", "main", str(server), cwd=tmp_path)
    steps: list[tuple[list[str], int]] = [
        (["init", "--user", "nanthana"], 0),
        (["init", "--user", "nanthana"], 1),
        (["server", "install-hook", str(server)], 0),
        (["server", "install-hook", str(tmp_path / "ไม่มี.git")], 1),
        (["join", str(server), str(second), "--user", "nobody"], 1),
        (["sync", "--abort"], 0),
        (["sync", "--untrack"], 0),
    ]
    assert _speaks_thai(first, steps) == []
