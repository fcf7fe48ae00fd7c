"""Draw runs in the terminal: what a command changed, the status table, a timeline, the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text

from sop_cli.i18n import N_, _, ngettext
from sop_cli.rendering import words
from sop_cli.rendering.terminal.base import Cell, Column, err, hours_text, out, table
from sop_cli.rendering.terminal.wrap import hanging
from sop_cli.thai_calendar import format_short
from sop_cli.views.status import SOON_WORKING_DAYS, DeadlineView, StatusRow

if TYPE_CHECKING:
    from sop_cli.deadlines import Deadline
    from sop_cli.views.runs import AttachmentView, Change, ClosureView, LogEntry, Timeline
    from sop_cli.working_days import Holiday

BAR_WIDTH = 8
_STATUS_TEXT = {
    "not_started": ("dim", N_("not started")),
    "finished": ("green", N_("finished")),
    "cancelled": ("dim", N_("cancelled")),
    "open": ("yellow", N_("in progress")),
}
_MARK = {
    "done": "[green]✓[/]",
    "current": "[bold yellow]→[/]",
    "pending": "[dim]·[/]",
    "skipped": "[dim]↷[/]",
}
_OUTCOME = {
    "done": ("green", N_("done")),
    "approved": ("green", N_("approved")),
    "rejected": ("red", N_("rejected")),
}
_WEEKDAYS = (N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"), N_("Sunday"))
_INDENT = 5  # where the details of a step start in `sop status N`


def progress_bar(done: int, total: int) -> str:
    """A fixed-width bar of block characters with the count: ████░░░░ 4/8."""
    filled = round(BAR_WIDTH * done / total) if total else 0
    colour = "green" if total and done >= total else "cyan"
    return f"[{colour}]{'█' * filled}[/][dim]{'░' * (BAR_WIDTH - filled)}[/] {done}/{total}"


def _event(code: str | None) -> str:
    return words.waiting_text(code) if code else ""


def _date(value: dt.date | None) -> str:
    return format_short(value) if value else "-"


def _status(status: str) -> str:
    style, text = _STATUS_TEXT.get(status, ("yellow", status))
    return f"[{style}]{escape(_(text))}[/]"


def _hours(hours: float, planned: float) -> str:
    return _("{hours}/{planned} h").format(hours=hours_text(hours), planned=hours_text(planned))


def _people(names: Sequence[str]) -> str:
    """The first name and how many more: นันทนา +3."""
    if not names:
        return "[dim]-[/]"
    return escape(names[0]) + (f" +{len(names) - 1}" if len(names) > 1 else "")


def render_change(change: Change) -> None:
    """Say what a mutating command recorded and what comes next."""
    console = out()
    width = console.width
    for line in change.lines:
        console.print(hanging("[green]✓[/] ", line, width), soft_wrap=True)
    if change.next_step is not None:
        head = _("next: step {step}:").format(step=change.next_step) + " "
        console.print(hanging(Text(head), change.next_text or "", width), soft_wrap=True)
    elif change.status == "finished":
        message = _("run {run} of procedure {procedure} is finished: every step is done")
        console.print(message.format(run=change.run, procedure=change.procedure), markup=False, soft_wrap=True)
    where = _("run {run} · procedure {procedure} · fiscal year {fy}")
    console.print(Text(where.format(run=change.run, procedure=change.procedure, fy=change.fy), style="dim"))
    for warning in change.warnings:
        err().print(_("warning: {message}").format(message=warning), markup=False, soft_wrap=True)


def render_status(rows: Sequence[StatusRow], fy: int) -> None:
    """The table of `sop status`: every procedure, its run(s), progress and who holds it.

    Each row is two or three lines (title over current step and next deadline, bar over hours,
    holder over last activity): the numbers keep their width and the titles wrap.
    """
    console = out()
    columns = (
        Column(_("No."), justify="right"),
        Column(_("Procedure / current step"), text=True, ratio=3),
        Column(_("Progress")),
        Column(_("Responsible"), text=True, ratio=1),
        Column(_("Rejected"), justify="right"),
    )
    cells: list[list[Cell]] = []
    previous = None
    for row in rows:
        number = "" if row.procedure == previous else str(row.procedure)
        previous = row.procedure
        title = Text.from_markup(f"[bold]{escape(row.short_title)}[/]")
        if row.label:
            title.append(f" ({row.label})", style="dim")
        if row.cycle is not None:  # procedures ๑ and ๒ repeat their steps in each inspection round
            title.append(" " + _("· inspection round {cycle}").format(cycle=row.cycle), style="dim")
        if row.current_step is not None:
            current = Text(f"{row.current_step}. {row.current_text or ''}")
        else:
            current = Text.from_markup(_status(row.status))
        if row.problems:
            problems = ngettext("⚠ {count} problem (sop check)", "⚠ {count} problems (sop check)", row.problems)
            current = Text(problems.format(count=row.problems) + " ", style="red") + current
        text = Text("\n").join([title, current, *_damage(row)])
        if row.next_deadline is not None:
            text.append("\n")
            text.append_text(Text.from_markup(deadline_text(row.next_deadline)))
        bar = progress_bar(row.done, row.total) if row.run else f"[dim]{progress_bar(0, row.total)}[/]"
        cells.append(
            [
                number,
                text,
                f"{bar}\n{_hours(row.hours, row.planned_hours)}",
                f"{_people(row.holders)}\n{_date(row.last_activity)}",
                str(row.rejected_rounds) if row.rejected_rounds else "[dim]-[/]",
            ]
        )
    console.print(table(columns, cells, console.width, _("Status of the work, fiscal year {fy}").format(fy=fy)))
    problem = next((r.deadline_problem for r in rows if r.deadline_problem), None)
    if problem:
        message = _("deadlines not shown: {problem}").format(problem=problem)
        console.print(Text(message, style="yellow"), soft_wrap=True)


def _damage(row: StatusRow) -> list[Text]:
    """The first event file of the run that does not load or apply, said on the row (the rest: `sop status N`)."""
    if not row.damaged:
        return []
    # "path:line:col: message": the path is long and `sop status N` names it; the row says what is wrong.
    first = row.damaged[0].split(": ", 1)[-1]
    more = len(row.damaged) - 1
    if more:
        line = ngettext(
            "⚠ {problem} (and {count} more: see sop status {number})",
            "⚠ {problem} (and {count} more: see sop status {number})",
            more,
        ).format(problem=first, count=more, number=row.procedure)
    else:
        line = _("⚠ {problem} (see sop status {number})").format(problem=first, number=row.procedure)
    return [Text(line, style="red")]


def deadline_text(d: Deadline | DeadlineView) -> str:
    """A deadline in one coloured line (as markup): its date, the working days left and its ref."""
    ref = escape(d.ref)
    if d.due is None:
        waiting = _("⏰ waiting for the date of {event} · item {ref}")
        return f"[dim]{escape(waiting.format(event=_event(d.waiting_for), ref=d.ref))}[/]"
    left = d.days_left
    if left is None:
        return escape(_("⏰ {date} · item {ref}").format(date=_date(d.due), ref=ref))
    if left < 0:
        late = ngettext(
            "⏰ {date}, {days} working day late · item {ref}", "⏰ {date}, {days} working days late · item {ref}", -left
        )
        return f"[bold red]{escape(late.format(date=_date(d.due), days=-left, ref=d.ref))}[/]"
    colour = "yellow" if left <= SOON_WORKING_DAYS else "green"
    soon = ngettext(
        "⏰ {date}, {days} working day left · item {ref}", "⏰ {date}, {days} working days left · item {ref}", left
    )
    return f"[{colour}]{escape(soon.format(date=_date(d.due), days=left, ref=d.ref))}[/]"


def render_due(deadlines: Sequence[Deadline], fy: int) -> None:
    """The open deadlines of `sop due`, soonest first."""
    console = out()
    if not deadlines:
        console.print(_("no open deadline in fiscal year {fy}").format(fy=fy), markup=False)
        return
    columns = (
        Column(_("Due")),
        Column(_("Days left"), justify="right"),
        Column(_("No."), justify="right"),
        Column(_("Item")),
        Column(_("What the manual says"), text=True, ratio=3),
        Column(_("Responsible"), text=True, ratio=1),
    )
    cells: list[list[Cell]] = []
    for d in deadlines:
        text = Text()
        if d.due is None:
            waiting = _("waiting")
            when, left = f"[dim]{escape(waiting)}[/]", ""
            text.append(_("(waiting for the date of {event})").format(event=_event(d.waiting_for)) + " ", style="dim")
        else:
            days = d.days_left if d.days_left is not None else 0
            colour = "bold red" if days < 0 else "yellow" if days <= SOON_WORKING_DAYS else "green"
            when, left = _date(d.due), f"[{colour}]{days}[/]"
        text.append(d.text)
        if d.detail:
            text.append(f" ({d.detail})", style="dim")
        if d.run:
            text.append(" " + _("run {run}").format(run=d.run), style="dim")
        cells.append([when, left, str(d.procedure), escape(d.ref), text, _people(d.persons)])
    console.print(table(columns, cells, console.width, _("Deadlines, fiscal year {fy}").format(fy=fy)))


def render_holidays(days: Sequence[Holiday], fy: int) -> None:
    """The days off of a fiscal year."""
    console = out()
    columns = (Column(_("Date")), Column(_("Day")), Column(_("Name"), text=True))
    cells: list[list[Cell]] = []
    for day in days:
        name = Text(day.name)
        if day.reason:
            name.append(" " + _("(added by the office: {reason})").format(reason=day.reason), style="dim")
        cells.append([_date(day.date), escape(_(_WEEKDAYS[day.date.weekday()])), name])
    console.print(table(columns, cells, console.width, _("Days off, fiscal year {fy}").format(fy=fy)))


def _closure_line(c: ClosureView) -> Text:
    style, outcome = _OUTCOME[c.outcome]
    line = Text(_("round {round}:").format(round=c.round) + " ")
    line.append(_(outcome), style=style)
    line.append(" " + _("{date} by {person}").format(date=_date(c.date), person=c.by) + " ")
    line.append(f"({c.event})", style="dim")
    if c.forced:
        line.append(" " + _("out of order: {reason}").format(reason=c.reason or ""), style="yellow")
    elif c.reason:
        line.append(" " + _("reason: {reason}").format(reason=c.reason))
    if c.note:
        line.append(" " + _("note: {note}").format(note=c.note))
    return line


def _attachment_line(a: AttachmentView) -> Text:
    if a.evidence is not None:
        line = Text(_("evidence: {what}").format(what=a.evidence))
    elif a.hours is not None:
        line = Text(_("hours: {hours}").format(hours=hours_text(a.hours)))
    else:
        line = Text(_("note: {note}").format(note=a.note or ""))
    line.append(f" · {_date(a.date)} · {a.by} ({a.event})", style="dim")
    return line


def render_timeline(t: Timeline) -> None:
    """Every step of one run with its state, dates, actors, notes, evidence, hours and rounds.

    Long lines wrap under their own text: a step's wording under its first word, its rounds,
    notes and evidence under the column where they start.
    """
    c = out()
    width = c.width
    label = f" '{t.label}'" if t.label else ""
    heading = _("{number}. {title} · run {run}{label} · fiscal year {fy}")
    c.print(
        hanging(
            "", Text(heading.format(number=t.procedure, title=t.short_title, run=t.run, label=label, fy=t.fy)), width, 3
        ),
        style="bold",
        soft_wrap=True,
    )
    started = _("started {date} by {person}").format(date=_date(t.started_on), person=t.started_by or "-")
    summary = _("round {round} · {hours}").format(round=t.round, hours=_hours(t.hours, t.planned_hours))
    c.print(hanging(_status(t.status) + " · ", f"{started} · {summary}", width, 3), soft_wrap=True)
    if t.cancel_reason:
        c.print(hanging("", Text(_("cancelled: {reason}").format(reason=t.cancel_reason), style="dim"), width, 3))
    for problem in t.problems:
        c.print(hanging("[red]⚠[/] ", Text(problem + " " + _("(see sop check)"), style="red"), width), soft_wrap=True)
    c.print()
    for step in t.steps:
        head = f"{_MARK[step.state]} [bold]{step.number}.[/]"
        if step.label:
            head += " [dim]" + escape(_("(item {label})").format(label=step.label)) + "[/]"
        if step.is_decision:
            head += " [yellow]◆[/]"
        c.print(hanging(head + " ", step.text, width, _INDENT), soft_wrap=True)
        for closure in step.closures:
            c.print(hanging(" " * _INDENT, _closure_line(closure), width), soft_wrap=True)
        for attachment in step.attachments:
            c.print(hanging(" " * _INDENT, _attachment_line(attachment), width), soft_wrap=True)
    if t.run_attachments:
        c.print()
        c.print(Text(_("For the whole run"), style="bold"))
        for attachment in t.run_attachments:
            c.print(hanging(" " * _INDENT, _attachment_line(attachment), width), soft_wrap=True)
    if t.rejections:
        c.print()
        rejected = ngettext("Rejected {count} time", "Rejected {count} times", len(t.rejections))
        c.print(Text(rejected.format(count=len(t.rejections)), style="bold"))
        for r in t.rejections:
            line = _("round {round}: {date} by {person}: {reason}")
            text = line.format(round=r.round, date=_date(r.date), person=r.by, reason=r.reason or "")
            c.print(hanging("  ", text, width, _INDENT), soft_wrap=True)


def render_log(entries: Sequence[LogEntry]) -> None:
    """The event history, newest first."""
    console = out()
    if not entries:
        console.print(_("no events"), markup=False)
        return
    # The run's id goes under the event's: a 60-column terminal keeps room for the details.
    columns = (
        Column(_("Date")),
        Column(_("Event / run")),
        Column(_("No."), justify="right"),
        Column(_("By"), text=True, ratio=1),
        Column(_("Details"), text=True, ratio=3),
    )
    cells: list[list[Cell]] = []
    for e in entries:
        summary = Text(e.summary)
        if e.voided:
            summary.stylize("strike dim")
            summary.append(" " + _("(void)"), style="red")
        cells.append([_date(e.date), f"{e.event}\n[dim]{e.run}[/]", str(e.procedure), Text(e.by), summary])
    console.print(table(columns, cells, console.width))
