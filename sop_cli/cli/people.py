"""Commands about people: assign, todo, plan, leave, remind."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import ByOption, FyOption, ListFormat, NumberArgument, RunOption, app
from sop_cli.i18n import N_, _
from sop_cli.rendering.terminal import base as console
from sop_cli.rendering.terminal import runs as run_views

PersonOption = Annotated[
    str | None,
    typer.Option("--person", help=N_("Staff id, name or alias (default: the person using sop).")),
]


@app.command("assign")
def assign_command(
    number: NumberArgument,
    persons: Annotated[list[str], typer.Argument(help=N_("Who holds the work now: staff ids, names or aliases."))],
    step: Annotated[
        int | None, typer.Option("--step", min=1, help=N_("Only this step (default: the whole run)."))
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", callback=common.paragraphs, help=N_("Why the work changes hands."))
    ] = None,
    run: RunOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Hand a run, or one of its steps, to the people who will do it (recorded as an event)."""
    from sop_cli.actions.people import assign

    change = assign(
        common.workspace(), number, common.actor(by), persons, step=step, note=note, fy=common.fy(fy), run=run
    )
    run_views.render_change(change)


@app.command("leave")
def leave_command(
    person: Annotated[str | None, typer.Argument(help=N_("Who is away: staff id, name or alias."))] = None,
    start: Annotated[str | None, typer.Option("--from", help=N_("First day of the leave: 2569-12-01."))] = None,
    end: Annotated[str | None, typer.Option("--to", help=N_("Last day of the leave (included)."))] = None,
    substitute: Annotated[
        str | None, typer.Option("--substitute", help=N_("Who stands in: sees the work in sop todo and reminders."))
    ] = None,
    acting: Annotated[
        str | None,
        typer.Option("--acting", help=N_("How the substitute signs: ปฏิบัติราชการแทน or รักษาราชการแทน.")),
    ] = None,
    reason: Annotated[str | None, typer.Option("--reason", callback=common.paragraphs, help=N_("Why."))] = None,
    cancel: Annotated[
        str | None, typer.Option("--cancel", help=N_("Cancel the leave with this id (needs --reason)."))
    ] = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Record a leave and its substitute; with no person, list the leaves of the fiscal year."""
    from sop_cli.actions import people
    from sop_cli.rendering.terminal import people as people_views

    ws = common.workspace()
    if cancel is not None:
        people_views.render_leave_change(people.cancel_leave(ws, common.actor(by), cancel, reason or ""))
    elif person is None:
        year = common.fy(fy)
        people_views.render_leave_list(*people.list_leave(ws, year), year)
    else:
        first, last = common.date(start), common.date(end)
        if first is None or last is None:
            raise typer.BadParameter(_("give both --from and --to"), param_hint="--from/--to")
        change = people.record_leave(
            ws, common.actor(by), person, first, last, substitute=substitute, acting=acting, reason=reason
        )
        people_views.render_leave_change(change)


@app.command("todo")
def todo_command(
    person: PersonOption = None,
    within: Annotated[
        int,
        typer.Option("--within", help=N_("Deadlines due within DAYS working days (default 10).")),
    ] = 10,
    everything: Annotated[
        bool, typer.Option("--all", help=N_("Every open deadline, also later ones and those waiting for a date."))
    ] = False,
    fy: FyOption = None,
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """One person's work: what they hold, decisions waiting, deadlines due or overdue, most urgent first."""
    from sop_cli.actions.todo import todo
    from sop_cli.rendering.terminal import people as people_views

    work = todo(common.workspace(), common.fy(fy), common.now().date(), person, None if everything else within)
    if format is ListFormat.json:
        console.print_json(console.as_json(work))
    else:
        people_views.render_todo(work)


class PlanFormat(StrEnum):
    """Outputs of `sop plan`."""

    table = "table"
    json = "json"
    xlsx = "xlsx"
    html = "html"


def _format_of(out: Path | None) -> PlanFormat:
    """The format a --out file names by its suffix (a folder or nothing: the terminal summary)."""
    suffix = out.suffix.lower() if out is not None else ""
    return {".xlsx": PlanFormat.xlsx, ".html": PlanFormat.html, ".htm": PlanFormat.html}.get(suffix, PlanFormat.table)


@app.command("plan")
def plan_command(
    fy: FyOption = None,
    format: Annotated[
        PlanFormat | None,
        typer.Option("--format", help=N_("table (a summary), json, xlsx or html (default: from --out, else table).")),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help=N_("The .xlsx or .html to write, or an existing folder (default: exports/FY/).")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace the file if it exists."))] = False,
) -> None:
    """The year's work on the calendar, each person's load against capacity, and what to look at."""
    from sop_cli.actions.plan import write_plan, year_plan
    from sop_cli.rendering.terminal import people as people_views

    ws, year, today = common.workspace(), common.fy(fy), common.now().date()
    chosen = format or _format_of(out)
    if chosen in (PlanFormat.xlsx, PlanFormat.html):
        path, _plan = write_plan(ws, year, today, chosen.value, out, force)
        console.out().print(_("wrote {path}").format(path=ws.relative(path)), markup=False, soft_wrap=True)
    elif chosen is PlanFormat.json:
        console.print_json(console.as_json(year_plan(ws, year, today)))
    else:
        people_views.render_plan(year_plan(ws, year, today))


@app.command("remind")
def remind_command(
    send: Annotated[
        bool, typer.Option("--send", help=N_("Send the digests by e-mail ([mail] of sop.toml), or write .eml files."))
    ] = False,
    person: Annotated[
        str | None, typer.Option("--person", help=N_("Only this person (default: everyone with something due)."))
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help=N_("Folder for the .eml files when no mail server is set."))
    ] = None,
    fy: FyOption = None,
) -> None:
    """Each person's Thai digest of the day: overdue, due soon, decisions waiting, what changed."""
    from sop_cli.actions.remind import remind
    from sop_cli.rendering.terminal import people as people_views

    reminders = remind(common.workspace(), common.now(), common.fy(fy), person, deliver=send, out=out)
    people_views.render_reminders(reminders)
