"""Commands that share the office's records through git: init, join, sync, and the server's guard."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import app
from sop_cli.errors import ExitCode, Problem
from sop_cli.i18n import N_, _, ngettext
from sop_cli.rendering.terminal import base as console

if TYPE_CHECKING:
    from sop_cli.actions.sharing import SyncReport
    from sop_cli.workspace import Workspace

UserOption = Annotated[
    str | None,
    typer.Option("--user", metavar="ID", help=N_("Your staff id in sops/staff.yaml (asked when not given).")),
]


def _say(line: str) -> None:
    console.out().print(line, markup=False, soft_wrap=True)


def _warn(line: str) -> None:
    console.err().print(_("warning: {message}").format(message=line), markup=False, soft_wrap=True)


def _verify(ws: Workspace) -> list[Problem]:
    from sop_cli.actions.check import check_workspace

    return check_workspace(ws, lock=False).problems  # sync holds the records lock while it checks


@app.command("init")
def init_command(
    folder: Annotated[
        Path, typer.Argument(help=N_("The folder to make the office's repository (default: here)."))
    ] = Path(),
    source: Annotated[
        Path | None,
        typer.Option("--from", metavar="PATH", help=N_("A workspace to copy procedures, calendar and settings from.")),
    ] = None,
    user: UserOption = None,
    server: Annotated[
        str | None,
        typer.Option(
            "--server",
            metavar="PATH-OR-URL",
            help=N_("The office's server: a new folder (such as a shared drive) or a forge URL."),
        ),
    ] = None,
) -> None:
    """Make a folder the office's new shared repository, for the first person (and send it to a server)."""
    from sop_cli.actions.sharing import init_office

    setup = init_office(folder, source, user, server, common.now())
    _say(_("✓ the office's repository is ready in {path}").format(path=setup.root))
    if setup.server:
        _say(_("✓ sent to the office's server {server}").format(server=setup.server))
    if setup.user:
        _say(_("you are {user} in this copy").format(user=setup.user))


def _ask_user(staff: list[tuple[str, str]]) -> str:
    if not sys.stdin.isatty():
        return ""
    for staff_id, name in staff:
        _say(f"  {staff_id:<12} {name}")
    return str(typer.prompt(_("your staff id")))


@app.command("join")
def join_command(
    url: Annotated[str, typer.Argument(help=N_("The office's repository: a path on the shared drive or a URL."))],
    folder: Annotated[
        Path | None, typer.Argument(help=N_("Where to put your copy (default: a folder named after the URL)."))
    ] = None,
    user: UserOption = None,
) -> None:
    """Copy the office's repository to this computer and set you up to share through it."""
    from sop_cli.actions.sharing import join_office

    setup = join_office(url, folder, user, _ask_user, common.now())
    _say(_("✓ your copy of the office's repository is in {path}").format(path=setup.root))
    _say(_("you are {user}; run sop there, and `sop sync` to share").format(user=setup.user))
    for line in setup.warnings:
        _warn(line)


def _render_sync(report: SyncReport) -> None:
    if report.repaired:
        _say(_("✓ repaired a sync that was interrupted"))
    if report.committed:
        n = report.committed
        _say(ngettext("✓ committed {count} file sop wrote", "✓ committed {count} files sop wrote", n).format(count=n))
    if report.no_remote:
        _say(_("this copy has no office server (no git remote): nothing to send"))
    if report.received:
        n = report.received
        _say(
            ngettext(
                "✓ received {count} change from the office", "✓ received {count} changes from the office", n
            ).format(count=n)
        )
    if report.sent:
        n = report.sent
        _say(ngettext("✓ sent {count} change to the office", "✓ sent {count} changes to the office", n).format(count=n))
    if report.offline is not None and report.unsent == 0:
        _say(
            _(
                "the office's server cannot be reached ({reason}); nothing waits to be sent: run `sop sync` again "
                "when online to receive the others' work"
            ).format(reason=report.offline)
        )
    elif report.offline is not None:
        _say(
            ngettext(
                "not sent yet: the office's server cannot be reached ({reason}); nothing is lost, {count} change "
                "waits here: run `sop sync` again when online",
                "not sent yet: the office's server cannot be reached ({reason}); nothing is lost, {count} changes "
                "wait here: run `sop sync` again when online",
                report.unsent,
            ).format(reason=report.offline, count=report.unsent)
        )
    elif not (report.no_remote or report.received or report.sent):
        _say(_("✓ in step with the office: nothing to send or receive"))
    if report.checked:
        if report.problems:
            _warn(
                ngettext(
                    "sop check finds {count} problem in the combined records; run `sop check` to see it",
                    "sop check finds {count} problems in the combined records; run `sop check` to see them",
                    len(report.problems),
                ).format(count=len(report.problems))
            )
            for problem in report.problems[:3]:
                console.err().print(f"  {problem}", markup=False, soft_wrap=True)
        else:
            _say(_("✓ sop check: no problems"))
    for line in report.warnings:
        _warn(line)


@app.command("sync")
def sync_command(
    abort: Annotated[
        bool, typer.Option("--abort", help=N_("Put everything back as it was before an unfinished merge or sync."))
    ] = False,
    restore: Annotated[
        bool, typer.Option("--restore", help=N_("Put records changed or deleted by hand back as they were recorded."))
    ] = False,
    untrack: Annotated[
        bool,
        typer.Option("--untrack", help=N_("Stop sharing local folders git tracks by mistake (.sop-cache, .venv…).")),
    ] = False,
) -> None:
    """Share with the office: commit what sop wrote, bring in the others' work, check it, send yours."""
    from sop_cli.actions import sharing

    ws = common.workspace()
    if abort:
        done = sharing.abort(ws)
        _say("\n".join(done) if done else _("nothing to undo: no merge, rebase or sync was left unfinished"))
        return
    if restore:
        files = sharing.restore(ws)
        _say(_("✓ restored {files}").format(files=", ".join(files)) if files else _("nothing to restore"))
        return
    if untrack:
        folders = sharing.untrack(ws)
        shown = ", ".join(f"{f}/" for f in folders)
        _say(_("✓ no longer shared: {folders}").format(folders=shown) if folders else _("nothing to untrack"))
        return
    _render_sync(sharing.sync(ws, common.now(), _verify))


server_app = typer.Typer(
    help=N_("Set up the office's server: `sop server install-hook PATH.git`, `sop server ci FORGE`."),
    no_args_is_help=True,
)
app.add_typer(server_app, name="server")


@server_app.command("install-hook")
def install_hook_command(
    path: Annotated[Path, typer.Argument(help=N_("The office's bare repository on the server (office.git)."))],
    force: Annotated[bool, typer.Option("--force", help=N_("Replace a pre-receive hook that is not sop's."))] = False,
) -> None:
    """Make the server refuse any push that would damage the records (checked by sop)."""
    from sop_cli.actions.sharing import install_hook

    hook = install_hook(path, force)
    _say(_("✓ installed {hook}: the server now checks every push with sop").format(hook=hook))


class Forge(StrEnum):
    """Forges whose CI sop can set up."""

    forgejo = "forgejo"
    gitlab = "gitlab"


@server_app.command("ci")
def ci_command(
    forge: Annotated[Forge, typer.Argument(help=N_("forgejo (also Gitea) or gitlab."))],
    package: Annotated[
        str | None,
        typer.Option("--package", metavar="SPEC", help=N_("What CI installs sop from (default: this folder).")),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace the file if it exists."))] = False,
) -> None:
    """Write the forge's CI file: `sop check` on every push, and the HTML status page."""
    from sop_cli.actions.sharing import write_ci

    ws = common.workspace()
    path = write_ci(ws, forge.value, package, force)
    _say(_("✓ wrote {path}; `sop sync` sends it, then the forge checks every push").format(path=ws.relative(path)))


@server_app.command("pre-receive", hidden=True)
def pre_receive_command() -> None:
    """Judge a push (run by the server's pre-receive hook, with git's lines on standard input)."""
    from sop_cli.actions.sharing import check_push

    updates = []
    for line in sys.stdin.read().splitlines():
        parts = line.split()
        if len(parts) == 3:
            updates.append((parts[0], parts[1], parts[2]))
    verdict = check_push(Path.cwd(), updates, _verify)
    for note in verdict.notes:
        console.err().print(_("sop: {note}").format(note=note), markup=False, soft_wrap=True)
    if verdict.refused:
        for reason in verdict.refused:
            console.err().print(_("sop: refused: {reason}").format(reason=reason), markup=False, soft_wrap=True)
        raise typer.Exit(int(ExitCode.USER_ERROR))
