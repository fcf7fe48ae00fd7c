"""The `sop` command line: parse options, call one action, render its result."""

from __future__ import annotations

import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sop_cli import __version__, actions
from sop_cli.errors import ExitCode, SopError
from sop_cli.rendering import console
from sop_cli.workspace import Workspace, find_workspace

app = typer.Typer(
    name="sop",
    help="Track the fourteen standard operating procedures of the supervision group (กลุ่มนิเทศ ติดตาม และประเมินผล).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class ListFormat(StrEnum):
    """Output formats of listing commands."""

    table = "table"
    json = "json"


class ShowFormat(StrEnum):
    """Output formats of `sop show` and `sop check`."""

    text = "text"
    json = "json"


_state: dict[str, str | None] = {"root": None}


def _workspace() -> Workspace:
    return find_workspace(Path.cwd(), _state["root"])


def _version(value: bool) -> None:
    if value:
        print(f"sop {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    root: Annotated[
        str | None,
        typer.Option("--root", help="Workspace folder (default: $SOP_ROOT, else the nearest folder above with sops/)."),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    _state["root"] = root


@app.command("list")
def list_command(
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """List the procedures: number, title, work unit, steps and planned hours."""
    items = actions.list_procedures(_workspace())
    if format is ListFormat.json:
        console.print_json(console.list_json(items))
    else:
        console.render_list(items)


@app.command("show")
def show_command(
    number: Annotated[int, typer.Argument(help="Procedure number, 1 to 14.")],
    format: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
) -> None:
    """Show one procedure with all ten parts of the manual's form."""
    proc, catalog = actions.show_procedure(_workspace(), number)
    if format is ShowFormat.json:
        console.print_json(proc.model_dump(mode="json"))
    else:
        console.render_procedure(proc, catalog)


@app.command("check")
def check_command(
    format: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
) -> None:
    """Validate every file of the workspace and report every problem as path:line:col."""
    result = actions.check_workspace(_workspace())
    if format is ShowFormat.json:
        console.print_json(console.check_json(result))
    else:
        console.render_check(result)
    if not result.ok:
        raise typer.Exit(ExitCode.USER_ERROR)


def main(argv: list[str] | None = None) -> int:
    """Run `sop`: the one place that turns errors into messages and exit codes."""
    try:
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
