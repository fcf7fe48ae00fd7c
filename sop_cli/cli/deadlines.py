"""Commands on deadlines and days off: due, calendar, holidays."""

from pathlib import Path
from typing import Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import FyOption, ListFormat, app
from sop_cli.i18n import N_, _
from sop_cli.rendering.terminal import base as console
from sop_cli.rendering.terminal import runs as run_views


@app.command("due")
def due_command(
    fy: FyOption = None,
    within: Annotated[int | None, typer.Option("--within", help=N_("Only those due within DAYS working days."))] = None,
    person: Annotated[str | None, typer.Option("--person", help=N_("Only those of this staff id."))] = None,
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """Every open deadline of every procedure, soonest first, in Thai working days."""
    from sop_cli.actions.deadlines import due

    year = common.fy(fy)
    deadlines = due(common.workspace(), year, common.now().date(), within, person)
    if format is ListFormat.json:
        console.print_json(console.as_json(deadlines))
    else:
        run_views.render_due(deadlines, year)


@app.command("calendar")
def calendar_command(
    out: Annotated[Path, typer.Option("--out", help=N_("The .ics file to write."))],
    fy: FyOption = None,
    person: Annotated[str | None, typer.Option("--person", help=N_("Only the deadlines of this staff id."))] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace the file if it exists."))] = False,
) -> None:
    """Write an iCalendar file of the deadlines and scheduled events, for Google Calendar."""
    from sop_cli.actions.deadlines import write_calendar

    count = write_calendar(common.workspace(), common.fy(fy), common.now().date(), out, common.now(), person, force)
    console.out().print(_("wrote {count} events to {out}").format(count=count, out=out))


holidays_app = typer.Typer(help=N_("The office's days off (calendar/holidays.yaml)."), no_args_is_help=True)
app.add_typer(holidays_app, name="holidays")


@holidays_app.command("update")
def holidays_update_command(
    years: Annotated[str, typer.Option("--years", help=N_("Buddhist Era years: 2568-2572."))] = "2568-2572",
) -> None:
    """Regenerate the days off from the holidays package, keeping the office's overrides."""
    from sop_cli.actions.deadlines import update_holidays

    path, count = update_holidays(common.workspace(), years)
    console.out().print(_("wrote {count} days off for {years} to {path}").format(count=count, years=years, path=path))


@holidays_app.command("list")
def holidays_list_command(fy: FyOption = None) -> None:
    """List the days off (after the overrides), of a fiscal year."""
    from sop_cli.actions.deadlines import list_holidays

    year = common.fy(fy)
    run_views.render_holidays(list_holidays(common.workspace(), year), year)
