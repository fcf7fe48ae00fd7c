"""Draw runs in the terminal: what a command changed, the status table, a timeline, the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich import box
from rich.markup import escape
from rich.table import Table

from sop_cli.rendering.terminal.base import hours_text, out
from sop_cli.thai_calendar import format_short
from sop_cli.views.status import SOON_WORKING_DAYS, DeadlineView, StatusRow

if TYPE_CHECKING:
    from sop_cli.deadlines import Deadline
    from sop_cli.views.runs import AttachmentView, Change, ClosureView, LogEntry, Timeline
    from sop_cli.working_days import Holiday

BAR_WIDTH = 8
_STATUS_TEXT = {
    "not_started": "[dim]ยังไม่เริ่ม[/]",
    "finished": "[green]เสร็จสิ้น[/]",
    "cancelled": "[dim]ยกเลิก[/]",
}
_MARK = {
    "done": "[green]✓[/]",
    "current": "[bold yellow]→[/]",
    "pending": "[dim]·[/]",
    "skipped": "[dim]↷[/]",
}


def progress_bar(done: int, total: int) -> str:
    """A fixed-width bar of block characters with the count: ████░░░░ 4/8."""
    filled = round(BAR_WIDTH * done / total) if total else 0
    colour = "green" if total and done >= total else "cyan"
    return f"[{colour}]{'█' * filled}[/][dim]{'░' * (BAR_WIDTH - filled)}[/] {done}/{total}"


def _date(value: dt.date | None) -> str:
    return format_short(value) if value else "-"


def render_change(change: Change) -> None:
    """Say what a mutating command recorded and what comes next."""
    console = out()
    for line in change.lines:
        console.print(f"[green]✓[/] {escape(line)}", soft_wrap=True)
    if change.next_step is not None:
        console.print(f"next: step {change.next_step}: {escape(change.next_text or '')}", soft_wrap=True)
    elif change.status == "finished":
        console.print(f"run {change.run} of procedure {change.procedure} is finished: every step is done")
    console.print(f"[dim]run {change.run} · procedure {change.procedure} · fiscal year {change.fy}[/]")


def render_status(rows: Sequence[StatusRow], fy: int) -> None:
    """The table of `sop status`: every procedure, its run(s), progress and who holds it.

    Each row is two lines (title over current step, bar over hours, holder over last activity)
    so that the table stays readable in an 80-column terminal.
    """
    table = Table(
        title=f"สถานะงาน ปีงบประมาณ {fy}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_lines=False,
    )
    # Every width is fixed so that Rich never squeezes the short columns: the text column takes
    # what the terminal has left, and its lines are clipped with an ellipsis.
    console = out()
    widths = (2, BAR_WIDTH + 6, 14, 6)
    text_width = max(16, console.width - sum(widths) - 2 * len(widths))
    table.add_column("ที่", justify="right", no_wrap=True, width=widths[0])
    table.add_column("งาน / ขั้นตอนปัจจุบัน", no_wrap=True, overflow="ellipsis", width=text_width)
    table.add_column("ความคืบหน้า", no_wrap=True, width=widths[1])
    table.add_column("ผู้รับผิดชอบ", no_wrap=True, width=widths[2], overflow="ellipsis")
    table.add_column("ตีกลับ", justify="right", no_wrap=True, width=widths[3])
    previous = None
    for row in rows:
        number = "" if row.procedure == previous else str(row.procedure)
        previous = row.procedure
        title = f"[bold]{escape(row.short_title)}[/]" + (f" [dim]({escape(row.label)})[/]" if row.label else "")
        if row.current_step is not None:
            current = f"{row.current_step}. {escape(row.current_text or '')}"
        else:
            current = _STATUS_TEXT.get(row.status, row.status)
        if row.problems:
            current = f"[red]⚠ {row.problems} (sop check)[/] " + current
        if row.next_deadline is not None:
            current += f"\n{deadline_text(row.next_deadline)}"
        holder = ""
        if row.holders:
            holder = escape(row.holders[0]) + (f" +{len(row.holders) - 1}" if len(row.holders) > 1 else "")
        bar = progress_bar(row.done, row.total) if row.run else f"[dim]{progress_bar(0, row.total)}[/]"
        table.add_row(
            number,
            f"{title}\n{current}",
            f"{bar}\n{hours_text(row.hours)}/{hours_text(row.planned_hours)} ชม.",
            f"{holder or '[dim]-[/]'}\n{_date(row.last_activity)}",
            str(row.rejected_rounds) if row.rejected_rounds else "[dim]-[/]",
        )
    console.print(table)
    problem = next((r.deadline_problem for r in rows if r.deadline_problem), None)
    if problem:
        console.print(f"[yellow]deadlines not shown: {escape(problem)}[/]", soft_wrap=True)


def deadline_text(d: Deadline | DeadlineView) -> str:
    """A deadline in one coloured line: its ref, its date and the working days left."""
    if d.due is None:
        return f"[dim]⏰ รอวันที่ {escape(d.waiting_for or '')} · ข้อ {d.ref}[/]"
    left = d.days_left
    if left is None:
        return f"⏰ {_date(d.due)} · ข้อ {d.ref}"
    if left < 0:
        return f"[bold red]⏰ {_date(d.due)} เกินมา {-left} วันทำการ · ข้อ {d.ref}[/]"
    colour = "yellow" if left <= SOON_WORKING_DAYS else "green"
    return f"[{colour}]⏰ {_date(d.due)} อีก {left} วันทำการ · ข้อ {d.ref}[/]"


def render_due(deadlines: Sequence[Deadline], fy: int) -> None:
    """The open deadlines of `sop due`, soonest first."""
    console = out()
    if not deadlines:
        console.print(f"no open deadline in fiscal year {fy}")
        return
    table = Table(title=f"กำหนดเวลา ปีงบประมาณ {fy}", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("กำหนด", no_wrap=True)
    table.add_column("เหลือ", justify="right", no_wrap=True)
    table.add_column("ที่", justify="right", no_wrap=True)
    table.add_column("ข้อ", no_wrap=True)
    table.add_column("ข้อความในคู่มือ", ratio=1, min_width=20)
    table.add_column("ผู้รับผิดชอบ", max_width=14)
    for d in deadlines:
        if d.due is None:
            when, left = f"[dim]รอวันที่ {escape(d.waiting_for or '')}[/]", ""
        else:
            days = d.days_left if d.days_left is not None else 0
            colour = "bold red" if days < 0 else "yellow" if days <= SOON_WORKING_DAYS else "green"
            when, left = _date(d.due), f"[{colour}]{days}[/]"
        run = f" [dim]run {d.run}[/]" if d.run else ""
        detail = f" [dim]({escape(d.detail)})[/]" if d.detail else ""
        people = escape(d.persons[0]) + (f" +{len(d.persons) - 1}" if len(d.persons) > 1 else "") if d.persons else "-"
        table.add_row(when, left, str(d.procedure), d.ref, escape(d.text) + detail + run, people)
    console.print(table)


def render_holidays(days: Sequence[Holiday], fy: int) -> None:
    """The days off of a fiscal year."""
    table = Table(title=f"วันหยุดราชการ ปีงบประมาณ {fy}", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("วันที่", no_wrap=True)
    table.add_column("วัน", no_wrap=True)
    table.add_column("ชื่อ", ratio=1)
    weekdays = ("จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์", "อาทิตย์")
    for day in days:
        name = escape(day.name) + (f" [dim](เพิ่มโดยสำนักงาน: {escape(day.reason)})[/]" if day.reason else "")
        table.add_row(_date(day.date), weekdays[day.date.weekday()], name)
    out().print(table)


def _closure_line(c: ClosureView) -> str:
    what = {"done": "[green]เสร็จ[/]", "approved": "[green]เห็นชอบ[/]", "rejected": "[red]ไม่เห็นชอบ[/]"}[c.outcome]
    parts = [f"รอบ {c.round}: {what} {_date(c.date)} โดย {escape(c.by)}", f"[dim]({c.event})[/]"]
    if c.forced:
        parts.append(f"[yellow]นอกลำดับ: {escape(c.reason or '')}[/]")
    elif c.reason:
        parts.append(f"เหตุผล: {escape(c.reason)}")
    if c.note:
        parts.append(f"บันทึก: {escape(c.note)}")
    return " ".join(parts)


def _attachment_line(a: AttachmentView) -> str:
    if a.evidence is not None:
        what = f"หลักฐาน: {escape(a.evidence)}"
    elif a.hours is not None:
        what = f"ชั่วโมง: {hours_text(a.hours)}"
    else:
        what = f"บันทึก: {escape(a.note or '')}"
    return f"{what} [dim]· {_date(a.date)} · {escape(a.by)} ({a.event})[/]"


def render_timeline(t: Timeline) -> None:
    """Every step of one run with its state, dates, actors, notes, evidence, hours and rounds."""
    c = out()
    label = f" '{escape(t.label)}'" if t.label else ""
    c.print(f"[bold]{t.procedure}. {escape(t.short_title)}[/] · run {t.run}{label} · ปีงบประมาณ {t.fy}")
    state = _STATUS_TEXT.get(t.status, "[yellow]กำลังดำเนินการ[/]")
    c.print(
        f"{state} · เริ่ม {_date(t.started_on)} โดย {escape(t.started_by or '-')} · รอบที่ {t.round} · "
        f"ชั่วโมง {hours_text(t.hours)}/{hours_text(t.planned_hours)}"
    )
    if t.cancel_reason:
        c.print(f"[dim]ยกเลิก: {escape(t.cancel_reason)}[/]")
    for problem in t.problems:
        c.print(f"[red]⚠ {escape(problem)}[/] (run `sop check`)", soft_wrap=True)
    c.print()
    for step in t.steps:
        printed = f" [dim](ข้อ {escape(step.label)})[/]" if step.label else ""
        decision = " [yellow]◆[/]" if step.is_decision else ""
        c.print(f"{_MARK[step.state]} [bold]{step.number}.[/]{printed}{decision} {escape(step.text)}")
        for closure in step.closures:
            c.print(f"     {_closure_line(closure)}")
        for attachment in step.attachments:
            c.print(f"     {_attachment_line(attachment)}")
    if t.run_attachments:
        c.print("\n[bold]ของทั้งงาน[/]")
        for attachment in t.run_attachments:
            c.print(f"     {_attachment_line(attachment)}")
    if t.rejections:
        c.print(f"\n[bold]ตีกลับ {len(t.rejections)} ครั้ง[/]")
        for r in t.rejections:
            c.print(f"  รอบ {r.round}: {_date(r.date)} โดย {escape(r.by)}: {escape(r.reason or '')}")


def render_log(entries: Sequence[LogEntry]) -> None:
    """The event history, newest first."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("วันที่", no_wrap=True)
    table.add_column("เหตุการณ์", no_wrap=True)
    table.add_column("ที่", justify="right", no_wrap=True)
    table.add_column("run", no_wrap=True)
    table.add_column("โดย", no_wrap=True, overflow="ellipsis", max_width=20)
    table.add_column("รายละเอียด", ratio=1)
    for e in entries:
        summary = escape(e.summary)
        if e.voided:
            summary = f"[strike dim]{summary}[/] [red](void)[/]"
        table.add_row(_date(e.date), e.event, str(e.procedure), e.run, escape(e.by), summary)
    if not entries:
        out().print("no events")
        return
    out().print(table)
