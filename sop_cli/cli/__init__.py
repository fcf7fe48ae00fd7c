"""The `sop` command line: each command parses its options, calls one action and renders the result.

Commands live in one module per subject (`COMMANDS`); importing a module registers its commands
on the app. `main` imports only the module of the command it is asked for, so that `sop status`
does not pay for building the other twenty commands, and is the one error boundary.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from sop_cli import i18n
from sop_cli.cli import common, parsing
from sop_cli.cli.common import app
from sop_cli.errors import ExitCode, SopError
from sop_cli.i18n import _
from sop_cli.rendering.terminal import base as console
from sop_cli.rendering.terminal.help import render_usage_error

__all__ = ["COMMANDS", "app", "load_commands", "main"]

# sop uses no pydantic plugin, and a plugin some other package installed on the machine would run
# its code on every record sop reads; looking for plugins also scans every installed package's
# metadata (about 30 ms of a command that validates). Pydantic reads this when it builds the first
# model's validator, which is after this point.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"

# The command modules, in the order `sop --help` lists them, and the commands each one registers.
COMMANDS: dict[str, tuple[str, ...]] = {
    "procedures": ("list", "show", "questions", "check", "repair"),
    "runs": ("start", "advance", "note", "cancel", "void", "status", "schedule", "log"),
    "deadlines": ("due", "calendar", "holidays"),
    "people": ("assign", "todo", "plan", "leave", "remind"),
    "documents": ("memo", "letter", "order", "receive", "register"),
    "outputs": ("export", "report", "dossier"),
    "sharing": ("init", "join", "sync", "server"),
}
_GLOBAL_WITH_VALUE = ("--root", "--lang")


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


def _option_value(argv: list[str], name: str) -> str | None:
    """The last value of `--name VALUE` or `--name=VALUE` in `argv`, wherever it stands."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == name and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith(name + "="):
            found = arg.split("=", 1)[1]
    return found


def choose_language(argv: list[str]) -> str:
    """Set the language of this run: --lang, else $SOP_LANG, else `[ui] lang` of sop.toml, else Thai.

    It is read from the raw arguments before parsing, because the parser's own mistakes and the
    help page need it before any option callback runs. Help texts stay English message ids in
    the code and are translated when the command tree is built (`parsing.localise`): translating
    them at import time instead would freeze the first language in a process (the tests run `sop`
    in-process in both languages) and would need the language before `sop_cli.cli` is imported.
    Measured on this machine: building and translating the tree costs under 2 ms of the ~110 ms
    of `sop --help`; reading sop.toml for [ui] skips the TOML parser unless the file mentions `lang`.
    """
    from sop_cli.loading.language import find_root, workspace_language

    for candidate in (_option_value(argv, "--lang"), os.environ.get(i18n.LANG_ENV)):
        if candidate and i18n.normalise(candidate):
            i18n.set_language(candidate)
            return i18n.language()
    try:
        here: Path | None = Path.cwd()
    except OSError:  # the current folder was deleted: the command itself will say so
        here = None
    root = find_root(here, _option_value(argv, "--root") or os.environ.get("SOP_ROOT"))
    i18n.set_language(workspace_language(root) if root is not None else None)
    return i18n.language()


def main(argv: list[str] | None = None) -> int:
    """Run `sop`: the one place that turns errors into messages and exit codes."""
    args = sys.argv[1:] if argv is None else list(argv)
    command: parsing.Command | None = None
    try:
        choose_language(args)
        _remember_thai_words()
        common.reset()
        load_commands(args)
        command = _command_tree(_command_name(args))
        result = command.main(args=args, prog_name="sop", standalone_mode=False)
        code = result if isinstance(result, int) else int(ExitCode.OK)
    except parsing.UsageError as exc:
        code = int(ExitCode.USAGE)
        if not parsing.show_help_for(exc) and command is not None:
            path, failed = parsing.failed_command(exc, command, args)
            render_usage_error(parsing.usage_error(exc), parsing.usage_line(path, failed), path)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else int(ExitCode.USER_ERROR if exc.code else ExitCode.OK)
    except SopError as exc:
        console.print_error(str(exc))
        code = int(exc.exit_code)
    except KeyboardInterrupt:
        code = int(ExitCode.INTERRUPTED)
    except OSError as exc:  # a full disk, a read-only one, no permission: the person's situation
        code = _file_system_refusal(exc)
    except Exception:  # noqa: BLE001 - the last line of defence: a bug, never a user's mistake
        traceback.print_exc()
        console.print_error(_("internal error in sop (a bug): please report the traceback above."))
        code = int(ExitCode.INTERNAL)
    _save_thai_words()
    if argv is None:
        sys.exit(code)
    return code


_SEGMENTS = "thai-segments"
_MOST_SEGMENTS = 20_000  # beyond this many remembered runs, start again (a cache, not an archive)


def _segments_key() -> list[object]:
    from sop_cli.rendering.terminal.wrap import WORDS_FILE
    from sop_cli.storage import cache

    return [cache.file_stamp(WORDS_FILE)]


def _remember_thai_words() -> None:
    """Let the wrapping of Thai text reuse the word breaks found by earlier runs (see `wrap.Remembered`)."""
    from sop_cli.rendering.terminal import wrap
    from sop_cli.storage import cache

    wrap.remember(lambda: cache.read(cache.cache_root(), _SEGMENTS, _segments_key()) or {})


def _save_thai_words() -> None:
    """Keep the word breaks this run found for the next runs (skipped quietly when it cannot be)."""
    from sop_cli.rendering.terminal import wrap
    from sop_cli.storage import cache

    learned = wrap.learned()
    if learned is not None:
        kept = learned if len(learned) <= _MOST_SEGMENTS else {}
        cache.write(cache.cache_root(), _SEGMENTS, _segments_key(), kept)


def _command_tree(wanted: str | None = None) -> parsing.Command:
    """Typer's click command tree, built afresh, in the language of this run.

    For a known command only that command is built (a third of `sop status`'s own time was spent
    building the seven others of its module); `sop --help` and unknown names get every command.
    """
    from typer.main import get_command

    commands, groups = app.registered_commands, app.registered_groups
    if any(wanted in names for names in COMMANDS.values()):
        app.registered_commands = [c for c in commands if c.name == wanted]
        app.registered_groups = [g for g in groups if g.name == wanted]
    try:
        command = get_command(app)
    finally:
        app.registered_commands, app.registered_groups = commands, groups
    parsing.localise(command, common.set_root)
    return command


def _refusal_sentence(exc: OSError) -> str | None:
    """What to tell the person when the file system refuses (None: not such a refusal, a bug)."""
    path = exc.filename or _("a file of the workspace")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _("no space left on the disk while writing {path}; free some space and try again").format(path=path)
    if exc.errno == errno.EROFS:
        return _(
            "{path} is on a read-only disk; sop can only read there: copy the workspace to a writable disk"
        ).format(path=path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _("permission denied for {path}; ask for access to the folder, or work in your own copy").format(
            path=path
        )
    if exc.errno == errno.EISDIR:
        return _("{path} is a folder where sop needs a file: move it away or delete it").format(path=path)
    # mkdir(exist_ok=True) says "exists" when a file stands where the folder should be.
    in_the_way = exc.errno == errno.EEXIST and Path(path).is_file()
    if exc.errno == errno.ENOTDIR or in_the_way:
        return _("{path} is a file where sop needs a folder: move it away or delete it").format(path=path)
    if exc.errno == errno.ELOOP:
        return _("{path} is a symbolic link where sop needs its own file: delete the link").format(path=path)
    return None


def _file_system_refusal(exc: OSError) -> int:
    """Say in one sentence why the file system refused (exit 1); any other OSError is a bug (exit 3)."""
    sentence = _refusal_sentence(exc)
    if sentence is None:
        traceback.print_exc()
        console.print_error(_("internal error in sop (a bug): please report the traceback above."))
        return int(ExitCode.INTERNAL)
    console.print_error(sentence)
    return int(ExitCode.USER_ERROR)
