"""Commands that record and show runs: start, advance, note, cancel, void, status, schedule, log."""

from enum import StrEnum
from typing import Annotated

import typer

from sop_cli.cli import common, values
from sop_cli.cli.common import (
    ByOption,
    ConfirmHoursOption,
    DateOption,
    DateReasonOption,
    EvidenceOption,
    FyOption,
    HoursOption,
    ListFormat,
    NumberArgument,
    RunOption,
    StepOption,
    app,
)
from sop_cli.i18n import N_
from sop_cli.models.values import Count, DeadlineRef
from sop_cli.rendering.terminal import base as console
from sop_cli.rendering.terminal import runs as run_views


@app.command("start")
def start_command(
    number: NumberArgument,
    fy: FyOption = None,
    label: Annotated[
        str | None,
        typer.Option("--label", callback=common.one_line, help=N_("Name of the run, when there are several.")),
    ] = None,
    date: DateOption = None,
    date_reason: DateReasonOption = None,
    by: ByOption = None,
) -> None:
    """Open a run of a procedure for a fiscal year and print its id."""
    from sop_cli.actions.runs import start_run

    change = start_run(
        common.workspace(),
        number,
        common.actor(by),
        fy=common.fy(fy),
        label=label,
        date=common.date(date),
        date_reason=date_reason,
    )
    run_views.render_change(change)


@app.command("advance")
def advance_command(
    number: NumberArgument,
    run: RunOption = None,
    step: Annotated[
        int | None, typer.Option("--step", min=1, help=N_("The step to complete (default: the current one)."))
    ] = None,
    note: Annotated[str | None, typer.Option("--note", callback=common.paragraphs, help=N_("What was done."))] = None,
    evidence: EvidenceOption = None,
    hours: HoursOption = None,
    approve: Annotated[bool, typer.Option("--approve", help=N_("Close a decision step as approved."))] = False,
    reject: Annotated[
        bool, typer.Option("--reject", help=N_("Close a decision step as rejected (needs --reason)."))
    ] = False,
    force: Annotated[bool, typer.Option("--force", help=N_("Complete a step out of order (needs --reason)."))] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", callback=common.paragraphs, help=N_("Why: for --reject and --force."))
    ] = None,
    date: DateOption = None,
    date_reason: DateReasonOption = None,
    confirm_hours: ConfirmHoursOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Complete the current step (or --step K) with notes, evidence and hours; close decisions."""
    from sop_cli.actions.runs import advance

    change = advance(
        common.workspace(),
        number,
        common.actor(by),
        fy=common.fy(fy),
        run=run,
        step=step,
        note=note,
        evidence=evidence or [],
        hours=hours,
        approve=approve,
        reject=reject,
        force=force,
        reason=reason,
        date=common.date(date),
        date_reason=date_reason,
        confirm_hours=confirm_hours,
    )
    run_views.render_change(change)


class NoteKindOption(StrEnum):
    """What a note records (`sop note --kind`); the same values as `models.records.NoteKind`."""

    # Not NoteKind itself: that module loads pydantic, which `sop status` (in this module) must not.
    plain = "plain"
    problem = "problem"
    obstacle = "obstacle"
    recommendation = "recommendation"


@app.command("note")
def note_command(
    number: NumberArgument,
    text: Annotated[str | None, typer.Argument(callback=common.paragraphs, help=N_("The note."))] = None,
    kind: Annotated[
        NoteKindOption,
        typer.Option(
            "--kind", help=N_("What the note records: a problem, an obstacle or a recommendation for the report.")
        ),
    ] = NoteKindOption.plain,
    step: StepOption = None,
    evidence: EvidenceOption = None,
    hours: HoursOption = None,
    met: Annotated[
        DeadlineRef | None,
        typer.Option(
            "--met",
            click_type=values.DEADLINE_REF,
            help=N_("A deadline met, by its ref in `sop due` (6.4, 7.1, 10)."),
        ),
    ] = None,
    count: Annotated[
        Count | None,
        typer.Option("--count", click_type=values.COUNT, help=N_("Responses returned of expected: 42/50.")),
    ] = None,
    ref: Annotated[
        DeadlineRef | None,
        typer.Option("--ref", click_type=values.DEADLINE_REF, help=N_("Which rule --count is for, when several.")),
    ] = None,
    run: RunOption = None,
    date: DateOption = None,
    date_reason: DateReasonOption = None,
    confirm_hours: ConfirmHoursOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Add a note, evidence, hours, a met deadline or a count of responses, without completing a step."""
    from sop_cli.actions.runs import add_note
    from sop_cli.models.records import NoteKind

    change = add_note(
        common.workspace(),
        number,
        common.actor(by),
        text,
        fy=common.fy(fy),
        run=run,
        step=step,
        kind=NoteKind(kind.value),
        evidence=evidence or [],
        hours=hours,
        met=met,
        count=count,
        ref=ref,
        date=common.date(date),
        date_reason=date_reason,
        confirm_hours=confirm_hours,
    )
    run_views.render_change(change)


@app.command("cancel")
def cancel_command(
    number: NumberArgument,
    reason: Annotated[str, typer.Option("--reason", callback=common.paragraphs, help=N_("Why the run is abandoned."))],
    run: RunOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Cancel a run, with the reason."""
    from sop_cli.actions.runs import cancel_run

    run_views.render_change(cancel_run(common.workspace(), number, common.actor(by), reason, fy=common.fy(fy), run=run))


@app.command("void")
def void_command(
    event_id: Annotated[str, typer.Argument(help=N_("Id of the event that does not count (see `sop log`)."))],
    reason: Annotated[str, typer.Option("--reason", callback=common.paragraphs, help=N_("Why it does not count."))],
    by: ByOption = None,
) -> None:
    """Record that an event does not count, after a merge brought a contradiction."""
    from sop_cli.actions.runs import void_event

    run_views.render_change(void_event(common.workspace(), event_id, common.actor(by), reason))


@app.command("status")
def status_command(
    number: Annotated[int | None, typer.Argument(help=N_("Show one procedure's run in detail."))] = None,
    run: RunOption = None,
    fy: FyOption = None,
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """Where each procedure stands this fiscal year; with N, the run's whole timeline."""
    year = common.fy(fy)
    if number is None:
        from sop_cli.actions.status import status_overview  # the table needs no model: keep it fast

        ws = common.workspace()
        rows = status_overview(ws, year, common.now().date())
        if format is ListFormat.json:
            console.print_json(console.as_json(rows))
        else:
            run_views.render_status(rows, year)
            if (ws.root / ".git").exists():  # shared through git: what is not sent yet, never an error
                from sop_cli.storage.git import describe_unsent, unsent_changes

                unsent = unsent_changes(ws)
                if unsent is not None:
                    console.out().print(describe_unsent(unsent), markup=False, soft_wrap=True, style="dim")
        return
    from sop_cli.actions.runs import run_timeline

    timeline = run_timeline(common.workspace(), number, year, run)
    if format is ListFormat.json:
        console.print_json(console.as_json(timeline))
    else:
        run_views.render_timeline(timeline)


@app.command("schedule")
def schedule_command(
    number: NumberArgument,
    event: Annotated[str, typer.Option("--event", help=N_("The event, such as inspection_visit."))],
    date: Annotated[str, typer.Option("--date", help=N_("Its date: 2570-02-15 or 2027-02-15."))],
    run: RunOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Set the date of a named event of a run, such as the inspection visit."""
    from sop_cli.actions.runs import schedule

    on = common.date(date)
    assert on is not None
    run_views.render_change(
        schedule(common.workspace(), number, common.actor(by), event, on, fy=common.fy(fy), run=run)
    )


@app.command("log")
def log_command(
    number: Annotated[int | None, typer.Argument(help=N_("Only this procedure."))] = None,
    fy: FyOption = None,
    since: Annotated[str | None, typer.Option("--since", help=N_("Only events on or after this date."))] = None,
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """The event history of a fiscal year, newest first, with event ids."""
    from sop_cli.actions.runs import event_log

    entries = event_log(common.workspace(), common.fy(fy), number, common.date(since))
    if format is ListFormat.json:
        console.print_json(console.as_json(entries))
    else:
        run_views.render_log(entries)
