"""Conventions of the codebase: import direction, pure modules, commands documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import PROJECT

PACKAGE = PROJECT / "sop_cli"

# Layers from the top (cli) to the bottom (models, calendar, errors); a module may import only
# from its own layer or lower ones.
LAYERS: list[tuple[str, ...]] = [
    ("sop_cli.cli", "sop_cli.__main__"),
    ("sop_cli.actions",),
    (
        "sop_cli.loading",
        "sop_cli.storage",
        "sop_cli.engine",
        "sop_cli.deadlines",
        "sop_cli.rendering",
        "sop_cli.loading.holidays_update",
    ),
    ("sop_cli.models", "sop_cli.thai_calendar", "sop_cli.working_days", "sop_cli.errors", "sop_cli.workspace"),
]
PURE = ("sop_cli.models", "sop_cli.thai_calendar", "sop_cli.working_days", "sop_cli.engine", "sop_cli.deadlines")
FORBIDDEN_IN_PURE = {"rich", "typer", "docx", "jinja2", "holidays", "openpyxl", "os", "shutil", "subprocess", "ruamel"}
HEAVY = {"docx", "jinja2", "holidays", "openpyxl", "icalendar", "matplotlib"}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PROJECT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _layer(module: str) -> int | None:
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


def _imports(path: Path, top_level_only: bool = False) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    names = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_dependencies_point_one_way() -> None:
    """cli → actions → {loading, storage, engine, rendering} → {models, calendar, errors}."""
    wrong = []
    for module, path in _modules().items():
        own = _layer(module)
        if own is None:
            continue
        for imported in _imports(path):
            other = _layer(imported)
            if other is not None and other < own:
                wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_pure_modules_do_no_io() -> None:
    """Models, the calendar and the engine import no I/O, UI or document library."""
    wrong = []
    for module, path in _modules().items():
        if module.startswith(PURE):
            for imported in _imports(path):
                if imported.split(".")[0] in FORBIDDEN_IN_PURE:
                    wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_heavy_libraries_are_imported_inside_functions() -> None:
    """python-docx, jinja2, holidays and openpyxl are never imported at module top level."""
    wrong = []
    for module, path in _modules().items():
        for imported in _imports(path, top_level_only=True):
            if imported.split(".")[0] in HEAVY:
                wrong.append(f"{module} imports {imported} at top level")
    assert wrong == []


def test_every_command_has_help_and_is_in_the_readme() -> None:
    """Each `sop` command has a help text and appears in the README's tour."""
    from typer.main import get_command

    from sop_cli.cli import app, load_commands

    load_commands()
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    group = get_command(app)
    commands = getattr(group, "commands", {})
    assert commands, "no commands found"
    for name, command in commands.items():
        assert command.help, f"sop {name} has no help text"
        assert re.search(rf"`sop {re.escape(name)}\b", readme), f"sop {name} is not in README.md"


def test_each_command_module_registers_exactly_the_commands_it_is_listed_with() -> None:
    """`COMMANDS` says which module registers which command: `main` imports only the one asked for."""
    import importlib

    from sop_cli.cli import COMMANDS, app

    for module, names in COMMANDS.items():
        before = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
        importlib.import_module(f"sop_cli.cli.{module}")
        after = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
        added = after - before
        # A module imported earlier in this test session has registered already: then nothing is new.
        assert added in (set(names), set()), f"{module} registers {sorted(added)}, COMMANDS lists {sorted(names)}"
    registered = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert registered == {name for names in COMMANDS.values() for name in names}
