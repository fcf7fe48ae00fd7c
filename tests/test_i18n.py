"""The language: chosen by --lang, SOP_LANG, sop.toml or Thai; catalogues in step with the code."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli import i18n
from sop_cli.actions.check import check_workspace
from sop_cli.locale import catalogue
from sop_cli.workspace import Workspace
from tests.conftest import PROJECT, Result

Run = Callable[..., Result]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_catalogues_are_in_step_with_the_code() -> None:
    """sop.pot has every message of the code, sop.po every id of sop.pot, sop.mo is sop.po compiled.

    When this fails, run `python -m sop_cli.locale.catalogue` and translate what it lists.
    """
    assert catalogue.out_of_date() == []


def test_every_message_has_its_thai() -> None:
    """No Thai entry is empty or fuzzy: nothing falls back to English in Thai mode."""
    assert catalogue.untranslated("th") == []


def test_translations_keep_the_placeholders() -> None:
    """Each Thai message uses exactly the placeholders of its English id (else .format() fails)."""
    from babel.messages.pofile import read_po

    with catalogue.po_path("th").open("rb") as handle:
        po = read_po(handle, locale="th")
    wrong = []
    for message in po:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(str(ids[-1])))
        if any(set(PLACEHOLDER.findall(str(s))) != expected for s in strings):
            wrong.append(ids[0])
    assert wrong == []


def test_no_message_hides_inside_an_f_string() -> None:
    """`_()` never stands inside an f-string nor takes one: extraction would not see the message."""
    names = ("_", "ngettext", "N_")

    def translates(node: ast.AST, argument: type[ast.AST]) -> bool:
        return (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in names
            and bool(node.args)
            and isinstance(node.args[0], argument)
        )

    wrong = []
    for path in (PROJECT / "sop_cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            inside = (
                [n for n in ast.walk(node) if translates(n, ast.Constant)] if isinstance(node, ast.JoinedStr) else []
            )
            wrong += [f"{path.name}:{getattr(n, 'lineno', 0)}" for n in inside]
            if translates(node, ast.JoinedStr):
                wrong.append(f"{path.name}:{getattr(node, 'lineno', 0)}")
    assert wrong == []


def test_every_help_text_is_in_the_catalogue() -> None:
    """The help of every command and option, as Typer builds it, is a message id of sop.pot."""
    from babel.messages.pofile import read_po
    from typer.main import get_command

    from sop_cli.cli import app

    with catalogue.TEMPLATE.open("rb") as handle:
        ids = {m.id for m in read_po(handle) if isinstance(m.id, str)}
    missing = []
    stack = [get_command(app)]
    while stack:
        command = stack.pop()
        stack.extend(getattr(command, "commands", {}).values())
        texts = [command.help] + [getattr(p, "help", None) for p in command.params]
        missing += [t for t in texts if t and t not in ids]
    assert missing == []


def test_importing_the_commands_translates_nothing() -> None:
    """No `_()` runs at import time: the language is chosen after the imports, in cli.main."""
    code = "import sop_cli.cli, sop_cli.rendering.terminal.runs; from sop_cli import i18n; print(i18n.chosen())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_compiled_catalogue_ships_with_the_package() -> None:
    """pyproject's package data takes sop.mo, and gettext finds it beside the package's code."""
    data = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "locale/*/LC_MESSAGES/sop.mo" in data["tool"]["setuptools"]["package-data"]["sop_cli"]
    try:
        i18n.set_language("th")
        assert i18n._("Usage:") == "วิธีใช้:"
        i18n.set_language("en")
        assert i18n._("Usage:") == "Usage:"
    finally:
        i18n._state.update(language=None, translations=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("th", "th"), ("EN", "en"), ("en_US.UTF-8", "en"), ("th-TH", "th"), ("english", "en"), ("fr", None), ("", None)],
)
def test_language_names_are_read_leniently(text: str, expected: str | None) -> None:
    """th, en and locale-like spellings are understood; anything else is not a language sop speaks."""
    assert i18n.normalise(text) == expected


def _choose(args: list[str], monkeypatch: pytest.MonkeyPatch, cwd: Path, **env: str) -> str:
    from sop_cli.cli import choose_language

    for name in ("SOP_LANG", "SOP_ROOT", "LANG", "LC_ALL", "LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(cwd)
    return choose_language(args)


def test_thai_whatever_the_machine_says(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """An English machine locale does not change sop's language: Thai unless asked."""
    assert _choose(["status"], monkeypatch, workspace.root, LANG="en_US.UTF-8", LC_ALL="en_US.UTF-8") == "th"


def test_option_beats_environment_beats_settings(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang (before or after the command) wins over SOP_LANG, which wins over [ui] lang of sop.toml."""
    (workspace.root / "sop.toml").write_text('[ui]\nlang = "en"\n', encoding="utf-8")
    assert _choose(["status"], monkeypatch, workspace.root) == "en"
    assert _choose(["status"], monkeypatch, workspace.root, SOP_LANG="th") == "th"
    assert _choose(["status", "--lang", "en"], monkeypatch, workspace.root, SOP_LANG="th") == "en"
    assert _choose(["--lang=th", "status"], monkeypatch, workspace.root) == "th"
    deeper = workspace.records
    assert _choose(["status"], monkeypatch, deeper) == "en", "sop.toml is found from a folder inside the workspace"
    assert _choose(["--root", str(workspace.root), "status"], monkeypatch, PROJECT.parent) == "en"


def test_a_wrong_language_in_sop_toml_is_placed_by_check(workspace: Workspace) -> None:
    """`[ui] lang = "fr"` is reported by sop check at its line; sop itself falls back to Thai."""
    (workspace.root / "sop.toml").write_text('[ui]\nlang = "fr"\n', encoding="utf-8")
    problems = [str(p) for p in check_workspace(workspace).problems]
    assert len(problems) == 1 and problems[0].startswith("sop.toml:2:1: ui.lang: ")


def test_the_shipped_settings_say_thai() -> None:
    """The shipped sop.toml sets [ui] lang = "th"."""
    assert tomllib.loads((PROJECT / "sop.toml").read_text(encoding="utf-8"))["ui"]["lang"] == "th"


def test_options_after_the_command(workspace: Workspace, tmp_path: Path, sop: Run) -> None:
    """--root, --lang and -h work after the command's name too (F12)."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    listed = sop("list", "--root", str(workspace.root), "--lang", "th", cwd=elsewhere)
    assert listed.code == 0 and "รวม 14 งาน" in listed.out
    assert sop("status", "-h").out.startswith("Usage: sop status [OPTIONS] [NUMBER]")
    assert sop("-h").out == sop("--help").out


def test_usage_errors_in_english_on_request(workspace: Workspace, sop: Run) -> None:
    """With --lang en the parser's mistakes are English sentences built from the same fields."""
    result = sop("advance", "2", "--hour", "2", cwd=workspace.root)
    assert result.code == 2
    assert result.err.splitlines() == [
        "error: there is no option --hour (did you mean --force, --hours?)",
        "Usage: sop advance [OPTIONS] NUMBER",
        "For help: sop advance --help",
    ]
    missing = sop("cancel", "1", cwd=workspace.root)
    assert missing.err.startswith("error: option --reason is missing: Why the run is abandoned\n")
