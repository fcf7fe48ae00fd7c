"""Draw what the document commands did in the terminal: issued documents, dry runs, the register."""

from __future__ import annotations

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from sop_cli.i18n import N_, _, ngettext
from sop_cli.models.document_kinds import RegisterKind
from sop_cli.rendering.terminal.base import Cell, Column, err, out, table
from sop_cli.rendering.terminal.wrap import hanging
from sop_cli.thai_calendar import format_short
from sop_cli.views.documents import (
    IssuedDocument,
    IssueResult,
    ReceivedRow,
    ReceiveResult,
    RegisterListing,
    RegisterRow,
)

KIND_TEXT = {"memo": N_("memo"), "external_letter": N_("external letter"), "order": N_("order")}
_INDENT = "    "


def kind_text(kind: str) -> str:
    """The name of a kind of document in the person's language: บันทึกข้อความ, หนังสือภายนอก, คำสั่ง."""
    return _(KIND_TEXT[kind]) if kind in KIND_TEXT else kind


def render_issue(result: IssueResult) -> None:
    """Say which documents were written (or, with --dry-run, would be) and with which numbers."""
    console = out()
    width = console.width
    if result.dry_run:
        console.print(Text(_("dry run: nothing written, no number taken"), style="yellow"))
    for doc in result.documents:
        if result.dry_run:
            _render_preview(doc)
            continue
        number = _("{kind} no. {number}").format(kind=kind_text(doc.kind), number=doc.number)
        console.print(hanging("[green]✓[/] ", f"{number} → {doc.path}", width, 2), soft_wrap=True)
        if doc.version > 1:
            version = _("corrected version {version}: the earlier versions stay in the register as history")
            console.print(hanging("  ", version.format(version=doc.version), width, 4), soft_wrap=True)
        console.print(hanging("  ", _("subject: {subject}").format(subject=doc.subject), width, 4), soft_wrap=True)
        if doc.addressee:
            to = _("to: {addressee}").format(addressee=doc.addressee)
            console.print(hanging("  ", to, width, 4), soft_wrap=True)
        if doc.distribution:
            sent = ngettext(
                "sent to {count} agency: {names}", "sent to {count} agencies: {names}", len(doc.distribution)
            )
            listed = sent.format(count=len(doc.distribution), names=", ".join(doc.distribution))
            console.print(hanging("  ", listed, width, 4), soft_wrap=True)
        if doc.pdf:
            made = _("PDF/A → {path} (sha256 {sha})").format(path=doc.pdf, sha=(doc.pdf_sha256 or "")[:12])
            console.print(hanging("  ", made, width, 4), soft_wrap=True)
        if doc.evidence:
            evidence = _("evidence of step {step} (sha256 {sha})").format(step=result.step, sha=(doc.sha256 or "")[:12])
            console.print("  " + evidence, markup=False, soft_wrap=True)
        else:
            note = _("not evidence of a step: written outside the run's documents/ folder")
            console.print(Text("  " + note, style="dim"), soft_wrap=True)
        register = _("register: {file}").format(file=doc.register_file or "")
        console.print(Text("  " + register, style="dim"), soft_wrap=True)
    if result.run:
        where = _("run {run} · procedure {procedure}").format(run=result.run, procedure=result.procedure)
    else:
        where = _("no run · procedure {procedure}").format(procedure=result.procedure)
    if result.step is not None:
        where += " · " + _("step {step}").format(step=result.step)
    where += " · " + _("fiscal year {fy}").format(fy=result.fy)
    console.print(Text(where, style="dim"), soft_wrap=True)
    if result.claimed:
        console.print(Text(_("the number is the office's: its server has it"), style="dim"), soft_wrap=True)
    warnings = err()
    for warning in result.warnings:
        warnings.print(hanging(Text(_("warning:") + " ", style="yellow"), warning, warnings.width), soft_wrap=True)


def render_receive(result: ReceiveResult) -> None:
    """Say which incoming number a received letter got, where its copy is and what it belongs to."""
    console = out()
    width = console.width
    if result.dry_run:
        console.print(Text(_("dry run: nothing written, no number taken"), style="yellow"))
        would = _("the letter would be received as no. {number}").format(number=result.number)
        console.print(hanging("", would, width, 2), soft_wrap=True)
        return
    received = _("received as no. {number} → {path}").format(number=result.number, path=result.path or "")
    console.print(hanging("[green]✓[/] ", received, width, 2), soft_wrap=True)
    if result.run is not None and result.step is not None:
        evidence = _("evidence of step {step} (sha256 {sha})").format(step=result.step, sha=(result.sha256 or "")[:12])
        console.print("  " + evidence, markup=False, soft_wrap=True)
    console.print(
        Text("  " + _("register: {file}").format(file=result.register_file or ""), style="dim"), soft_wrap=True
    )
    if result.run:
        where = _("run {run} · procedure {procedure}").format(run=result.run, procedure=result.procedure)
        if result.started:
            where = _("started run {run} of procedure {procedure}").format(run=result.run, procedure=result.procedure)
    else:
        where = _("no run · procedure {procedure}").format(procedure=result.procedure)
    if result.step is not None:
        where += " · " + _("step {step}").format(step=result.step)
    where += " · " + _("fiscal year {fy}").format(fy=result.fy)
    console.print(Text(where, style="dim"), soft_wrap=True)
    if result.claimed:
        console.print(Text(_("the number is the office's: its server has it"), style="dim"), soft_wrap=True)
    for warning in result.warnings:
        err().print(_("warning: {message}").format(message=warning), markup=False, soft_wrap=True)


def _render_preview(doc: IssuedDocument) -> None:
    console = out()
    width = console.width
    would = _("{kind} (would be no. {number}) → {path}").format(
        kind=kind_text(doc.kind), number=doc.number, path=doc.path
    )
    line = Text(would)
    if not doc.evidence:
        line.append(" " + _("(not evidence)"), style="dim")
    console.print(hanging("", line, width, 2), soft_wrap=True)
    console.print(Text(_("wording from {template}").format(template=doc.template), style="dim"), soft_wrap=True)
    if doc.pdf:
        console.print(Text(_("and a PDF/A beside it: {path}").format(path=doc.pdf), style="dim"), soft_wrap=True)
    if doc.version > 1:
        console.print(Text(_("corrected version {version}").format(version=doc.version), style="dim"), soft_wrap=True)
    for i, name in enumerate(doc.distribution, 1):
        console.print(hanging(_INDENT + "    ", f"{i}. {name}", width), soft_wrap=True)
    for label, value in doc.header:
        console.print(hanging(Text(f"{_INDENT}{label} ", style="bold"), value, width), soft_wrap=True)
    for paragraph in doc.body:
        console.print(hanging(_INDENT + "  ", paragraph, width, len(_INDENT)), soft_wrap=True)
    for member in doc.members:
        console.print(hanging(_INDENT + "    ", member, width), soft_wrap=True)
    if doc.closing:
        console.print(hanging(_INDENT + "  ", doc.closing, width, len(_INDENT)), soft_wrap=True)


def render_register(listing: RegisterListing) -> None:
    """The outgoing, circular and order registers, each in number order, then the incoming register."""
    console = out()
    if not listing.rows and not listing.received:
        if listing.kind == "incoming":
            what = _("no letter was received in {year}").format(year=listing.year)
        elif listing.kind:
            what = _("no {kind} was numbered in {year}").format(kind=kind_text(_kind(listing.kind)), year=listing.year)
        else:
            what = _("no number was issued in {year}").format(year=listing.year)
        console.print(what, markup=False)
        return
    titles = (
        ("out", N_("Outgoing register, {year}")),
        ("circular", N_("Circulars (ว), {year}")),
        ("order", N_("Order register, {year}")),
    )
    for series, title in titles:
        rows = [r for r in listing.rows if r.series == series]
        if rows:
            console.print(_register_table(_(title).format(year=listing.year), rows, console.width))
    if listing.received:
        title = _("Incoming register, {year}").format(year=listing.year)
        console.print(_received_table(title, list(listing.received), console.width))


def _kind(kind: str | None) -> str:
    if not kind:
        return ""
    return RegisterKind(kind).document or kind  # circulars are letters; the letters received are their own


def withdrawn_text(reason: str) -> str:
    """Why a number was withdrawn, as the register shows it ("interrupted" is sop's own reason)."""
    if reason == "interrupted":
        return _("the command stopped after the office's server had the number")
    return reason


def _register_table(title: str, rows: list[RegisterRow], width: int) -> Table:
    # Two lines a row (subject over kind and addressee, procedure.step over run): the numbers and
    # dates keep their width, the subject wraps.
    columns = (
        Column(_("No.")),
        Column(_("Dated")),
        Column(_("Subject"), text=True),
        Column(_("Work")),
        Column(_("By")),
    )
    cells: list[list[Cell]] = []
    for row in rows:
        second = kind_text(row.kind) + (" · " + _("to: {addressee}").format(addressee=row.to) if row.to else "")
        if row.distribution:
            second += " · " + ngettext(
                "sent to {count} agency", "sent to {count} agencies", len(row.distribution)
            ).format(count=len(row.distribution))
        if row.versions > 1:
            second += " · " + _("version {version} of {versions}: {reason}").format(
                version=row.version, versions=row.versions, reason=row.corrected or ""
            )
        if row.pdf:
            second += " · PDF/A"
        if row.withdrawn:
            second += " · " + _("number withdrawn: {reason}").format(reason=withdrawn_text(row.withdrawn))
        work = f"{row.procedure}" + (f".{row.step}" if row.step else "") + "\n" + (row.run or _("no run"))
        subject = Text(row.subject)
        subject.append("\n" + second, style="dim")
        cells.append(
            [
                escape(row.printed),
                format_short(row.issued),
                subject,
                escape(work),
                escape(row.by.split()[0] if row.by else ""),
            ]
        )
    return table(columns, cells, width, title)


def _received_table(title: str, rows: list[ReceivedRow], width: int) -> Table:
    # As the register book: the incoming number and day, then what the letter is (sender, their
    # number and date over the subject), the procedure.step and run it belongs to, who recorded it.
    columns = (
        Column(_("No.")),
        Column(_("Received")),
        Column(_("Letter"), text=True),
        Column(_("Work")),
        Column(_("By")),
    )
    cells: list[list[Cell]] = []
    for row in rows:
        letter = Text(row.subject)
        what = _("from {sender}, no. {number} of {date}").format(
            sender=row.sender, number=row.their_number, date=format_short(row.their_date)
        )
        if row.withdrawn:
            what += " · " + _("number withdrawn: {reason}").format(reason=withdrawn_text(row.withdrawn))
        letter.append("\n" + what, style="dim")
        work = f"{row.procedure}" + (f".{row.step}" if row.step else "") + "\n" + (row.run or _("no run"))
        cells.append(
            [
                escape(row.printed),
                format_short(row.received),
                letter,
                escape(work),
                escape(row.by.split()[0] if row.by else ""),
            ]
        )
    return table(columns, cells, width, title)
