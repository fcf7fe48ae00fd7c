"""Draw the procedures in the terminal: `sop list`, `sop show` and `sop check`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sop_cli.i18n import _, ngettext
from sop_cli.rendering.terminal.base import Cell, Column, err, hours_text, out, table

if TYPE_CHECKING:
    from sop_cli.models.catalog import Catalog
    from sop_cli.models.procedure import Procedure, Row, Standard, Step
    from sop_cli.views.runs import CheckResult, ProcedureSummary
from sop_cli.thai_calendar import format_short, thai_digits


def render_list(items: Sequence[ProcedureSummary]) -> None:
    """Draw the table of `sop list`: titles and work units wrap, numbers keep their width."""
    console = out()
    columns = (
        Column(_("No."), justify="right"),
        Column(_("Title"), text=True, ratio=3),
        Column(_("Work unit"), text=True, ratio=2),
        Column(_("Steps"), justify="right"),
        Column(_("Hours"), justify="right"),
    )
    rows: list[list[Cell]] = [
        [str(i.number), escape(i.short_title), escape(i.work_unit), str(i.steps), hours_text(i.hours)] for i in items
    ]
    total = ngettext("{count} procedure in all", "{count} procedures in all", len(items)).format(count=len(items))
    rows.append(
        ["", f"[bold]{escape(total)}[/]", "", str(sum(i.steps for i in items)), hours_text(sum(i.hours for i in items))]
    )
    title = _("The procedures of the supervision group (กลุ่มนิเทศ ติดตาม และประเมินผล)")
    console.print(table(columns, rows, console.width, title))


def list_json(items: Sequence[ProcedureSummary]) -> list[dict[str, Any]]:
    """The JSON form of `sop list`."""
    return [
        {
            "number": i.number,
            "short_title": i.short_title,
            "title": i.title,
            "work_unit": i.work_unit,
            "steps": i.steps,
            "hours": i.hours,
        }
        for i in items
    ]


def describe_timing(standard: Standard) -> str | None:
    """Say a standard's machine-readable deadline in Thai, or None if it has none."""
    rule = standard.timing
    if rule is None:
        return None
    match rule.kind:
        case "within_quarters":
            return "ภายในไตรมาสที่ " + ", ".join(str(q) for q in rule.quarters) + " ของปีงบประมาณ"
        case "in_months":
            from sop_cli.thai_calendar import MONTHS

            return "ในเดือน" + " และ ".join(MONTHS[m - 1] for m in rule.months)
        case "within_fiscal_year":
            return "ภายในปีงบประมาณ"
        case "before_event":
            unit = f"{rule.working_days} วันทำการ" if rule.working_days is not None else f"{rule.days} วัน"
            return f"อย่างน้อย {unit} ก่อน {rule.event}"
        case "after_event":
            return f"ภายใน {rule.working_days} วันทำการหลัง {rule.event}"
        case "after_step":
            return f"ภายใน {rule.working_days} วันทำการหลังขั้นตอนที่ {rule.step}"
        case "count_per_year":
            return f"{rule.count} {rule.what} ต่อปีงบประมาณ"
        case "response_share":
            return f"ได้รับคืนอย่างน้อยร้อยละ {rule.percent:g} ภายใน {rule.working_days} วันทำการหลัง {rule.event}"
    return None


def _item(console: Console, indent: int, head: str, body: str) -> None:
    """Print `head body` with wrapped lines of `body` hanging under its first word."""
    grid = Table.grid(padding=(0, 1, 0, 0), expand=True)
    grid.add_column(width=max(indent - 1, 0), no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row("", head, body)
    console.print(grid)


def _numbered(console: Console, section: str, items: Sequence[str]) -> None:
    for i, text in enumerate(items, start=1):
        _item(console, 2, thai_digits(f"{section}.{i}"), escape(text))


def _step(console: Console, step: Step, catalog: Catalog) -> None:
    hours = f" [dim]({hours_text(step.hours)} ชั่วโมง)[/]" if step.hours is not None else ""
    printed = f"[dim](ข้อ {escape(step.label)} ในคู่มือ)[/] " if step.label else ""
    _item(console, 4, f"[bold]{step.number}.[/]", f"{printed}{escape(step.text)}{hours}")
    if step.decision is not None:
        d = step.decision
        who = ", ".join(catalog.body_name(b) for b in d.by)
        approve = f"ต่อที่ข้อ {d.approve_to}" if d.approve_to is not None else "ต่อข้อถัดไป"
        _item(console, 7, "[yellow]◆[/]", f"[yellow]การพิจารณาโดย {escape(who)}[/]")
        _item(console, 9, "", f"[red]ไม่เห็นชอบ → กลับไปข้อ {d.reject_to}[/] · [green]เห็นชอบ → {approve}[/]")
        _item(console, 9, "", f"[dim]“{escape(d.wording)}”[/]")


def _row_block(console: Console, row: Row, catalog: Catalog) -> None:
    people = [catalog.staff_name(s) for s in row.responsible] + [catalog.body_name(b) for b in row.responsible_bodies]
    console.print(f"  [bold cyan]แถว {escape(row.label)}[/] · {hours_text(row.total_hours)} ชั่วโมง")
    for step in row.steps:
        _step(console, step, catalog)
    details = (
        ("ผังกระบวนการ:", " → ".join(row.flowchart)),
        ("มาตรฐาน:", "; ".join(row.standard)),
        ("เอกสาร:", "; ".join(f"{d.title} [{d.kind}]" for d in row.documents)),
        ("ผู้รับผิดชอบ:", ", ".join(people)),
    )
    for label, text in details:
        if text:
            _item(console, 4, f"[dim]{label}[/]", escape(text))


def render_procedure(proc: Procedure, catalog: Catalog) -> None:
    """Draw all ten parts of one procedure."""
    c = out()
    h = proc.header
    c.print(f"[bold]คู่มือการปฏิบัติงาน หมายเลขเอกสาร {thai_digits(proc.number)}[/] ({proc.number})")
    _item(c, 0, "[bold]เรื่อง:[/]", escape(h.title))
    c.print(f"สำนัก/กลุ่ม: {escape(h.work_unit)}")
    c.print(f"หน้าที่: {escape(h.page)} · วันที่เริ่มใช้: {format_short(h.effective_date)} · แก้ไขครั้งที่: {escape(h.revision)}")
    c.print(f"{len(proc.steps)} ขั้นตอน · {hours_text(proc.total_hours)} ชั่วโมง")
    c.print("\n[bold]๑. วัตถุประสงค์[/]")
    _numbered(c, "1", proc.objectives)
    c.print("\n[bold]๒. ขอบเขตงาน[/]")
    _numbered(c, "2", proc.scope)
    c.print("\n[bold]๓. คำจำกัดความ[/]")
    agency_names = {a.id: a.name for a in catalog.agencies.agencies}
    for i, d in enumerate(proc.definitions, start=1):
        _item(c, 2, thai_digits(f"3.{i}"), f"[bold]{escape(d.term)}[/] หมายถึง {escape(d.meaning)}")
        for agency in d.agencies:
            _item(c, 6, "-", escape(agency_names.get(agency, agency)))
    c.print("\n[bold]๔. หน้าที่ความรับผิดชอบ[/]")
    for i, r in enumerate(proc.responsibilities, start=1):
        roles = f" [dim]({escape(', '.join(catalog.body_name(b) for b in r.bodies))})[/]" if r.bodies else ""
        _item(c, 2, thai_digits(f"4.{i}"), f"{escape(r.text)}{roles}")
    c.print("\n[bold]๕. ขั้นตอนการปฏิบัติ[/]")
    for row in proc.rows:
        _row_block(c, row, catalog)
    c.print("\n[bold]๖. มาตรฐานงาน[/]")
    for i, s in enumerate(proc.standards, start=1):
        timing = describe_timing(s)
        suffix = f"\n[magenta]กำหนดเวลา: {escape(timing)}[/]" if timing else ""
        _item(c, 2, thai_digits(f"6.{i}"), f"{escape(s.text)}{suffix}")
    c.print("\n[bold]๗. ระบบการติดตามประเมินผล[/]")
    _item(c, 2, "", escape(proc.monitoring.text))
    for monitoring_round in proc.monitoring.rounds:
        quarters = ", ".join(str(q) for q in monitoring_round.quarters)
        _item(c, 2, "-", f"รอบ {escape(monitoring_round.name)}: ไตรมาสที่ {quarters}")
    if proc.monitoring.times_per_year:
        _item(c, 2, "-", f"{proc.monitoring.times_per_year} ครั้งต่อปีงบประมาณ")
    c.print("\n[bold]๘. เอกสารอ้างอิง[/]")
    _numbered(c, "8", proc.references)
    c.print("\n[bold]๙. แบบฟอร์มที่ใช้[/]")
    _numbered(c, "9", proc.forms)
    c.print("\n[bold]๑๐. เอกสารบันทึก[/]")
    for i, rec in enumerate(proc.records, start=1):
        _item(c, 2, thai_digits(f"10.{i}"), f"[bold]{escape(rec.document)}[/]")
        _item(c, 6, "ผู้รับผิดชอบ:", escape(rec.responsible))
        for place in rec.storage:
            _item(c, 6, "จัดเก็บ:", escape(place.place) + (f" {escape(place.url)}" if place.url else ""))
        _item(c, 6, "ระยะเวลา:", f"{escape(rec.period)} · วิธีการ: {escape(rec.method)}")
    if proc.related_laws:
        c.print("\n[bold]กฎหมายที่เกี่ยวข้อง[/]")
        for i, law in enumerate(proc.related_laws, start=1):
            _item(c, 2, f"{thai_digits(i)}.", escape(law))


def render_check(result: CheckResult) -> None:
    """Print every problem, or the one-line summary when there is none."""
    if result.ok:
        summary = _(
            "ok: {procedures} procedures, {staff} staff, {bodies} bodies, {agencies} agencies, {runs} runs, "
            "{events} events checked, no problems"
        )
        counts = {
            "procedures": result.procedures,
            "staff": result.staff,
            "bodies": result.bodies,
            "agencies": result.agencies,
            "runs": result.runs,
            "events": result.events,
        }
        out().print(summary.format(**counts), markup=False, soft_wrap=True)
        return
    console = err()
    for problem in result.problems:
        console.print(escape(str(problem)), soft_wrap=True)
    found = ngettext("{count} problem found", "{count} problems found", len(result.problems))
    console.print(found.format(count=len(result.problems)), markup=False)


def check_json(result: CheckResult) -> dict[str, Any]:
    """The JSON form of `sop check`."""
    return {
        "ok": result.ok,
        "problems": [
            {"path": p.path, "line": p.line, "column": p.column, "message": p.message} for p in result.problems
        ],
        "procedures": result.procedures,
        "staff": result.staff,
        "bodies": result.bodies,
        "agencies": result.agencies,
        "runs": result.runs,
        "events": result.events,
    }
