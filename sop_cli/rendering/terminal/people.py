"""Draw the people's commands in the terminal: leave, a person's work, the plan's summary, reminders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text

from sop_cli.i18n import _
from sop_cli.rendering.terminal.base import Cell, Column, err, out, table
from sop_cli.rendering.terminal.wrap import hanging
from sop_cli.thai_calendar import MONTHS_SHORT, format_short
from sop_cli.views.people import LeaveChange, LeavePeriod, Reminder, YearPlan
from sop_cli.views.status import SOON_WORKING_DAYS

if TYPE_CHECKING:
    from sop_cli.views.people import TodoList


def render_leave_change(change: LeaveChange) -> None:
    """Say what `sop leave` recorded."""
    console = out()
    for line in change.lines:
        console.print(hanging("[green]✓[/] ", line, console.width), soft_wrap=True)
    for path in change.written:
        console.print(Text(_("wrote {path}").format(path=path), style="dim"), soft_wrap=True)
    for warning in change.warnings:
        err().print(_("warning: {message}").format(message=warning), markup=False, soft_wrap=True)


def render_leave_list(periods: Sequence[LeavePeriod], names: Mapping[str, str], fy: int) -> None:
    """The leaves of a fiscal year, with their substitutes and ids."""
    console = out()
    if not periods:
        console.print(_("no leave recorded in fiscal year {fy}").format(fy=fy), markup=False)
        return
    columns = (
        Column(_("From")),
        Column(_("To")),
        Column(_("On leave"), text=True),
        Column(_("Substitute"), text=True),
        Column(_("Why"), text=True),
        Column(_("Id")),
    )
    rows: list[list[Cell]] = []
    for p in periods:
        substitute = names.get(p.substitute, p.substitute) if p.substitute else "-"
        if p.substitute and p.acting:
            substitute += f" ({p.acting})"
        rows.append(
            [
                format_short(p.start),
                format_short(p.end),
                escape(names.get(p.person, p.person)),
                escape(substitute),
                escape(p.reason or "-"),
                p.id,
            ]
        )
    console.print(table(columns, rows, console.width, _("Leave, fiscal year {fy}").format(fy=fy)))


def _when(item_days: int | None, due: str) -> str:
    if item_days is None:
        return "[dim]-[/]"
    colour = "bold red" if item_days < 0 else "yellow" if item_days <= SOON_WORKING_DAYS else "green"
    if item_days < 0:
        left = _("{days} working days late").format(days=-item_days)
    else:
        left = _("{days} working days left").format(days=item_days)
    return f"{due}\n[{colour}]{escape(left)}[/]"


_KIND = {"deadline": "⏰", "decision": "⚖", "step": "→"}


def render_todo(todo: TodoList) -> None:
    """A person's work, most urgent first, each with its next action."""
    console = out()
    title = _("Work of {name}, {day}").format(name=todo.name, day=format_short(todo.today))
    if todo.away is not None:
        console.print(
            Text(
                _("{name} is on leave until {end}").format(name=todo.name, end=format_short(todo.away.end)),
                style="yellow",
            ),
            soft_wrap=True,
        )
    for leave in todo.standing_in_for:
        who = todo.names.get(leave.person, leave.person)
        line = _("standing in for {name} until {end}: their work is listed too").format(
            name=who, end=format_short(leave.end)
        )
        console.print(Text(line, style="yellow"), soft_wrap=True)
    if not todo.items:
        console.print(_("nothing to do in fiscal year {fy}").format(fy=todo.fy), markup=False)
        _later(todo)
        return
    columns = (
        Column(_("When")),
        Column(_("No."), justify="right"),
        Column(_("What, and the next action"), text=True),
    )
    rows: list[list[Cell]] = []
    for item in todo.items:
        what = Text(f"{_KIND.get(item.kind, '')} ")
        if item.ref:
            what.append(_("item {ref}").format(ref=item.ref) + ": ", style="bold")
        elif item.step is not None:
            what.append(_("step {step}").format(step=item.step) + ": ", style="bold")
        what.append(item.what)
        if item.detail:
            what.append(f" ({item.detail})", style="dim")
        if item.label:
            what.append(f" ({item.label})", style="dim")
        if item.for_person is not None:
            what.append(
                "\n" + _("for {name}, on leave").format(name=todo.names.get(item.for_person, item.for_person)),
                style="yellow",
            )
        instruction, found, command = item.action.rpartition(": sop ")
        what.append("\n→ " + (instruction + ":" if found else item.action), style="italic")
        if found:
            what.append("\n  sop " + command, style="bold cyan")  # a line of its own: it is typed as is
        due = format_short(item.due) if item.due else ""
        rows.append([_when(item.days_left, due), str(item.procedure), what])
    console.print(table(columns, rows, console.width, title))
    _later(todo)


def _later(todo: TodoList) -> None:
    if todo.later and todo.within is not None:
        line = _(
            "{count} more: deadlines after {days} working days, dates not set yet, work not started "
            "(sop todo --all lists them)"
        ).format(count=todo.later, days=todo.within)
        out().print(Text(line, style="dim"), soft_wrap=True)


def render_plan(plan: YearPlan) -> None:
    """The plan's summary: each person's year against their capacity and the months over it, the warnings."""
    from sop_cli.i18n import language
    from sop_cli.rendering.plan_page import NOBODY_EN, NOBODY_TH, warning_text

    console = out()
    lang = language()
    reading = _("person-hours") if plan.hours_are == "person" else _("elapsed hours")
    other = _("elapsed hours") if plan.hours_are == "person" else _("person-hours")
    title = _("Plan of fiscal year {fy}: {hours} hours of the manual, {per_day} hours a working day").format(
        fy=plan.fy, hours=f"{plan.manual_hours:,.0f}", per_day=f"{plan.hours_a_day:g}"
    )
    columns = (
        Column(_("Person"), text=True, ratio=2),
        Column(_("Planned ({reading})").format(reading=reading), justify="right"),
        Column(_("Can work"), justify="right"),
        Column(_("As {reading}").format(reading=other), justify="right"),
        Column(_("Months over capacity"), text=True, ratio=3),
    )
    rows: list[list[Cell]] = []
    for load in plan.loads:
        name = load.name or (NOBODY_TH if lang == "th" else NOBODY_EN)
        capacity = sum(load.capacity)
        planned = f"{load.total:,.0f}"
        if load.person and load.total > capacity:
            planned = f"[bold red]{planned}[/]"
        over = " ".join(MONTHS_SHORT[plan.months[i][1] - 1] for i in load.over) if load.person else "-"
        if len(load.over) == len(plan.months):
            over = _("every month")
        rows.append(
            [escape(name), planned, f"{capacity:,.0f}" if load.person else "-", f"{sum(load.other):,.0f}", over or "-"]
        )
    console.print(table(columns, rows, console.width, title))
    console.print(
        Text(_("hours read as {reading} ([people] hours_are in sop.toml)").format(reading=reading), style="dim")
    )
    others = [w for w in plan.warnings if w.kind != "over_capacity"]
    if others:
        console.print(Text(_("To look at:"), style="bold"))
        for w in others:
            console.print(hanging("[yellow]![/] ", warning_text(w, plan.names, lang), console.width), soft_wrap=True)
    console.print(
        Text(_("the calendar of every row: sop plan --format xlsx, or --format html for the charts"), style="dim"),
        soft_wrap=True,
    )


def render_reminders(reminders: Sequence[Reminder]) -> None:
    """What `sop remind` did for each person; a preview prints the digest itself."""
    console = out()
    said = {
        "sent": _("sent to {to}"),
        "written": _("written to {path} (no mail server is set in sop.toml)"),
        "already_sent": _("already sent today: nothing sent again"),
        "nothing": _("nothing to remind"),
        "no_address": _("no e-mail address: add it to [people] email in sop.toml"),
    }
    previews = [r for r in reminders if r.outcome == "preview"]
    for reminder in previews:
        console.print(Text(reminder.subject, style="bold"), soft_wrap=True)
        console.print(Text(reminder.body), soft_wrap=True)
    for reminder in reminders:
        if reminder.outcome == "preview":
            continue
        mark = "[green]✓[/] " if reminder.outcome in ("sent", "written") else "[dim]·[/] "
        line = said[reminder.outcome].format(to=reminder.to or "", path=reminder.path or "")
        console.print(hanging(mark, f"{reminder.name}: {line}", console.width), soft_wrap=True)
    if previews:
        console.print(Text(_("a preview: sop remind --send sends the digests"), style="dim"), soft_wrap=True)
