"""Commands of official documents and registers: memo, letter, order, receive, register."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from sop_cli.cli import common
from sop_cli.cli.common import (
    ByOption,
    DateOption,
    DateReasonOption,
    FyOption,
    ListFormat,
    NumberArgument,
    RunOption,
    app,
)
from sop_cli.i18n import N_, _
from sop_cli.models.document_kinds import RegisterKind
from sop_cli.rendering.terminal import base as console

if TYPE_CHECKING:
    from sop_cli.actions.documents import Signing


StepOption = Annotated[
    int | None,
    typer.Option("--step", min=1, help=N_("The step the document belongs to (default: the run's current step).")),
]
SubjectOption = Annotated[
    str | None,
    typer.Option("--subject", callback=common.one_line, help=N_("The subject (เรื่อง) instead of the template's.")),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        help=N_("A .docx file or an existing folder instead of the run's documents/ (outside it: not evidence)."),
    ),
]
DryRunOption = Annotated[
    bool, typer.Option("--dry-run", help=N_("Print the wording and where it would go; take no number, write nothing."))
]
NoRunOption = Annotated[
    bool,
    typer.Option("--no-run", help=N_("Without a run: still numbered and registered, written to documents/<year>/.")),
]
PdfOption = Annotated[
    bool | None,
    typer.Option(
        "--pdf/--no-pdf",
        help=N_("Also write a PDF/A beside the .docx through LibreOffice (default: sop.toml [documents] pdf)."),
    ),
]
CorrectOption = Annotated[
    str | None,
    typer.Option(
        "--correct",
        callback=common.one_line,
        help=N_("Reissue a corrected document under this number ('ศธ 0288/12'); the first version stays as history."),
    ),
]
ReasonOption = Annotated[
    str | None,
    typer.Option("--reason", callback=common.paragraphs, help=N_("Why the document is corrected (with --correct).")),
]
ActingOption = Annotated[
    str | None,
    typer.Option(
        "--acting",
        callback=common.one_line,
        help=N_("Signed for the head: ปฏิบัติราชการแทน (on-behalf) or รักษาราชการแทน (acting)."),
    ),
]
ActingForOption = Annotated[
    str | None,
    typer.Option(
        "--acting-for",
        callback=common.one_line,
        help=N_("The position signed for (default: sop.toml's signatory_acting_for, else the office's head)."),
    ),
]
SignatoryOption = Annotated[
    str | None,
    typer.Option(
        "--signatory",
        callback=common.one_line,
        help=N_("Who signs, with the title before the name (needs --position)."),
    ),
]
PositionOption = Annotated[
    list[str] | None,
    typer.Option("--position", callback=common.one_line, help=N_("A position line of the signatory; repeat for more.")),
]


def _signing(
    acting: str | None, acting_for: str | None, signatory: str | None, position: list[str] | None
) -> "Signing | None":
    from sop_cli.actions.documents import Signing

    if acting is None and acting_for is None and signatory is None and not position:
        return None
    return Signing(acting, acting_for, signatory, tuple(position or ()))


@app.command("memo")
def memo_command(
    number: NumberArgument,
    step: StepOption = None,
    run: RunOption = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to", callback=common.one_line, help=N_("Addressee after เรียน (default: sop.toml [office] addressee).")
        ),
    ] = None,
    subject: SubjectOption = None,
    body_file: Annotated[
        Path | None,
        typer.Option(
            "--body-file", help=N_("UTF-8 text whose paragraphs (blank-line separated) replace the template's.")
        ),
    ] = None,
    out: OutOption = None,
    pdf: PdfOption = None,
    correct: CorrectOption = None,
    reason: ReasonOption = None,
    acting: ActingOption = None,
    acting_for: ActingForOption = None,
    signatory: SignatoryOption = None,
    position: PositionOption = None,
    dry_run: DryRunOption = False,
    no_run: NoRunOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Write a memo (บันทึกข้อความ) of a step as .docx, numbered from the register, as evidence of the step."""
    from sop_cli.actions.documents import issue_memo
    from sop_cli.rendering.terminal.documents import render_issue

    result = issue_memo(
        common.workspace(),
        number,
        common.actor(by),
        fy=common.fy(fy),
        run=run,
        step=step,
        to=to,
        subject=subject,
        body_file=body_file,
        out=out,
        dry_run=dry_run,
        no_run=no_run,
        pdf=pdf,
        correct=correct,
        reason=reason,
        signing=_signing(acting, acting_for, signatory, position),
    )
    render_issue(result)


@app.command("letter")
def letter_command(
    number: NumberArgument,
    to: Annotated[list[str], typer.Option("--to", help=N_("Agency id from sops/agencies.yaml; repeat for more."))],
    step: StepOption = None,
    run: RunOption = None,
    subject: SubjectOption = None,
    enclosure: Annotated[
        list[str] | None,
        typer.Option("--enclosure", callback=common.one_line, help=N_("A line of สิ่งที่ส่งมาด้วย; repeat for more.")),
    ] = None,
    copies: Annotated[
        bool, typer.Option("--copies", help=N_("One letter to the first --to, the others under สำเนาส่ง."))
    ] = False,
    circular: Annotated[
        bool,
        typer.Option(
            "--circular", help=N_("One circular (ที่ …/ว n, its own running number) to every --to, with their list.")
        ),
    ] = False,
    addressee: Annotated[
        str | None,
        typer.Option(
            "--addressee",
            callback=common.one_line,
            help=N_("เรียน of a circular, such as ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษาทุกเขต."),
        ),
    ] = None,
    out: OutOption = None,
    pdf: PdfOption = None,
    correct: CorrectOption = None,
    reason: ReasonOption = None,
    acting: ActingOption = None,
    acting_for: ActingForOption = None,
    signatory: SignatoryOption = None,
    position: PositionOption = None,
    dry_run: DryRunOption = False,
    no_run: NoRunOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Write external letters (หนังสือภายนอก) to agencies as .docx: one per agency, one with --copies, or a circular."""
    from sop_cli.actions.documents import issue_letter
    from sop_cli.rendering.terminal.documents import render_issue

    result = issue_letter(
        common.workspace(),
        number,
        common.actor(by),
        fy=common.fy(fy),
        run=run,
        step=step,
        to_agencies=to,
        subject=subject,
        enclosures=enclosure or [],
        copies=copies,
        circular=circular,
        addressee=addressee,
        out=out,
        dry_run=dry_run,
        no_run=no_run,
        pdf=pdf,
        correct=correct,
        reason=reason,
        signing=_signing(acting, acting_for, signatory, position),
    )
    render_issue(result)


@app.command("order")
def order_command(
    number: NumberArgument,
    members: Annotated[
        Path, typer.Option("--members", help=N_("YAML or CSV of members: name, position, role, duties."))
    ],
    step: StepOption = None,
    run: RunOption = None,
    subject: SubjectOption = None,
    out: OutOption = None,
    pdf: PdfOption = None,
    correct: CorrectOption = None,
    reason: ReasonOption = None,
    acting: ActingOption = None,
    acting_for: ActingForOption = None,
    signatory: SignatoryOption = None,
    position: PositionOption = None,
    dry_run: DryRunOption = False,
    no_run: NoRunOption = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Write an order (คำสั่ง) appointing a committee as .docx, numbered n/year, as evidence of the step."""
    from sop_cli.actions.documents import issue_order
    from sop_cli.rendering.terminal.documents import render_issue

    result = issue_order(
        common.workspace(),
        number,
        common.actor(by),
        fy=common.fy(fy),
        run=run,
        step=step,
        members_file=members,
        subject=subject,
        out=out,
        dry_run=dry_run,
        no_run=no_run,
        pdf=pdf,
        correct=correct,
        reason=reason,
        signing=_signing(acting, acting_for, signatory, position),
    )
    render_issue(result)


@app.command("receive")
def receive_command(
    number: NumberArgument,
    file: Annotated[str, typer.Argument(callback=common.one_line, help=N_("The letter's file (a PDF or a scan)."))],
    sender: Annotated[
        str, typer.Option("--from", callback=common.one_line, help=N_("Who sent it (จาก): the agency or person."))
    ],
    their_number: Annotated[
        str, typer.Option("--their-number", callback=common.one_line, help=N_("Its number as printed (ที่)."))
    ],
    their_date: Annotated[str, typer.Option("--their-date", help=N_("Its date (ลงวันที่): 2569-11-20 or 2026-11-20."))],
    subject: Annotated[str, typer.Option("--subject", callback=common.one_line, help=N_("Its subject (เรื่อง)."))],
    step: Annotated[
        int | None,
        typer.Option("--step", min=1, help=N_("The step it starts or answers (default: the run's current step).")),
    ] = None,
    run: RunOption = None,
    start: Annotated[
        bool,
        typer.Option("--start", help=N_("The letter starts the procedure: open a run with it (step 1 by default).")),
    ] = False,
    label: Annotated[
        str | None, typer.Option("--label", callback=common.one_line, help=N_("Name of the run --start opens."))
    ] = None,
    no_run: Annotated[
        bool,
        typer.Option("--no-run", help=N_("Without a run: registered, its copy kept in documents/<year>/received/.")),
    ] = False,
    date: DateOption = None,
    date_reason: DateReasonOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help=N_("Print the incoming number it would take; write nothing."))
    ] = False,
    by: ByOption = None,
    fy: FyOption = None,
) -> None:
    """Record a letter the office received (ทะเบียนหนังสือรับ) with its incoming number, as evidence of a step."""
    from sop_cli.actions.receive import Letter, Where, receive_letter
    from sop_cli.rendering.terminal.documents import render_receive

    dated = common.date(their_date)
    assert dated is not None
    result = receive_letter(
        common.workspace(),
        number,
        common.actor(by),
        Letter(file, sender, their_number, dated, subject),
        Where(
            fy=common.fy(fy) if fy is not None else None, run=run, step=step, start=start, label=label, no_run=no_run
        ),
        date=common.date(date),
        date_reason=date_reason,
        dry_run=dry_run,
    )
    render_receive(result)


register_app = typer.Typer(
    help=N_("The registers: `sop register` lists them, `sop register withdraw` withdraws a number."),
    invoke_without_command=True,
)
app.add_typer(register_app, name="register")


@register_app.callback()
def register_command(
    ctx: typer.Context,
    year: Annotated[
        int | None, typer.Option("--year", help=N_("Calendar year in the Buddhist Era (default: this year)."))
    ] = None,
    kind: Annotated[
        RegisterKind | None,
        typer.Option("--kind", help=N_("Only memos, letters, circulars, orders or the letters received.")),
    ] = None,
    format: Annotated[ListFormat, typer.Option("--format", help=N_("table or json."))] = ListFormat.table,
) -> None:
    """List the numbers issued (outgoing, circulars, orders) and the letters received in a calendar year."""
    if ctx.invoked_subcommand is not None:
        return
    from sop_cli.actions.register import register_listing
    from sop_cli.rendering.terminal.documents import render_register

    listing = register_listing(common.workspace(), common.now().date(), year=year, kind=kind)
    if format is ListFormat.json:
        console.print_json(console.as_json(listing))
    else:
        render_register(listing)


@register_app.command("withdraw")
def register_withdraw_command(
    number: Annotated[
        str,
        typer.Argument(
            help=N_("The number: 12, 'ศธ 0288/12', a circular's 'ศธ 0288/ว 12', an order's 3/2569, 'รับ 12'.")
        ),
    ],
    reason: Annotated[
        str, typer.Option("--reason", callback=common.paragraphs, help=N_("Why the number is withdrawn (ยกเลิกเลข)."))
    ],
    year: Annotated[
        int | None, typer.Option("--year", help=N_("Calendar year in the Buddhist Era (default: this year)."))
    ] = None,
    entry: Annotated[
        str | None, typer.Option("--entry", help=N_("Which register file, when the number was issued twice."))
    ] = None,
    gap: Annotated[
        bool,
        typer.Option("--gap", help=N_("The number was never issued here (a gap `sop check` reports): explain it.")),
    ] = False,
    by: ByOption = None,
) -> None:
    """Withdraw a number (ยกเลิกเลข): it stays in the register, marked, and is never issued again."""
    from sop_cli.actions.register import withdraw_number

    done = withdraw_number(common.workspace(), common.actor(by), number, reason, year=year, entry=entry, gap=gap)
    message = _("withdrew {number} ({subject}); recorded in {path}")
    console.out().print(
        message.format(number=done.number, subject=done.subject, path=done.path), markup=False, soft_wrap=True
    )
    for warning in done.warnings:
        console.err().print(_("warning: {message}").format(message=warning), markup=False, soft_wrap=True)
