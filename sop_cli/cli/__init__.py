"""The `sop` command line: each command parses its options, calls one action and renders the result.

Commands live in one module per subject (`COMMANDS`); importing a module registers its commands
on the app. `main` imports only the module of the command it is asked for, so that `sop status`
does not pay for building the other twenty commands, and is the one error boundary.
"""

from __future__ import annotations

import importlib
import sys
import traceback
from collections.abc import Sequence

from sop_cli.cli.common import app
from sop_cli.errors import ExitCode, SopError
from sop_cli.rendering.terminal import base as console

__all__ = ["COMMANDS", "app", "load_commands", "main"]

# The command modules, in the order `sop --help` lists them, and the commands each one registers.
COMMANDS: dict[str, tuple[str, ...]] = {
    "procedures": ("list", "show", "check", "repair"),
    "runs": ("start", "advance", "note", "cancel", "void", "status", "schedule", "log"),
    "deadlines": ("due", "calendar", "holidays"),
    "documents": ("memo", "letter", "order", "register"),
    "outputs": ("export", "report", "dossier"),
}
_GLOBAL_WITH_VALUE = ("--root",)


def _command_name(argv: Sequence[str]) -> str | None:
    """The subcommand named on the command line, skipping the global options before it."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def load_commands(argv: Sequence[str] = ()) -> None:
    """Register the commands `argv` asks for: one module, or every module for help and unknown names."""
    wanted = _command_name(argv)
    modules = [name for name, commands in COMMANDS.items() if wanted in commands] or list(COMMANDS)
    for name in modules:
        importlib.import_module(f"sop_cli.cli.{name}")
    if len(modules) > 1:
        order = [command for commands in COMMANDS.values() for command in commands]
        app.registered_commands.sort(key=lambda c: order.index(c.name) if c.name in order else len(order))
        app.registered_groups.sort(key=lambda g: order.index(g.name) if g.name in order else len(order))


def main(argv: list[str] | None = None) -> int:
    """Run `sop`: the one place that turns errors into messages and exit codes."""
    try:
        load_commands(sys.argv[1:] if argv is None else argv)
        app(args=argv, prog_name="sop")  # Typer ends usage errors and --help with SystemExit
        code = int(ExitCode.OK)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(ExitCode.USER_ERROR if exc.code else ExitCode.OK)
    except SopError as exc:
        console.print_error(str(exc))
        code = int(exc.exit_code)
    except KeyboardInterrupt:
        code = int(ExitCode.INTERRUPTED)
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, never a user's mistake
        traceback.print_exc()
        console.print_error("internal error in sop (a bug): please report the traceback above.")
        code = int(ExitCode.INTERNAL)
    if argv is None:
        sys.exit(code)
    return code
