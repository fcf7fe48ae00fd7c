"""In Thai (the default), no English sentence reaches the person: tables, help pages, parser mistakes.

This covers the commands whose words live in the terminal renderers and the parser; the messages
of `sop_cli/actions/` (confirmations, most errors, the log's details) are translated by a later
pass, which adds their commands here.
"""

from __future__ import annotations

import pytest
from typer.main import get_command

from sop_cli.cli import app
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
    group = get_command(app)
    found = [[]]
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
