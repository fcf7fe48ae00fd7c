"""Commands on the procedures themselves: list, show, questions, check, repair."""

from typing import Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import ListFormat, ShowFormat, app
from sop_cli.errors import ExitCode
from sop_cli.i18n import N_, _
from sop_cli.rendering.terminal import base as console


@app.command("list")
def list_command(
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """List the procedures: number, title, work unit, steps and planned hours."""
    from sop_cli.actions.procedures import list_procedures
    from sop_cli.rendering.terminal import procedures as procedure_views

    items = list_procedures(common.workspace())
    if format is ListFormat.json:
        console.print_json(procedure_views.list_json(items))
    else:
        procedure_views.render_list(items)


@app.command("show")
def show_command(
    number: Annotated[int, typer.Argument(help=N_("Procedure number, 1 to 14."))],
    format: Annotated[ShowFormat, typer.Option("--format", help=N_("text or json."))] = ShowFormat.text,
) -> None:
    """Show one procedure with all ten parts of the manual's form."""
    from sop_cli.actions.procedures import show_procedure
    from sop_cli.rendering.terminal import procedures as procedure_views

    proc, catalog = show_procedure(common.workspace(), number)
    if format is ShowFormat.json:
        console.print_json(proc.model_dump(mode="json"))
    else:
        procedure_views.render_procedure(proc, catalog)


@app.command("questions")
def questions_command(
    all_: Annotated[bool, typer.Option("--all", help=N_("Also list the questions already answered."))] = False,
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """List the questions the office must answer about the manual, with the reading used meanwhile."""
    from sop_cli.actions.questions import list_questions
    from sop_cli.rendering.terminal import procedures as procedure_views

    items = list_questions(common.workspace(), include_answered=all_)
    if format is ListFormat.json:
        console.print_json(procedure_views.questions_json(items))
    else:
        procedure_views.render_questions(items)


@app.command("check")
def check_command(
    format: Annotated[ShowFormat, typer.Option("--format", help=N_("text or json."))] = ShowFormat.text,
) -> None:
    """Validate every file of the workspace and report every problem as path:line:col."""
    from sop_cli.actions.check import check_workspace
    from sop_cli.rendering.terminal import procedures as procedure_views

    result = check_workspace(common.workspace())
    if format is ShowFormat.json:
        console.print_json(procedure_views.check_json(result))
    else:
        procedure_views.render_check(result)
    if not result.ok:
        raise typer.Exit(ExitCode.USER_ERROR)


@app.command("repair")
def repair_command(
    accept: Annotated[
        list[str] | None,
        typer.Option("--accept", help=N_("Without git: take this event file as it is now (repeat for more).")),
    ] = None,
) -> None:
    """Put back event files that were changed or deleted after they were recorded (from git)."""
    from sop_cli.actions.check import repair_workspace

    done = repair_workspace(common.workspace(), accept or [])
    for line in done:
        console.out().print(line, markup=False, soft_wrap=True)
    if not done:
        console.out().print(_("nothing to repair: every event file is as it was recorded"), soft_wrap=True)
