"""Commands on the procedures themselves: list, show, check."""

from __future__ import annotations

from typing import Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import ListFormat, ShowFormat, app
from sop_cli.errors import ExitCode
from sop_cli.rendering.terminal import base as console
from sop_cli.rendering.terminal import procedures as procedure_views


@app.command("list")
def list_command(
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """List the procedures: number, title, work unit, steps and planned hours."""
    from sop_cli.actions.procedures import list_procedures

    items = list_procedures(common.workspace())
    if format is ListFormat.json:
        console.print_json(procedure_views.list_json(items))
    else:
        procedure_views.render_list(items)


@app.command("show")
def show_command(
    number: Annotated[int, typer.Argument(help="Procedure number, 1 to 14.")],
    format: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
) -> None:
    """Show one procedure with all ten parts of the manual's form."""
    from sop_cli.actions.procedures import show_procedure

    proc, catalog = show_procedure(common.workspace(), number)
    if format is ShowFormat.json:
        console.print_json(proc.model_dump(mode="json"))
    else:
        procedure_views.render_procedure(proc, catalog)


@app.command("questions")
def questions_command(
    all_: Annotated[bool, typer.Option("--all", help="Also list the questions already answered.")] = False,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """List the questions the office must answer about the manual, with the reading used meanwhile."""
    from sop_cli.actions.questions import list_questions

    items = list_questions(common.workspace(), include_answered=all_)
    if format is ListFormat.json:
        console.print_json(procedure_views.questions_json(items))
    else:
        procedure_views.render_questions(items)


@app.command("check")
def check_command(
    format: Annotated[ShowFormat, typer.Option("--format", help="text or json.")] = ShowFormat.text,
) -> None:
    """Validate every file of the workspace and report every problem as path:line:col."""
    from sop_cli.actions.check import check_workspace

    result = check_workspace(common.workspace())
    if format is ShowFormat.json:
        console.print_json(procedure_views.check_json(result))
    else:
        procedure_views.render_check(result)
    if not result.ok:
        raise typer.Exit(ExitCode.USER_ERROR)
