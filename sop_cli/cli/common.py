"""What every command shares: the Typer app, the workspace, the clock and the common options."""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sop_cli import __version__
from sop_cli.errors import SopError
from sop_cli.thai_calendar import fiscal_year, parse_date
from sop_cli.workspace import Workspace, find_workspace

if TYPE_CHECKING:
    from sop_cli.actions.runs import Actor

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


def workspace() -> Workspace:
    """The workspace of this command: --root, $SOP_ROOT, or the nearest folder above with sops/."""
    return find_workspace(Path.cwd(), _state["root"])


def now() -> dt.datetime:
    """The clock, in Asia/Bangkok; $SOP_NOW (ISO date-time) fixes it for tests and demonstrations."""
    fixed = os.environ.get(NOW_ENV)
    if not fixed:
        return dt.datetime.now(BANGKOK)
    try:
        moment = dt.datetime.fromisoformat(fixed)
    except ValueError:
        raise SopError(f"{NOW_ENV}={fixed!r} is not an ISO date-time such as 2026-11-25T09:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=BANGKOK)


def date(text: str | None) -> dt.date | None:
    """A --date option as a date (Buddhist Era or Common Era), or None."""
    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise SopError(str(exc)) from None


def fy(fy: int | None) -> int:
    """The --fy option, or the fiscal year of today."""
    if fy is None:
        return fiscal_year(now().date())
    if not 2500 <= fy <= 2700:
        raise SopError(f"fiscal year {fy} cannot be meant: write the Buddhist Era year, such as 2570")
    return fy


def actor(by: str | None) -> Actor:
    """Who acts (--by, else resolved later) and the clock."""
    from sop_cli.actions.runs import Actor

    return Actor(by=by, now=now())


def _refuse_controls(param: typer.CallbackParam, value: object, multiline: bool) -> None:
    from sop_cli.i18n import _
    from sop_cli.models.base import control_character

    for text in value if isinstance(value, list | tuple) else [value]:
        found = control_character(text, multiline=multiline) if isinstance(text, str) else None
        if found is not None:
            name = param.opts[0] if param.opts else "text"
            option = name if name.startswith("-") else f"the {name}"
            raise SopError(_("{option} contains {what}; type it without").format(option=option, what=found))


def one_line(param: typer.CallbackParam, value: object) -> object:
    """Refuse control characters in a one-line option (a label, a subject, a file name); keep the value."""
    _refuse_controls(param, value, multiline=False)
    return value


def paragraphs(param: typer.CallbackParam, value: object) -> object:
    """Refuse control characters but tab and line break in a note or a reason; keep the value."""
    _refuse_controls(param, value, multiline=True)
    return value


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
    list[str] | None,
    typer.Option("--evidence", callback=one_line, help="A file to copy, or an http(s) link; repeat for more."),
]
# 0.01 h (36 s) is the least worth recording; 10000 h is more than a year of working days.
HoursOption = Annotated[float | None, typer.Option("--hours", min=0.01, max=10_000, help="Working hours spent.")]
StepOption = Annotated[int | None, typer.Option("--step", min=1, help="The step it is about.")]
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
