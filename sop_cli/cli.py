"""The `sop` command line: parse options, call one action, render its result."""

from __future__ import annotations

import datetime as dt
import os
import sys
import traceback
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from sop_cli import __version__, actions
from sop_cli.errors import ExitCode, SopError
from sop_cli.rendering import console, run_views
from sop_cli.thai_calendar import fiscal_year, parse_date
from sop_cli.workspace import Workspace, find_workspace

# Thailand keeps UTC+7 all year (no daylight saving): a fixed offset needs no tz database.
BANGKOK = dt.timezone(dt.timedelta(hours=7), "Asia/Bangkok")
NOW_ENV = "SOP_NOW"

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


def _now() -> dt.datetime:
    """The clock, in Asia/Bangkok; $SOP_NOW (ISO date-time) fixes it for tests and demonstrations."""
    fixed = os.environ.get(NOW_ENV)
    if not fixed:
        return dt.datetime.now(BANGKOK)
    try:
        moment = dt.datetime.fromisoformat(fixed)
    except ValueError:
        raise SopError(f"{NOW_ENV}={fixed!r} is not an ISO date-time such as 2026-11-25T09:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise SopError(str(exc)) from None


def _fy(fy: int | None) -> int:
    if fy is None:
        return fiscal_year(_now().date())
    if not 2500 <= fy <= 2700:
        raise SopError(f"fiscal year {fy} cannot be meant: write the Buddhist Era year, such as 2570")
    return fy


def _actor(by: str | None) -> actions.Actor:
    return actions.Actor(by=by, now=_now())


FyOption = Annotated[
    int | None, typer.Option("--fy", help="Fiscal year in the Buddhist Era (default: the current one).")
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="When it happened: 2569-11-25 or 2026-11-25 (default: today).")
]
ByOption = Annotated[
    str | None, typer.Option("--by", help="Staff id of who acts (default: $SOP_USER, then git config sop.user).")
]
RunOption = Annotated[str | None, typer.Option("--run", help="Run id or label, when a procedure has several.")]
EvidenceOption = Annotated[
    list[str] | None, typer.Option("--evidence", help="A file to copy, or an http(s) link; repeat for more.")
]
HoursOption = Annotated[float | None, typer.Option("--hours", help="Working hours spent.")]
NumberArgument = Annotated[int, typer.Argument(help="Procedure number, 1 to 14.")]


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
    from sop_cli.actions.check import check_workspace

    result = check_workspace(_workspace())
    if format is ShowFormat.json:
        console.print_json(console.check_json(result))
    else:
        console.render_check(result)
    if not result.ok:
        raise typer.Exit(ExitCode.USER_ERROR)


@app.command("start")
def start_command(
    number: NumberArgument,
    fy: FyOption = None,
    label: Annotated[str | None, typer.Option("--label", help="Name of the run, when there are several.")] = None,
    date: DateOption = None,
    by: ByOption = None,
) -> None:
    """Open a run of a procedure for a fiscal year and print its id."""
    change = actions.start_run(_workspace(), number, _actor(by), fy=_fy(fy), label=label, date=_date(date))
    run_views.render_change(change)


@app.command("advance")
def advance_command(
    number: NumberArgument,
    run: RunOption = None,
    step: Annotated[int | None, typer.Option("--step", help="The step to complete (default: the current one).")] = None,
    note: Annotated[str | None, typer.Option("--note", help="What was done.")] = None,
    evidence: EvidenceOption = None,
    hours: HoursOption = None,
    approve: Annotated[bool, typer.Option("--approve", help="Close a decision step as approved.")] = False,
    reject: Annotated[
        bool, typer.Option("--reject", help="Close a decision step as rejected (needs --reason).")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Complete a step out of order (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option("--reason", help="Why: for --reject and --force.")] = None,
    date: DateOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Complete the current step (or --step K) with notes, evidence and hours; close decisions."""
    change = actions.advance(
        _workspace(),
        number,
        _actor(by),
        fy=_fy(fy),
        run=run,
        step=step,
        note=note,
        evidence=evidence or [],
        hours=hours,
        approve=approve,
        reject=reject,
        force=force,
        reason=reason,
        date=_date(date),
    )
    run_views.render_change(change)


@app.command("note")
def note_command(
    number: NumberArgument,
    text: Annotated[str | None, typer.Argument(help="The note.")] = None,
    step: Annotated[int | None, typer.Option("--step", help="The step it is about.")] = None,
    evidence: EvidenceOption = None,
    hours: HoursOption = None,
    met: Annotated[
        str | None, typer.Option("--met", help="A deadline met, by its ref in `sop due` (6.4, 7.1, 10).")
    ] = None,
    count: Annotated[str | None, typer.Option("--count", help="Responses returned of expected: 42/50.")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="Which rule --count is for, when several.")] = None,
    run: RunOption = None,
    date: DateOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Add a note, evidence, hours, a met deadline or a count of responses, without completing a step."""
    change = actions.add_note(
        _workspace(),
        number,
        _actor(by),
        text,
        fy=_fy(fy),
        run=run,
        step=step,
        evidence=evidence or [],
        hours=hours,
        met=met,
        count=count,
        ref=ref,
        date=_date(date),
    )
    run_views.render_change(change)


@app.command("cancel")
def cancel_command(
    number: NumberArgument,
    reason: Annotated[str, typer.Option("--reason", help="Why the run is abandoned.")],
    run: RunOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Cancel a run, with the reason."""
    run_views.render_change(actions.cancel_run(_workspace(), number, _actor(by), reason, fy=_fy(fy), run=run))


@app.command("void")
def void_command(
    event_id: Annotated[str, typer.Argument(help="Id of the event that does not count (see `sop log`).")],
    reason: Annotated[str, typer.Option("--reason", help="Why it does not count.")],
    by: ByOption = None,
) -> None:
    """Record that an event does not count, after a merge brought a contradiction."""
    run_views.render_change(actions.void_event(_workspace(), event_id, _actor(by), reason))


@app.command("status")
def status_command(
    number: Annotated[int | None, typer.Argument(help="Show one procedure's run in detail.")] = None,
    run: RunOption = None,
    fy: FyOption = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """Where each procedure stands this fiscal year; with N, the run's whole timeline."""
    year = _fy(fy)
    if number is None:
        rows = actions.status_overview(_workspace(), year, _now().date())
        if format is ListFormat.json:
            console.print_json(run_views.as_json(rows))
        else:
            run_views.render_status(rows, year)
        return
    timeline = actions.run_timeline(_workspace(), number, year, run)
    if format is ListFormat.json:
        console.print_json(run_views.as_json(timeline))
    else:
        run_views.render_timeline(timeline)


@app.command("schedule")
def schedule_command(
    number: NumberArgument,
    event: Annotated[str, typer.Option("--event", help="The event, such as inspection_visit.")],
    date: Annotated[str, typer.Option("--date", help="Its date: 2570-02-15 or 2027-02-15.")],
    run: RunOption = None,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Set the date of a named event of a run, such as the inspection visit."""
    on = _date(date)
    assert on is not None
    run_views.render_change(actions.schedule(_workspace(), number, _actor(by), event, on, fy=_fy(fy), run=run))


@app.command("due")
def due_command(
    fy: FyOption = None,
    within: Annotated[int | None, typer.Option("--within", help="Only those due within DAYS working days.")] = None,
    person: Annotated[str | None, typer.Option("--person", help="Only those of this staff id.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """Every open deadline of every procedure, soonest first, in Thai working days."""
    from sop_cli.actions.deadlines import due

    year = _fy(fy)
    deadlines = due(_workspace(), year, _now().date(), within, person)
    if format is ListFormat.json:
        console.print_json(run_views.as_json(deadlines))
    else:
        run_views.render_due(deadlines, year)


@app.command("calendar")
def calendar_command(
    out: Annotated[Path, typer.Option("--out", help="The .ics file to write.")],
    fy: FyOption = None,
    person: Annotated[str | None, typer.Option("--person", help="Only the deadlines of this staff id.")] = None,
) -> None:
    """Write an iCalendar file of the deadlines and scheduled events, for Google Calendar."""
    from sop_cli.actions.deadlines import write_calendar

    count = write_calendar(_workspace(), _fy(fy), _now().date(), out, _now(), person)
    console.out().print(f"wrote {count} events to {out}")


holidays_app = typer.Typer(help="The office's days off (calendar/holidays.yaml).", no_args_is_help=True)
app.add_typer(holidays_app, name="holidays")


@holidays_app.command("update")
def holidays_update_command(
    years: Annotated[str, typer.Option("--years", help="Buddhist Era years: 2568-2572.")] = "2568-2572",
) -> None:
    """Regenerate the days off from the holidays package, keeping the office's overrides."""
    from sop_cli.actions.deadlines import update_holidays

    path, count = update_holidays(_workspace(), years)
    console.out().print(f"wrote {count} days off for {years} to {path}")


@holidays_app.command("list")
def holidays_list_command(fy: FyOption = None) -> None:
    """List the days off (after the overrides), of a fiscal year."""
    from sop_cli.actions.deadlines import list_holidays

    year = _fy(fy)
    run_views.render_holidays(list_holidays(_workspace(), year), year)


@app.command("log")
def log_command(
    number: Annotated[int | None, typer.Argument(help="Only this procedure.")] = None,
    fy: FyOption = None,
    since: Annotated[str | None, typer.Option("--since", help="Only events on or after this date.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """The event history of a fiscal year, newest first, with event ids."""
    entries = actions.event_log(_workspace(), _fy(fy), number, _date(since))
    if format is ListFormat.json:
        console.print_json(run_views.as_json(entries))
    else:
        run_views.render_log(entries)


class RegisterKind(StrEnum):
    """Kinds of document in `sop register --kind`."""

    memo = "memo"
    letter = "letter"
    order = "order"


StepOption = Annotated[
    int | None, typer.Option("--step", help="The step the document belongs to (default: the run's current step).")
]
SubjectOption = Annotated[str | None, typer.Option("--subject", help="The subject (เรื่อง) instead of the template's.")]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help="A .docx file or an existing folder instead of the run's documents/ (outside it: not evidence).",
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help="Print the wording and where it would go; take no number, write nothing.")
]
NoRunOption = Annotated[
    bool, typer.Option("--no-run", help="Without a run: still numbered and registered, written to documents/<year>/.")
]


@app.command("memo")
def memo_command(
    number: NumberArgument,
    step: StepOption = None,
    run: RunOption = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Addressee after เรียน (default: sop.toml [office] addressee).")
    ] = None,
    subject: SubjectOption = None,
    body_file: Annotated[
        Path | None,
        typer.Option("--body-file", help="UTF-8 text whose paragraphs (blank-line separated) replace the template's."),
    ] = None,
    out: OutOption = None,
    dry_run: DryRunOption = False,
    no_run: NoRunOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Write a memo (บันทึกข้อความ) of a step as .docx, numbered from the register, as evidence of the step."""
    from sop_cli.actions.documents import issue_memo
    from sop_cli.rendering.document_views import render_issue

    result = issue_memo(
        _workspace(),
        number,
        _actor(by),
        fy=_fy(fy),
        run=run,
        step=step,
        to=to,
        subject=subject,
        body_file=body_file,
        out=out,
        dry_run=dry_run,
        no_run=no_run,
    )
    render_issue(result)


@app.command("letter")
def letter_command(
    number: NumberArgument,
    to: Annotated[list[str], typer.Option("--to", help="Agency id from sops/agencies.yaml; repeat for more.")],
    step: StepOption = None,
    run: RunOption = None,
    subject: SubjectOption = None,
    enclosure: Annotated[
        list[str] | None, typer.Option("--enclosure", help="A line of สิ่งที่ส่งมาด้วย; repeat for more.")
    ] = None,
    copies: Annotated[
        bool, typer.Option("--copies", help="One letter to the first --to, the others under สำเนาส่ง.")
    ] = False,
    out: OutOption = None,
    dry_run: DryRunOption = False,
    no_run: NoRunOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Write external letters (หนังสือภายนอก) to agencies as .docx: one per agency, or one with --copies."""
    from sop_cli.actions.documents import issue_letter
    from sop_cli.rendering.document_views import render_issue

    result = issue_letter(
        _workspace(),
        number,
        _actor(by),
        fy=_fy(fy),
        run=run,
        step=step,
        to_agencies=to,
        subject=subject,
        enclosures=enclosure or [],
        copies=copies,
        out=out,
        dry_run=dry_run,
        no_run=no_run,
    )
    render_issue(result)


@app.command("order")
def order_command(
    number: NumberArgument,
    members: Annotated[Path, typer.Option("--members", help="YAML or CSV of members: name, position, role, duties.")],
    step: StepOption = None,
    run: RunOption = None,
    subject: SubjectOption = None,
    out: OutOption = None,
    dry_run: DryRunOption = False,
    no_run: NoRunOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Write an order (คำสั่ง) appointing a committee as .docx, numbered n/year, as evidence of the step."""
    from sop_cli.actions.documents import issue_order
    from sop_cli.rendering.document_views import render_issue

    result = issue_order(
        _workspace(),
        number,
        _actor(by),
        fy=_fy(fy),
        run=run,
        step=step,
        members_file=members,
        subject=subject,
        out=out,
        dry_run=dry_run,
        no_run=no_run,
    )
    render_issue(result)


@app.command("register")
def register_command(
    year: Annotated[
        int | None, typer.Option("--year", help="Calendar year in the Buddhist Era (default: this year).")
    ] = None,
    kind: Annotated[RegisterKind | None, typer.Option("--kind", help="Only memos, letters or orders.")] = None,
    format: Annotated[ListFormat, typer.Option("--format", help="table or json.")] = ListFormat.table,
) -> None:
    """List the numbers issued (outgoing register and orders) in a calendar year."""
    from sop_cli.actions.documents import register_listing
    from sop_cli.rendering.document_views import render_register

    listing = register_listing(_workspace(), _now().date(), year=year, kind=kind.value if kind else None)
    if format is ListFormat.json:
        console.print_json(run_views.as_json(listing))
    else:
        render_register(listing)


class ExportFormat(StrEnum):
    """Formats of `sop export`."""

    csv = "csv"
    xlsx = "xlsx"
    json = "json"
    html = "html"


@app.command("export")
def export_command(
    format: Annotated[
        ExportFormat, typer.Option("--format", help="csv (two files: status, events), xlsx, json or html.")
    ],
    fy: FyOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="An existing folder, or the file to write (default: exports/FY/ in the workspace)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace files that already exist.")] = False,
) -> None:
    """Write the year's status and events (xlsx adds deadlines and evidence) for Excel, scripts or a browser."""
    from sop_cli.actions.export import export_year

    ws = _workspace()
    for path in export_year(ws, _fy(fy), format.value, out, _now().date(), force):
        console.out().print(f"wrote {ws.relative(path)}", markup=False, soft_wrap=True)


class Period(StrEnum):
    """Periods of the manual's monitoring rounds (section 7)."""

    half = "half"
    year = "year"


@app.command("report")
def report_command(
    fy: FyOption = None,
    period: Annotated[
        Period, typer.Option("--period", help="half: 1 October to 31 March; year: the whole fiscal year.")
    ] = Period.year,
    sop: Annotated[
        list[int] | None,
        typer.Option("--sop", metavar="N", help="Only this procedure; repeat for more (default: all)."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="The .docx to write (default: under reports/<fy>/).")
    ] = None,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help="Write the report even when nothing was recorded.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write the monitoring report of 6 months or 1 year as a Thai .docx."""
    from sop_cli.actions.report import write_report

    ws = _workspace()
    path = write_report(ws, _fy(fy), period.value, sop or [], out, _now().date(), allow_empty, force)
    console.out().print(f"wrote {ws.relative(path)}", markup=False, soft_wrap=True)


dossier_app = typer.Typer(
    help="The fiscal year's audit dossier: `sop dossier --out DIR` writes one, `sop dossier verify DIR` checks it.",
    invoke_without_command=True,
)
app.add_typer(dossier_app, name="dossier")


@dossier_app.callback()
def dossier_command(
    ctx: typer.Context,
    fy: FyOption = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="The folder to write: new, empty, or an earlier dossier with --force.")
    ] = None,
    make_zip: Annotated[bool, typer.Option("--zip", help="Also write DIR.zip beside the folder.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an earlier dossier (and zip).")] = False,
) -> None:
    """Write the report, files, index, events and manifest of a fiscal year into a folder."""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise typer.BadParameter("give the folder to write: --out DIR", param_hint="--out")
    from sop_cli.actions.dossier import build_dossier, zip_path_of

    folder = build_dossier(_workspace(), _fy(fy), out, _now().date(), make_zip, force)
    also = f" and {zip_path_of(folder)}" if make_zip else ""
    console.out().print(f"wrote the dossier {folder}{also}", markup=False, soft_wrap=True)


@dossier_app.command("verify")
def dossier_verify_command(
    folder: Annotated[Path, typer.Argument(help="The dossier's folder, or its .zip.")],
) -> None:
    """Check a dossier against its manifest: each file missing, added or altered, one line each."""
    from sop_cli.actions.dossier import verify_dossier

    problems = verify_dossier(folder)
    if not problems:
        console.out().print(f"ok: {folder} matches its manifest", markup=False, soft_wrap=True)
        return
    for line in problems:
        console.err().print(line, markup=False, soft_wrap=True)
    console.err().print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found")
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
