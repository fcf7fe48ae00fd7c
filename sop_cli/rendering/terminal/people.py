"""Draw the people's commands in the terminal: leave, a person's work, the plan's summary, reminders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from rich.markup import escape
from rich.text import Text

from sop_cli.i18n import _
from sop_cli.rendering.terminal.base import Cell, Column, out, table
from sop_cli.rendering.terminal.wrap import hanging
from sop_cli.thai_calendar import format_short
from sop_cli.views.people import LeaveChange, LeavePeriod
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


def render_leave_list(periods: Sequence[LeavePeriod], names: Mapping[str, str], fy: int) -> None:
    """The leaves of a fiscal year, with their substitutes and ids."""
    console = out()
    if not periods:
        console.print(_("no leave recorded in fiscal year {fy}").format(fy=fy), markup=False)
        return
    columns = (
        Column(_("From")),
        Column(_("To")),
        Column(_("Who"), text=True),
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
        Column(_("What"), text=True, ratio=3),
        Column(_("Next action"), text=True, ratio=2),
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
        due = format_short(item.due) if item.due else ""
        rows.append([_when(item.days_left, due), str(item.procedure), what, Text(item.action)])
    console.print(table(columns, rows, console.width, title))
    _later(todo)


def _later(todo: TodoList) -> None:
    if todo.later and todo.within is not None:
        line = _(
            "{count} more: deadlines after {days} working days, dates not set yet, work not started "
            "(sop todo --all lists them)"
        ).format(count=todo.later, days=todo.within)
        out().print(Text(line, style="dim"), soft_wrap=True)
