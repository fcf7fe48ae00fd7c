"""What every command shares: the Typer app, the workspace, the clock and the common options."""

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sop_cli import __version__
from sop_cli.cli import values
from sop_cli.errors import SopError
from sop_cli.i18n import N_, _
from sop_cli.models.values import Evidence
from sop_cli.thai_calendar import BANGKOK, fiscal_year, parse_date
from sop_cli.workspace import Workspace, find_workspace

if TYPE_CHECKING:
    from sop_cli.journal import Actor

NOW_ENV = "SOP_NOW"

app = typer.Typer(
    name="sop",
    help=N_("Track the fourteen standard operating procedures of the supervision group."),
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


def set_root(root: str) -> None:
    """Remember --root, which any command accepts, before or after its name."""
    _state["root"] = root


def reset() -> None:
    """Forget the options of an earlier run in this process (the tests run several)."""
    _state["root"] = None


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
        message = _("{variable}={value!r} is not an ISO date-time such as 2026-11-25T09:00")
        raise SopError(message.format(variable=NOW_ENV, value=fixed)) from None
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
        raise SopError(_("fiscal year {fy} cannot be meant: write the Buddhist Era year, such as 2570").format(fy=fy))
    return fy


def actor(by: str | None) -> "Actor":
    """Who acts (--by, else resolved later) and the clock."""
    from sop_cli.journal import Actor

    return Actor(by=by, now=now())


def _refuse_controls(param: typer.CallbackParam, value: object, multiline: bool) -> None:
    from sop_cli.i18n import _
    from sop_cli.models.base import control_character

    for text in value if isinstance(value, list | tuple) else [value]:
        found = control_character(text, multiline=multiline) if isinstance(text, str) else None
        if found is not None:
            name = param.opts[0] if param.opts else "text"
            option = name if name.startswith("-") else _("the {name}").format(name=name.upper())
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
    int | None, typer.Option("--fy", help=N_("Fiscal year in the Buddhist Era (default: the current one)."))
]
DateOption = Annotated[
    str | None, typer.Option("--date", help=N_("When it happened: 2569-11-25 or 2026-11-25 (default: today)."))
]
ByOption = Annotated[
    str | None, typer.Option("--by", help=N_("Staff id of who acts (default: $SOP_USER, then git config sop.user)."))
]
RunOption = Annotated[str | None, typer.Option("--run", help=N_("Run id or label, when a procedure has several."))]
EvidenceOption = Annotated[
    list[Evidence] | None,
    typer.Option(
        "--evidence", click_type=values.EVIDENCE, help=N_("A file to copy, or an http(s) link; repeat for more.")
    ),
]
# 0.01 h (36 s) is the least worth recording; 10000 h is more than a year of working days.
HoursOption = Annotated[float | None, typer.Option("--hours", min=0.01, max=10_000, help=N_("Working hours spent."))]
StepOption = Annotated[int | None, typer.Option("--step", min=1, help=N_("The step it is about."))]
DateReasonOption = Annotated[
    str | None,
    typer.Option(
        "--date-reason",
        callback=paragraphs,
        help=N_("Why --date lies outside the run's fiscal year or before its start (else refused)."),
    ),
]
ConfirmHoursOption = Annotated[
    bool, typer.Option("--confirm-hours", help=N_("Record --hours above what one person works in the days covered."))
]
NumberArgument = Annotated[int, typer.Argument(help=N_("Procedure number, 1 to 14."))]


def _version(value: bool) -> None:
    if value:
        print(f"sop {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help=N_("Print the version and exit."))
    ] = False,
) -> None:
    """Track the fourteen standard operating procedures of the supervision group."""
