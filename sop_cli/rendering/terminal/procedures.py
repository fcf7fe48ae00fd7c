"""Draw the procedures in the terminal: `sop list`, `sop show` and `sop check`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from sop_cli.i18n import _, ngettext
from sop_cli.rendering import words
from sop_cli.rendering.terminal.base import Cell, Column, as_json, err, hours_text, out, table
from sop_cli.rendering.terminal.wrap import hanging
from sop_cli.thai_calendar import MONTHS, arabic_digits, format_short, thai_digits
from sop_cli.views.questions import QuestionView

if TYPE_CHECKING:
    from sop_cli.models.catalog import Catalog
    from sop_cli.models.procedure import Procedure, Row, Section, Standard, Step, TimedStatement
    from sop_cli.views.runs import CheckResult, ProcedureSummary

# The parts of the form and the numbering styles are compared by their names (Section and
# Numbering are string enums): importing the models at the top would cost `sop list` pydantic.


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


def _event(code: str) -> str:
    # The manual is Thai whatever the person's language: its events by their Thai names (which
    # `sop schedule --event` also takes).
    return words.word(words.SCHEDULED_EVENT, code, "th")


def describe_timing(standard: Standard | TimedStatement) -> str | None:
    """Say a standard's machine-readable deadline in Thai, or None if it has none."""
    rule = standard.timing
    if rule is None:
        return None
    match rule.kind:
        case "within_quarters":
            return "ภายในไตรมาสที่ " + ", ".join(str(q) for q in rule.quarters) + " ของปีงบประมาณ"
        case "in_months":
            return "ในเดือน" + " และ ".join(MONTHS[m - 1] for m in rule.months)
        case "within_fiscal_year":
            return "ภายในปีงบประมาณ"
        case "before_event":
            unit = f"{rule.working_days} วันทำการ" if rule.working_days is not None else f"{rule.days} วัน"
            event = _event(rule.event)
            anchor = f"{event} (วันที่ข้อ {thai_digits(rule.step)} เสร็จ)" if rule.step is not None else event
            text = f"ไม่ช้ากว่า {unit} ก่อน {anchor}"
            if rule.percent is not None:
                text += f" ให้ครบร้อยละ {rule.percent:g}"
            return text
        case "after_event":
            return f"ภายใน {rule.working_days} วันทำการหลัง{_event(rule.event)}"
        case "after_step":
            return f"ภายใน {rule.working_days} วันทำการหลังขั้นตอนที่ {rule.step}"
        case "count_per_year":
            return f"{rule.count} {rule.what} ต่อปีงบประมาณ"
        case "response_share":
            after = _event(rule.event)
            return f"ได้รับคืนอย่างน้อยร้อยละ {rule.percent:g} ภายใน {rule.working_days} วันทำการหลัง{after}"
        case "each_quarter":
            return "ทุกไตรมาส (สิ้นเดือนธันวาคม มีนาคม มิถุนายน กันยายน)"
        case "each_month":
            return "ทุกเดือน (ภายในสิ้นเดือน)"
    return None


def _item(console: Console, indent: int, head: str, body: str) -> None:
    """Print `head body` (markup) `indent` cells in, wrapped lines of `body` hanging under its first word.

    Wrapped by sop's own wrapper, never by a Rich grid: Thai breaks between words, a link gets a
    line of its own and nothing is cut with "…" (at 80 columns a grid cut 44 lines of the manual).
    """
    label = " " * indent + (f"{head} " if head else "")
    console.print(hanging(label, Text.from_markup(body), console.width), soft_wrap=True)


def _mark(proc: Procedure, section: Section, index: int, count: int) -> str:
    """The mark the manual prints before item `index` (from 1) of a list of `count` items.

    Without a `numbering` of its own, a list of several items is numbered ๖.๑, ๖.๒ … and a lone
    item (a paragraph, as most one-item parts are printed) has no number; the rows of the records
    table (part ๑๐) have none either, unless the manual numbers them.
    """
    default = "section" if count > 1 and section != "records" else "none"
    style = proc.numbering.get(section, default)
    if style == "section":
        return thai_digits(f"{proc.section_number(section)}.{index}")
    if style == "plain":
        return thai_digits(f"{index}.")
    return "-" if style == "bullet" else ""


def _list(console: Console, proc: Procedure, section: Section, items: Sequence[str]) -> None:
    for i, text in enumerate(items, start=1):
        _item(console, 2, _mark(proc, section, i, len(items)), escape(text))


def _step_mark(proc: Procedure, step: Step) -> str:
    """The step's number as the manual prints it, with sop's number where they differ."""
    label = proc.step_label(step.number)
    # The manual writes "๑." for a step and "๑.๑" for a numbered sub-step (procedures ๖, ๑๑).
    printed = f"[bold]{escape(label)}{'' if '.' in label else '.'}[/]"
    return printed if label == thai_digits(step.number) else f"{printed} [dim](--step {step.number})[/]"


def _ref(proc: Procedure, number: int) -> str:
    """Another step named as the manual numbers it, with sop's number where they differ."""
    label = proc.step_label(number)
    return escape(label) if label == thai_digits(number) else f"{escape(label)} (--step {number})"


def _decision_lines(console: Console, proc: Procedure, step: Step, catalog: Catalog) -> None:
    d = step.decision
    assert d is not None
    who = ", ".join(catalog.body_name(b) for b in d.by)
    drawn = {"flowchart": " (ในผังกระบวนการ)", "standard": " (ตามมาตรฐานการปฏิบัติงาน)"}.get(d.source, "")
    after = d.approve_to if d.approve_to is not None else step.number + 1
    go_on = f"ต่อที่ข้อ {_ref(proc, after)}" if after in {s.number for s in proc.steps} else "ต่อข้อถัดไป"
    if d.kind == "revise":
        target = step.revision_step
        assert target is not None
        where = "ปรับปรุงที่ข้อนี้" if target == step.number else f"ปรับปรุงที่ข้อ {_ref(proc, target)}"
        rejected = f"{where} แล้ว{go_on} โดยไม่ต้องพิจารณาอีก"
    else:
        assert d.reject_to is not None
        rejected = f"กลับไปข้อ {_ref(proc, d.reject_to)} แล้วเสนอพิจารณาใหม่"
    _item(console, 7, "[yellow]◆[/]", f"[yellow]การพิจารณาโดย {escape(who)}{drawn}[/]")
    _item(
        console,
        9,
        "",
        f"[red]{escape(d.reject_label)} → {rejected}[/] · [green]{escape(d.approve_label)} → {go_on}[/]",
    )
    _item(console, 9, "", f"[dim]“{escape(d.wording)}”[/]")


def _step(console: Console, proc: Procedure, step: Step, catalog: Catalog) -> None:
    hours = f" [dim]({hours_text(step.hours)} ชั่วโมง)[/]" if step.hours is not None else ""
    _item(console, 4, _step_mark(proc, step), f"{escape(step.text)}{hours}")
    for sub in step.substeps:
        _item(console, 8, escape(sub.label) if sub.label else "-", escape(sub.text))
    decision = proc.conditional_steps().get(step.number)
    if decision is not None:
        d = proc.step(decision).decision
        assert d is not None
        when = f"เฉพาะกรณี{escape(d.reject_label)}ที่ข้อ {_ref(proc, decision)}"
        _item(console, 7, "[yellow]◇[/]", f"[yellow]{when} ({escape(d.approve_label)}: ข้ามข้อนี้)[/]")
    if step.decision is not None:
        _decision_lines(console, proc, step, catalog)


def _row_block(console: Console, proc: Procedure, row: Row, catalog: Catalog) -> None:
    people = [catalog.staff_name(s) for s in row.responsible] + [catalog.body_name(b) for b in row.responsible_bodies]
    # A row without an hour figure in the manual shows a dash, not a made-up 0.
    hours = f"{hours_text(row.total_hours)} ชั่วโมง" if row.has_hours else "–"
    console.print(f"  [bold cyan]ลำดับที่ {escape(row.label)}[/] · ระยะเวลาดำเนินการ {hours}")
    cycles = proc.cycles
    for step in row.steps:
        if cycles is not None and cycles.first_step == step.number and cycles.last_step is not None:
            span = f"{proc.step_label(cycles.first_step)}–{proc.step_label(cycles.last_step)}"
            console.print(f"    [magenta]↻ ข้อ {escape(span)} ทำในการตรวจราชการทุกครั้ง ({cycles.count} ครั้งต่อปี)[/]")
        _step(console, proc, step, catalog)
    details = (
        ("ผังกระบวนการ:", " → ".join(row.flowchart)),
        ("มาตรฐาน:", "; ".join(row.standard)),
        ("เอกสาร:", "; ".join(f"{d.title} [{d.kind}]" for d in row.documents)),
        ("ผู้รับผิดชอบ:", ", ".join(people)),
    )
    for label, text in details:
        if text:
            _item(console, 4, f"[dim]{label}[/]", escape(text))


def _cycles_line(proc: Procedure) -> str | None:
    cycles = proc.cycles
    if cycles is None:
        return None
    rounds = " · ".join(f"ครั้งที่ {i} {MONTHS[m - 1]}" for i, m in enumerate(cycles.months, start=1))
    repeated = []
    if cycles.first_step is not None and cycles.last_step is not None:
        repeated.append(f"ข้อ {proc.step_label(cycles.first_step)}–{proc.step_label(cycles.last_step)}")
    refs = [f"มาตรฐาน {thai_digits(f'6.{i}')}" for i, s in enumerate(proc.standards, 1) if s.per_cycle]
    refs += [f"ข้อ {t.ref}" for t in proc.timings if t.per_cycle]
    again = ", ".join(repeated + refs)
    return f"การตรวจราชการ {cycles.count} ครั้งต่อปี ({rounds}) ในงานเดียว; ทำซ้ำทุกครั้ง: {again}"


def _timings_of(console: Console, proc: Procedure, section: Section) -> None:
    """The timing statements printed in this part (๒.๒ in the scope, ๑๐ in the records)."""
    number = proc.section_number(section)
    for statement in proc.timings:
        if int(arabic_digits(statement.ref).split(".")[0]) != number:
            continue
        when = describe_timing(statement) or ""
        again = " ทุกครั้งของการตรวจราชการ" if statement.per_cycle else ""
        if statement.step is not None:
            again += f" (ครบเมื่อข้อ {_ref(proc, statement.step)} เสร็จ)"
        _item(console, 2, "[magenta]⏰[/]", f"[magenta]ข้อ {escape(statement.ref)}: {escape(when)}{again}[/]")
    if section == "scope":
        line = _cycles_line(proc)
        if line:
            _item(console, 2, "[magenta]↻[/]", f"[magenta]{escape(line)}[/]")


def _definitions(console: Console, proc: Procedure, section: Section, catalog: Catalog) -> None:
    names = {a.id: a.name for a in catalog.agencies.agencies}
    count = len(proc.definitions)
    for i, d in enumerate(proc.definitions, start=1):
        head = f"[bold]{escape(d.term)}[/] หมายถึง " if d.term else ""
        _item(console, 2, _mark(proc, section, i, count), f"{head}{escape(d.meaning)}")
        for agency in d.agencies:
            _item(console, 6, "-", escape(names.get(agency, agency)))
        for group in d.groups:
            _item(console, 4, escape(group.label), escape(group.heading))
            for k, agency in enumerate(group.agencies, start=1):
                _item(console, 8, f"{thai_digits(k)})", escape(names.get(agency, agency)))


def _responsibilities(console: Console, proc: Procedure, section: Section, catalog: Catalog) -> None:
    count = len(proc.responsibilities)
    for i, r in enumerate(proc.responsibilities, start=1):
        roles = f" [dim]({escape(', '.join(catalog.body_name(b) for b in r.bodies))})[/]" if r.bodies else ""
        mark = escape(r.label) if r.label is not None else _mark(proc, section, i, count)
        _item(console, 2, mark, f"{escape(r.text)}{roles}")


def _standards(console: Console, proc: Procedure, section: Section) -> None:
    count = len(proc.standards)
    for i, s in enumerate(proc.standards, start=1):
        notes = []
        timing = describe_timing(s)
        if timing:
            notes.append(f"กำหนดเวลา: {escape(timing)}" + (" ทุกครั้งของการตรวจราชการ" if s.per_cycle else ""))
        if s.step is not None:
            notes.append(f"ครบเมื่อข้อ {_ref(proc, s.step)} เสร็จ")
        suffix = "".join(f"\n[magenta]{note}[/]" for note in notes)
        # Where the manual does not number its standards ๖.๑ …, sop's ref of a timed one is shown.
        unnumbered = proc.numbering.get(section, "section") != "section"
        ref = f" [dim](6.{i})[/]" if timing and unnumbered else ""
        _item(console, 2, _mark(proc, section, i, count), f"{escape(s.text)}{ref}{suffix}")


def _monitoring(console: Console, proc: Procedure) -> None:
    monitoring = proc.monitoring
    _item(console, 2, "", escape(monitoring.text))
    # What sop tracks of this part, under sop's refs (the manual numbers none of it).
    for i, monitoring_round in enumerate(monitoring.rounds, start=1):
        if monitoring_round.at is not None:
            when = "วันสิ้นปีการศึกษา ([calendar] academic_year_end ใน sop.toml)"
        else:
            when = "ภายในสิ้นไตรมาสที่ " + ", ".join(str(q) for q in monitoring_round.quarters)
        text = escape(f"รอบ {monitoring_round.name}: {when}")
        _item(console, 2, "[magenta]⏰[/]", f"[magenta]{text}[/] [dim](7.{i})[/]")
    if monitoring.times_per_year:
        text = f"{monitoring.times_per_year} ครั้งต่อปีงบประมาณ ภายในสิ้นปีงบประมาณ"
        _item(console, 2, "[magenta]⏰[/]", f"[magenta]{text}[/] [dim](7)[/]")


def _records(console: Console, proc: Procedure, section: Section) -> None:
    count = len(proc.records)
    for i, rec in enumerate(proc.records, start=1):
        _item(console, 2, _mark(proc, section, i, count), f"[bold]{escape(rec.document)}[/]")
        _item(console, 6, "ผู้รับผิดชอบ:", escape(rec.responsible))
        for place in rec.storage:
            _item(console, 6, "จัดเก็บ:", escape(place.place) + (f" {escape(place.url)}" if place.url else ""))
        _item(console, 6, "ระยะเวลา:", f"{escape(rec.period)} · วิธีการ: {escape(rec.method)}")


def _section(console: Console, proc: Procedure, section: Section, catalog: Catalog) -> None:
    number = proc.section_number(section)
    console.print(f"\n[bold]{thai_digits(number)}. {escape(proc.heading(section))}[/]")
    intro = proc.intros.get(section)
    if intro:
        _item(console, 2, "", escape(intro))
    if section == "definitions":
        _definitions(console, proc, section, catalog)
    elif section == "responsibilities":
        _responsibilities(console, proc, section, catalog)
    elif section == "steps":
        for row in proc.rows:
            _row_block(console, proc, row, catalog)
    elif section == "standards":
        _standards(console, proc, section)
    elif section == "monitoring":
        _monitoring(console, proc)
    elif section == "records":
        _records(console, proc, section)
    else:
        items = {
            "objectives": proc.objectives,
            "scope": proc.scope,
            "references": proc.references,
            "forms": proc.forms,
            "related_laws": proc.related_laws,
        }[section]
        _list(console, proc, section, items)
    note = proc.notes.get(section)
    if note:
        _item(console, 2, "", f"[italic]{escape(note)}[/]")
    _timings_of(console, proc, section)


def render_procedure(proc: Procedure, catalog: Catalog) -> None:
    """Draw every part of one procedure in the manual's order, numbering and headings."""
    c = out()
    h = proc.header
    c.print(f"[bold]คู่มือการปฏิบัติงาน หมายเลขเอกสาร {thai_digits(proc.number)}[/] ({proc.number})")
    _item(c, 0, "[bold]เรื่อง:[/]", escape(h.title))
    c.print(f"สำนัก/กลุ่ม: {escape(h.work_unit)}")
    c.print(f"หน้าที่: {escape(h.page)} · วันที่เริ่มใช้: {format_short(h.effective_date)} · แก้ไขครั้งที่: {escape(h.revision)}")
    c.print(f"{len(proc.steps)} ขั้นตอน · {hours_text(proc.total_hours)} ชั่วโมง")
    for section in proc.sections:
        _section(c, proc, section, catalog)


def render_check(result: CheckResult) -> None:
    """Print every problem, or the one-line summary when there is none (and the open questions)."""
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
        if result.questions:
            message = ngettext(
                "{count} question for the office is open: see `sop questions`",
                "{count} questions for the office are open: see `sop questions`",
                result.questions,
            )
            out().print(escape(message.format(count=result.questions)), soft_wrap=True)
        if result.unconfirmed_agencies:
            message = ngettext(
                "{count} agency of sops/agencies.yaml awaits the office's check (confirmed: false)",
                "{count} agencies of sops/agencies.yaml await the office's check (confirmed: false)",
                result.unconfirmed_agencies,
            )
            out().print(escape(message.format(count=result.unconfirmed_agencies)), soft_wrap=True)
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
        "open_questions": result.questions,
        "unconfirmed_agencies": result.unconfirmed_agencies,
    }


def render_questions(items: Sequence[QuestionView]) -> None:
    """The questions for the office: what the manual leaves open and the reading used meanwhile.

    One block a question, wrapped to the whole width (a table's narrow column used to fold the
    Google Drive links the questions quote): every word kept, a URL on a line of its own.
    """
    console = out()
    if not items:
        console.print(escape(_("no open question for the office")))
        return
    width = console.width
    now, alternatively = escape(_("now:")), escape(_("or:"))
    for q in items:
        where = _("procedures {numbers} · manual page {pages}").format(
            numbers=", ".join(str(n) for n in q.procedures), pages=q.pages
        )
        console.print(hanging(f"[bold]{escape(q.id)}[/] ", where, width, indent=2), soft_wrap=True)
        console.print(hanging("  ", q.question, width), soft_wrap=True)
        console.print(hanging(f"  [green]{now}[/] ", q.reading, width, indent=4), soft_wrap=True)
        for alternative in q.alternatives:
            console.print(hanging(f"  [yellow]{alternatively}[/] ", alternative, width, indent=4), soft_wrap=True)
        if q.answer is not None:
            answered = _("answered by {who} on {date}:").format(
                who=q.answered_by, date=format_short(q.answered_on) if q.answered_on else "-"
            )
            console.print(hanging(f"  [bold]{escape(answered)}[/] ", q.answer, width, indent=4), soft_wrap=True)
        console.print()
    still_open = sum(1 for q in items if q.is_open)
    summary = ngettext(
        "{count} question for the office is open (answer it in sops/questions.yaml)",
        "{count} questions for the office are open (answer them in sops/questions.yaml)",
        still_open,
    )
    console.print(escape(summary.format(count=still_open)), soft_wrap=True)


def questions_json(items: Sequence[QuestionView]) -> list[dict[str, Any]]:
    """The JSON form of `sop questions`."""
    return [as_json(q) | {"open": q.is_open} for q in items]
