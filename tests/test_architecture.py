"""Conventions of the codebase: import direction, pure modules, commands documented."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import PROJECT

PACKAGE = PROJECT / "sop_cli"

# Layers from the top (cli) to the bottom (models, views, calendar, errors); a module may import only
# from its own layer or lower ones.
LAYERS: list[tuple[str, ...]] = [
    ("sop_cli.cli", "sop_cli.__main__"),
    ("sop_cli.actions",),
    # The services under the actions: the journal (the one door to the records), what a person's
    # work and the year's plan are, and what the monitoring report says.
    ("sop_cli.journal", "sop_cli.work", "sop_cli.report_content"),
    (
        "sop_cli.loading",
        "sop_cli.storage",
        "sop_cli.engine",
        "sop_cli.deadlines",
        "sop_cli.planning",
        "sop_cli.rendering",
    ),
    (
        "sop_cli.models",
        "sop_cli.views",
        "sop_cli.i18n",
        "sop_cli.thai_calendar",
        "sop_cli.working_days",
        "sop_cli.errors",
        "sop_cli.workspace",
    ),
]
# Inside the middle layer: `storage` (records, register, git) may read definitions through
# `loading`; `loading` (sops/, sop.toml, calendar/) never reads records, and `rendering` never opens
# records or definitions (it receives view-models). All of them may use the file primitives below.
MIDDLE_FORBIDDEN: dict[str, tuple[str, ...]] = {
    "sop_cli.loading": ("sop_cli.storage", "sop_cli.rendering"),
    "sop_cli.rendering": ("sop_cli.storage", "sop_cli.loading"),
    "sop_cli.storage": ("sop_cli.rendering",),
    "sop_cli.engine": ("sop_cli.loading", "sop_cli.storage", "sop_cli.rendering"),
    "sop_cli.deadlines": ("sop_cli.loading", "sop_cli.storage", "sop_cli.rendering"),
    "sop_cli.planning": ("sop_cli.loading", "sop_cli.storage", "sop_cli.rendering"),
}
# Atomic writes, safe reads of a regular file and the one cache: the floor every middle module stands on.
FILE_PRIMITIVES = ("sop_cli.storage.atomic", "sop_cli.storage.paths", "sop_cli.storage.cache")
# Actions decide; the storage modules touch the filesystem wholesale.
FORBIDDEN_IN_ACTIONS = {"os", "shutil", "zipfile", "tempfile"}
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
    modules = _modules()
    names = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from sop_cli.storage import cache` imports the module sop_cli.storage.cache.
            inner = [f"{node.module}.{a.name}" for a in node.names if f"{node.module}.{a.name}" in modules]
            names += inner or [node.module]
    return names


def _within(module: str, prefixes: tuple[str, ...] | set[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


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


def test_actions_never_import_each_other() -> None:
    """Each module of `sop_cli.actions` is a leaf: it calls the journal and the core, never another action."""
    wrong = []
    for module, path in _modules().items():
        if module.startswith("sop_cli.actions."):
            wrong += [f"{module} imports {i}" for i in _imports(path) if _within(i, ("sop_cli.actions",))]
    assert wrong == []


def test_actions_leave_the_filesystem_to_storage() -> None:
    """No action imports os, shutil, zipfile or tempfile: copies, zips and scratch folders live in storage/."""
    wrong = []
    for module, path in _modules().items():
        if _within(module, ("sop_cli.actions",)):
            wrong += [f"{module} imports {i}" for i in _imports(path) if i.split(".")[0] in FORBIDDEN_IN_ACTIONS]
    assert wrong == []


def test_the_middle_layer_follows_its_declared_order() -> None:
    """storage may import loading; loading never imports storage, rendering neither (file primitives aside)."""
    wrong = []
    for module, path in _modules().items():
        for owner, forbidden in MIDDLE_FORBIDDEN.items():
            if not _within(module, (owner,)):
                continue
            for imported in _imports(path):
                if _within(imported, forbidden) and not _within(imported, FILE_PRIMITIVES):
                    wrong.append(f"{module} imports {imported}")
    assert wrong == []


def test_every_module_has_a_layer() -> None:
    """A new module of the package is placed in LAYERS, so that the import rules see it."""
    unplaced = [m for m in _modules() if m != "sop_cli" and _layer(m) is None and not m.startswith("sop_cli.locale")]
    assert unplaced == []


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
        assert added in (set(names), set()), (
            f"{module} registers {sorted(str(a) for a in added)}, COMMANDS lists {sorted(names)}"
        )
    registered = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert registered == {name for names in COMMANDS.values() for name in names}
