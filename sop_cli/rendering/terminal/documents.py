"""Draw what the document commands did in the terminal: issued documents, dry runs, the register."""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.markup import escape
from rich.table import Table

from sop_cli.rendering.terminal.base import err, out
from sop_cli.thai_calendar import format_short
from sop_cli.views.documents import IssuedDocument, IssueResult, RegisterListing, RegisterRow

KIND_TEXT = {"memo": "บันทึกข้อความ", "external_letter": "หนังสือภายนอก", "order": "คำสั่ง"}
_INDENT = "    "


def render_issue(result: IssueResult) -> None:
    """Say which documents were written (or, with --dry-run, would be) and with which numbers."""
    console = out()
    if result.dry_run:
        console.print("[yellow]dry run: nothing written, no number taken[/]")
    for doc in result.documents:
        if result.dry_run:
            _render_preview(doc)
            continue
        console.print(f"[green]✓[/] {KIND_TEXT[doc.kind]} ที่ {escape(doc.number)} → {escape(doc.path)}", soft_wrap=True)
        console.print(f"  เรื่อง {escape(doc.subject)}", soft_wrap=True)
        if doc.addressee:
            console.print(f"  เรียน {escape(doc.addressee)}", soft_wrap=True)
        if doc.evidence:
            console.print(f"  evidence of step {result.step} (sha256 {(doc.sha256 or '')[:12]})")
        else:
            console.print("  [dim]not evidence of a step: written outside the run's documents/ folder[/]")
        console.print(f"  [dim]register: {escape(doc.register_file or '')}[/]", soft_wrap=True)
    where = f"run {result.run}" if result.run else "no run"
    step = f" · step {result.step}" if result.step is not None else ""
    console.print(f"[dim]{where} · procedure {result.procedure}{step} · fiscal year {result.fy}[/]")
    warnings = err()
    for warning in result.warnings:
        warnings.print(f"[yellow]warning:[/] {escape(warning)}", soft_wrap=True)


def _render_preview(doc: IssuedDocument) -> None:
    console = out()
    console.print(
        f"{KIND_TEXT[doc.kind]} (would be ที่ {escape(doc.number)}) → {escape(doc.path)}"
        + ("" if doc.evidence else " [dim](not evidence)[/]"),
        soft_wrap=True,
    )
    console.print(f"[dim]wording from {escape(doc.template)}[/]", soft_wrap=True)
    for label, value in doc.header:
        console.print(f"{_INDENT}[bold]{escape(label)}[/] {escape(value)}", soft_wrap=True)
    for paragraph in doc.body:
        console.print(f"{_INDENT}  {escape(paragraph)}", soft_wrap=True)
    for member in doc.members:
        console.print(f"{_INDENT}    {escape(member)}", soft_wrap=True)
    if doc.closing:
        console.print(f"{_INDENT}  {escape(doc.closing)}", soft_wrap=True)


def render_register(listing: RegisterListing) -> None:
    """The outgoing register and the order register, each in number order."""
    console = out()
    year = f"พ.ศ. {listing.year}"
    if not listing.rows:
        what = f" ({KIND_TEXT.get(_kind(listing.kind), listing.kind)})" if listing.kind else ""
        console.print(f"ทะเบียน {year}{what}: no number issued")
        return
    for series, title in (("out", "ทะเบียนหนังสือส่ง"), ("order", "ทะเบียนคำสั่ง")):
        rows = [r for r in listing.rows if r.series == series]
        if rows:
            console.print(_register_table(f"{title} {year}", rows))


def _kind(kind: str | None) -> str:
    return {"letter": "external_letter"}.get(kind or "", kind or "")


def _register_table(title: str, rows: list[RegisterRow]) -> Table:
    # Two lines a row (subject over kind and addressee) with fixed narrow columns, so that the
    # table reads at 80 columns: the subject takes what is left and is clipped with an ellipsis.
    console = out()
    widths = (
        max(cell_len(r.printed) for r in rows),
        max(cell_len(format_short(r.issued)) for r in rows),
        max(len(r.run or "no run") for r in rows),
        max(cell_len(r.by.split()[0]) if r.by else 0 for r in rows),
    )
    text_width = max(20, console.width - sum(widths) - 3 * (len(widths) + 1))  # padding and rule
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("ที่", no_wrap=True, width=widths[0])
    table.add_column("ลงวันที่", no_wrap=True, width=widths[1])
    table.add_column("เรื่อง", no_wrap=True, overflow="ellipsis", width=text_width)
    table.add_column("งาน", no_wrap=True, width=widths[2])
    table.add_column("โดย", no_wrap=True, overflow="ellipsis", width=widths[3])
    for row in rows:
        second = KIND_TEXT[row.kind] + (f" · เรียน {row.to}" if row.to else "")
        if row.withdrawn:
            second += f" · ยกเลิกเลข: {row.withdrawn}"
        work = f"{row.procedure}" + (f".{row.step}" if row.step else "") + f"\n{row.run or 'no run'}"
        table.add_row(
            escape(row.printed),
            format_short(row.issued),
            f"{escape(row.subject)}\n[dim]{escape(second)}[/]",
            work,
            escape(row.by.split()[0] if row.by else ""),
        )
    return table
