"""Commands that write the year's files: export, report, dossier."""

from pathlib import Path
from typing import Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import FyOption, app
from sop_cli.errors import ExitCode
from sop_cli.i18n import N_, _
from sop_cli.models.values import ExportFormat, Period
from sop_cli.rendering.terminal import base as console


@app.command("export")
def export_command(
    format: Annotated[
        ExportFormat, typer.Option("--format", help=N_("csv (two files: status, events), xlsx, json or html."))
    ],
    fy: FyOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help=N_("An existing folder, or the file to write (default: exports/FY/ in the workspace).")
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace files that already exist."))] = False,
) -> None:
    """Write the year's status and events (xlsx adds deadlines and evidence) for Excel, scripts or a browser."""
    from sop_cli.actions.export import export_year

    ws = common.workspace()
    for path in export_year(ws, common.fy(fy), format, out, common.now().date(), force):
        console.out().print(_("wrote {path}").format(path=ws.relative(path)), markup=False, soft_wrap=True)


@app.command("report")
def report_command(
    fy: FyOption = None,
    period: Annotated[
        Period, typer.Option("--period", help=N_("half: 1 October to 31 March; year: the whole fiscal year."))
    ] = Period.year,
    sop: Annotated[
        list[int] | None,
        typer.Option("--sop", metavar="N", help=N_("Only this procedure; repeat for more (default: all).")),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help=N_("The .docx to write (default: under reports/<fy>/)."))
    ] = None,
    allow_empty: Annotated[
        bool, typer.Option("--allow-empty", help=N_("Write the report even when nothing was recorded."))
    ] = False,
    force: Annotated[bool, typer.Option("--force", help=N_("Replace the file if it exists."))] = False,
) -> None:
    """Write the monitoring report of 6 months or 1 year as a Thai .docx."""
    from sop_cli.actions.report import write_report

    ws = common.workspace()
    path = write_report(ws, common.fy(fy), period, sop or [], out, common.now().date(), allow_empty, force)
    console.out().print(_("wrote {path}").format(path=ws.relative(path)), markup=False, soft_wrap=True)


dossier_app = typer.Typer(
    help=N_("The fiscal year's audit dossier: `sop dossier --out DIR` writes one, `sop dossier verify DIR` checks it."),
    invoke_without_command=True,
)
app.add_typer(dossier_app, name="dossier")


@dossier_app.callback()
def dossier_command(
    ctx: typer.Context,
    fy: FyOption = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help=N_("The folder to write: new, empty, or an earlier dossier with --force.")),
    ] = None,
    make_zip: Annotated[bool, typer.Option("--zip", help=N_("Also write DIR.zip beside the folder."))] = False,
    force: Annotated[
        bool, typer.Option("--force", help=N_("Replace an earlier dossier (and zip) that sop wrote and nothing else."))
    ] = False,
    ssh_key: Annotated[
        Path | None,
        typer.Option("--ssh-key", help=N_("Sign the manifest with this SSH private key (ssh-keygen -Y sign).")),
    ] = None,
    gpg_key: Annotated[
        str | None, typer.Option("--gpg-key", help=N_("Sign the manifest with this GPG key id."))
    ] = None,
) -> None:
    """Write the report, files, index, events and manifest of a fiscal year into a folder."""
    if ctx.invoked_subcommand is not None:
        return
    if out is None:
        raise typer.BadParameter(_("give the folder to write: --out DIR"), param_hint="--out")
    from sop_cli.actions.dossier import build_dossier
    from sop_cli.rendering.terminal.dossier import render_dossier

    ws, today = common.workspace(), common.now().date()
    render_dossier(build_dossier(ws, common.fy(fy), out, today, make_zip, force, ssh_key=ssh_key, gpg_key=gpg_key))


@dossier_app.command("verify")
def dossier_verify_command(
    folder: Annotated[Path, typer.Argument(help=N_("The dossier's folder, or its .zip."))],
    allowed_signers: Annotated[
        Path | None,
        typer.Option("--allowed-signers", help=N_("OpenSSH allowed-signers file: require a good SSH signature.")),
    ] = None,
    manifest_sha256: Annotated[
        str | None,
        typer.Option("--manifest-sha256", help=N_("The manifest's SHA-256 as recorded in the covering memo.")),
    ] = None,
) -> None:
    """Check a dossier against its manifest: each file missing, added or altered, one line each."""
    from sop_cli.actions.dossier_verify import check_dossier
    from sop_cli.rendering.terminal.dossier import render_verification

    result = check_dossier(folder, allowed_signers=allowed_signers, manifest_sha256=manifest_sha256)
    render_verification(folder, result)
    if result.problems:
        raise typer.Exit(ExitCode.USER_ERROR)
