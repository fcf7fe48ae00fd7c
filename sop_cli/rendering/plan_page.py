"""The year's plan as files: an Excel workbook (plan, load, fixed dates, warnings) and a one-file HTML page.

The workbook reuses the export's tables (`rendering/tables.py`): Thai headers, real dates in the
Buddhist Era, A4 landscape print setup. The page draws a Gantt chart per procedure and a load chart
per person as inline SVG: no script, no font, no image is loaded, and everything taken from the
records goes through Jinja2 with autoescape on. Both speak Thai, as the office's other files do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sop_cli import __version__
from sop_cli.rendering.html_page import FONT_STACK
from sop_cli.rendering.tables import Column, Row, Table, xlsx_bytes
from sop_cli.thai_calendar import BE_OFFSET, MONTHS_SHORT, format_short
from sop_cli.views.people import PlanItem, PlanWarning, YearPlan

READING = {
    "person": ("person-hours, shared among the row's holders", "ชั่วโมงคน (แบ่งกันระหว่างผู้รับผิดชอบของแถว)"),
    "elapsed": ("elapsed hours, each holder busy all of them", "ชั่วโมงตามระยะเวลา (ผู้รับผิดชอบทุกคนทำตลอดช่วง)"),
}
NOBODY_TH = "ไม่ระบุตัวบุคคล (คณะบุคคล/กลุ่มงาน)"
NOBODY_EN = "no person named (bodies only)"


def month_name(month: tuple[int, int]) -> str:
    """A month of the fiscal year as the office writes it in a table: ต.ค. 69."""
    year, number = month
    return f"{MONTHS_SHORT[number - 1]} {str(year + BE_OFFSET)[-2:]}"


def item_label(item: PlanItem, lang: str = "th") -> str:
    """The item as the manual numbers it: แถว ๑-๒, or ขั้นตอน ๒.๔ where a step has its own hours."""
    if lang == "th":
        return f"{'ขั้นตอน' if item.per_step else 'แถว'} {item.label}"
    return f"{'step' if item.per_step else 'row'} {item.label}"


def _names(ids: Sequence[str], names: Mapping[str, str]) -> str:
    return ", ".join(names.get(i, i) for i in ids)


def warning_text(w: PlanWarning, names: Mapping[str, str], lang: str = "th") -> str:
    """One warning of the plan, as one sentence in `lang` (th or en)."""
    th = lang == "th"
    person = names.get(w.person, w.person) if w.person else ""
    procedures = ", ".join(str(n) for n in w.procedures)
    if w.kind == "over_capacity" and w.month is not None:
        month = month_name(w.month)
        if th:
            return f"{person}: {month} มีงานตามแผน {w.hours:,.0f} ชั่วโมง เกินเวลาทำงาน {w.capacity:,.0f} ชั่วโมง"
        return f"{person}: {w.hours:,.0f} planned hours in {month}, above the {w.capacity:,.0f} hours they can work"
    if w.kind == "collision" and w.date is not None:
        what = " และ ".join(w.what) if th else " and ".join(w.what)
        if th:
            return f"{format_short(w.date)}: {what} (งานที่ {procedures}) ตรงกันวันเดียวกัน สำหรับ {person}"
        return f"{format_short(w.date)}: {what} (procedures {procedures}) fall on the same day for {person}"
    if w.kind == "day_off" and w.date is not None:
        what = ", ".join(w.what)
        if th:
            return f"{format_short(w.date)} เป็นวันหยุดราชการ แต่มี {what} (งานที่ {procedures})"
        return f"{format_short(w.date)} is a day off, yet {what} (procedure {procedures}) is set on it"
    if w.kind == "unassigned":
        if th:
            return f"{w.hours:,.0f} ชั่วโมงของงานที่ {procedures} ไม่ระบุตัวผู้รับผิดชอบ: มอบหมายด้วย sop assign"
        return f"{w.hours:,.0f} hours of procedures {procedures} name no person: hand them over with sop assign"
    rows = ", ".join(w.what)
    if th:
        return f"ทำไม่ทันกำหนดตายตัว (เริ่มงานหลังวันกำหนด): {rows}"
    return f"cannot be done by their fixed date (the run started after it): {rows}"


def grouped_warnings(plan: YearPlan, lang: str = "th") -> list[str]:
    """The warnings as sentences, a person's months over capacity in one sentence."""
    found = []
    over: dict[str, list[PlanWarning]] = {}
    for w in plan.warnings:
        if w.kind == "over_capacity" and w.person is not None:
            over.setdefault(w.person, []).append(w)
        else:
            found.append(warning_text(w, plan.names, lang))
    for person, months in over.items():
        name = plan.names.get(person, person)
        parts = ", ".join(
            f"{month_name(w.month)} ({w.hours:,.0f}/{w.capacity:,.0f})" for w in months if w.month is not None
        )
        if lang == "th":
            found.append(f"{name} มีงานเกินเวลาทำงานในเดือน {parts} ชั่วโมง")
        else:
            found.append(f"{name} has more work than time in {parts} hours")
    return found


# --- the workbook ---------------------------------------------------------------------------------

PLAN = Table(
    "plan",
    "แผนงาน",
    (
        Column("procedure", "ที่", 5),
        Column("title", "งาน", 32),
        Column("item", "แถว/ขั้นตอน", 12),
        Column("steps", "ขั้นตอนที่", 9),
        Column("text", "ข้อความในคู่มือ", 50),
        Column("cycle", "ครั้งที่", 7),
        Column("hours", "ชั่วโมงตามคู่มือ", 9),
        Column("holders", "ผู้รับผิดชอบ", 36),
        Column("start", "เริ่ม", 13),
        Column("end", "สิ้นสุด", 13),
        Column("days", "วันทำการ", 8),
        Column("hours_a_day", "ชั่วโมงต่อวันต่อคน", 9),
        Column("anchor", "กำหนดตายตัว", 13),
        Column("anchor_text", "ที่มาของกำหนด", 40),
        Column("note", "หมายเหตุ", 24),
    ),
)
MILESTONES = Table(
    "fixed_dates",
    "กำหนดตายตัว",
    (
        Column("date", "วันที่", 13),
        Column("procedure", "ที่", 5),
        Column("ref", "ข้อ/เหตุการณ์", 16),
        Column("text", "ข้อความ", 60),
        Column("holders", "ผู้รับผิดชอบ", 36),
        Column("event", "วันจัดกิจกรรม", 8),
    ),
)
WARNINGS = Table("warnings", "คำเตือน", (Column("kind", "ประเภท", 14), Column("text", "คำเตือน", 100)))
WARNING_KIND = {
    "over_capacity": "งานเกินเวลา",
    "collision": "วันชนกัน",
    "day_off": "ตรงวันหยุด",
    "unassigned": "ไม่มีผู้รับผิดชอบ",
    "late": "ไม่ทันกำหนด",
}


def _steps(item: PlanItem) -> str:
    first, last = item.steps[0], item.steps[-1]
    return str(first) if first == last else f"{first}–{last}"


def _per_day(item: PlanItem, plan: YearPlan) -> float:
    people = max(len(item.holders), 1) if plan.hours_are == "person" else 1
    return round(item.hours / item.days / people, 2)


def _note(item: PlanItem) -> str:
    notes = []
    if item.late:
        notes.append("ทำไม่ทันกำหนด")
    if item.squeezed:
        notes.append("เวลาไม่พอ ต้องเร่ง")
    if not item.holders and item.bodies:
        notes.append("คณะบุคคล: " + ", ".join(item.bodies))
    return "; ".join(notes)


def _plan_rows(plan: YearPlan) -> list[Row]:
    return [
        {
            "procedure": i.procedure,
            "title": i.title,
            "item": item_label(i),
            "steps": _steps(i),
            "text": i.text,
            "cycle": i.cycle,
            "hours": i.hours,
            "holders": tuple(plan.names.get(h, h) for h in i.holders),
            "start": i.start,
            "end": i.end,
            "days": i.days,
            "hours_a_day": _per_day(i, plan),
            "anchor": i.anchor,
            "anchor_text": i.anchor_text,
            "note": _note(i),
        }
        for i in plan.items
    ]


def _load_table(plan: YearPlan) -> tuple[Table, list[Row]]:
    months = [month_name(m) for m in plan.months]
    columns = (
        Column("person", "ผู้รับผิดชอบ", 30),
        Column("measure", "รายการ", 34),
        *(Column(f"m{i}", name, 9) for i, name in enumerate(months)),
        Column("total", "รวมทั้งปี", 10),
    )
    own, other = (READING[plan.hours_are][1], READING["elapsed" if plan.hours_are == "person" else "person"][1])
    rows: list[Row] = []
    for load in plan.loads:
        who = load.name or NOBODY_TH
        measures = [(f"ชั่วโมงตามแผน: {own}", load.hours), (f"ถ้าอ่านเป็น{other}", load.other)]
        if load.person:
            measures.append((f"เวลาทำงาน (วันทำการ × {plan.hours_a_day:g} ชม. หักวันลา)", load.capacity))
        for measure, values in measures:
            row: dict[str, Any] = {"person": who, "measure": measure}
            row |= {f"m{i}": round(v, 1) for i, v in enumerate(values)}
            row["total"] = round(sum(values), 1)
            rows.append(row)
    return Table("load", "ภาระงาน", columns), rows


def plan_workbook(plan: YearPlan) -> bytes:
    """The plan as an Excel workbook: the plan, each person's monthly load, the fixed dates, the warnings."""
    load_table, load_rows = _load_table(plan)
    milestones: list[Row] = [
        {
            "date": m.date,
            "procedure": m.procedure,
            "ref": m.ref,
            "text": m.text,
            "holders": tuple(plan.names.get(h, h) for h in m.holders),
            "event": m.event,
        }
        for m in plan.milestones
    ]
    warnings: list[Row] = [
        {"kind": WARNING_KIND.get(w.kind, w.kind), "text": warning_text(w, plan.names)} for w in plan.warnings
    ]
    title = f"แผนงานตามคู่มือการปฏิบัติงาน ปีงบประมาณ {plan.fy}"
    return xlsx_bytes(
        [(PLAN, _plan_rows(plan)), (load_table, load_rows), (MILESTONES, milestones), (WARNINGS, warnings)], title
    )


# --- the page -------------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --paper: #f5f7fa;
  --blue: #1f6fb2; --green: #1e8a4c; --amber: #b7791f; --red: #c53030; --grey: #9aa5b1; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font-family: FONT_STACK; font-size: 17px; line-height: 1.55; color: var(--ink);
  background: var(--paper); }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 20px; }
.office, .asof, .muted { color: var(--muted); }
.office { margin: 0; }
h1 { font-size: 1.5em; line-height: 1.3; margin: 4px 0; }
h2 { font-size: 1.25em; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05em; margin: 0 0 6px; line-height: 1.35; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px;
  margin-bottom: 12px; break-inside: avoid; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 12px; }
.cards .card { margin: 0; }
.card.over { border-left: 5px solid var(--red); }
.num { display: inline-block; min-width: 1.8em; padding: 0 4px; margin-right: 4px; border-radius: 4px;
  background: var(--ink); color: #fff; text-align: center; }
svg { display: block; width: 100%; height: auto; }
svg text { font-family: FONT_STACK; fill: var(--ink); }
.grid { stroke: var(--line); stroke-width: 1; }
.bar { fill: var(--blue); } .bar.late { fill: var(--red); } .bar.squeezed { fill: var(--amber); }
.bar.nobody { fill: var(--grey); }
.milestone { fill: var(--ink); } .milestone.event { fill: var(--red); }
.load { fill: var(--blue); } .load.over { fill: var(--red); }
.other { fill: none; stroke: var(--ink); stroke-width: 1.5; stroke-dasharray: 4 3; }
.capacity { fill: none; stroke: var(--green); stroke-width: 3; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0 0; padding: 0; list-style: none;
  font-size: 0.9em; color: var(--muted); }
.key { display: inline-block; width: 14px; height: 10px; margin-right: 4px; vertical-align: baseline; }
.key.bar { background: var(--blue); } .key.squeezed { background: var(--amber); }
.key.late { background: var(--red); } .key.nobody { background: var(--grey); }
.key.capacity { background: var(--green); height: 3px; } .key.other { border: 1.5px dashed var(--ink); }
.warnings { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--amber);
  border-radius: 8px; padding: 8px 14px 8px 32px; margin: 0; }
.warnings li { margin: 2px 0; overflow-wrap: anywhere; }
.empty { background: #fff; border: 1px dashed var(--line); border-radius: 8px; padding: 12px; color: var(--muted); }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--blue); padding: 4px 0; }
footer { color: var(--muted); font-size: 0.9em; padding-top: 24px; padding-bottom: 24px; }
@media (max-width: 640px) { body { font-size: 16px; } .cards { grid-template-columns: 1fr; } }
@media print { body { background: #fff; font-size: 13px; } .card { break-inside: avoid; } }
""".replace("FONT_STACK", FONT_STACK)

_TEMPLATE = """<!DOCTYPE html>
<html lang="th">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sop {{ version }}">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<header>
<p class="office">{{ office }}</p>
<h1>{{ title }}</h1>
<p class="asof">ข้อมูล ณ วันที่ {{ as_of }} · วันทำงานวันละ {{ hours_a_day }} ชั่วโมง · อ่านชั่วโมงในคู่มือเป็น{{ reading }}</p>
</header>
<main>
<section id="warnings">
<h2>สิ่งที่ต้องพิจารณา</h2>
{% if warnings %}
<ul class="warnings">
{% for w in warnings[:shown] %}<li>{{ w }}</li>
{% endfor %}
</ul>
{% if warnings|length > shown %}
<details><summary>คำเตือนอีก {{ warnings|length - shown }} รายการ</summary>
<ul class="warnings">
{% for w in warnings[shown:] %}<li>{{ w }}</li>
{% endfor %}
</ul></details>
{% endif %}
{% else %}
<p class="empty">แผนงานไม่มีคำเตือน</p>
{% endif %}
</section>
<section id="load">
<h2>ภาระงานรายบุคคลเทียบกับเวลาทำงาน</h2>
<ul class="legend"><li><span class="key bar"></span>ชั่วโมงตามแผน</li>
<li><span class="key late"></span>เกินเวลาทำงาน</li><li><span class="key capacity"></span>เวลาทำงาน (หักวันลา)</li>
{% if differ %}<li><span class="key other"></span>ถ้าอ่านเป็น{{ other_reading }}</li>{% endif %}</ul>
<div class="cards">
{% for p in people %}
<article class="card person{{ ' over' if p.over }}">
<h3>{{ p.name }}</h3>
<p class="muted">ทั้งปี {{ p.total }} ชั่วโมง จากเวลาทำงาน {{ p.capacity }} ชั่วโมง
{%- if differ %} · ถ้าอ่านเป็น{{ other_reading }} {{ p.other_total }} ชั่วโมง{% endif %}</p>
<svg viewBox="0 0 {{ chart.width }} {{ chart.height }}" role="img" aria-label="ภาระงานรายเดือนของ {{ p.name }}">
{% for g in chart.grid %}<line class="grid" x1="{{ chart.left }}" x2="{{ chart.width }}" y1="{{ g.y }}" y2="{{ g.y }}"/>
<text x="{{ chart.left - 4 }}" y="{{ g.y + 4 }}" text-anchor="end" font-size="11">{{ g.label }}</text>
{% endfor %}
{% for b in p.bars %}<rect class="load{{ ' over' if b.over }}" x="{{ b.x }}" y="{{ b.y }}"
 width="{{ b.w }}" height="{{ b.h }}"><title>{{ b.title }}</title></rect>
{% if differ %}<rect class="other" x="{{ b.x }}" y="{{ b.oy }}" width="{{ b.w }}" height="{{ b.oh }}"/>{% endif %}
<text x="{{ b.x + b.w / 2 }}" y="{{ chart.height - 4 }}" text-anchor="middle" font-size="11">{{ b.month }}</text>
{% endfor %}
<polyline class="capacity" points="{{ p.capacity_line }}"/>
</svg>
</article>
{% endfor %}
</div>
</section>
<section id="gantt">
<h2>แผนงานรายงานตามปฏิทินปีงบประมาณ</h2>
<ul class="legend"><li><span class="key bar"></span>ช่วงทำงาน</li>
<li><span class="key squeezed"></span>เวลาไม่พอ ต้องเร่ง</li>
<li><span class="key late"></span>ทำไม่ทันกำหนด</li><li><span class="key nobody"></span>ไม่ระบุตัวบุคคล</li>
<li>◆ กำหนดตายตัว</li><li style="color:#c53030">◆ วันจัดกิจกรรม</li></ul>
{% for g in gantts %}
<article class="card procedure">
<h3><span class="num">{{ g.number }}</span> {{ g.title }}</h3>
<svg viewBox="0 0 {{ gantt.width }} {{ g.height }}" role="img" aria-label="แผนงานของงานที่ {{ g.number }}">
{% for m in gantt.months %}<line class="grid" x1="{{ m.x }}" x2="{{ m.x }}" y1="0" y2="{{ g.height }}"/>
<text x="{{ m.x + 3 }}" y="11" font-size="12">{{ m.name }}</text>
{% endfor %}
{% for d in g.milestones %}<polygon class="milestone{{ ' event' if d.event }}" points="{{ d.points }}">
<title>{{ d.title }}</title></polygon>
{% endfor %}
{% for r in g.rows %}<text x="4" y="{{ r.y + 13 }}" font-size="13">{{ r.label }}</text>
<rect class="bar {{ r.css }}" x="{{ r.x }}" y="{{ r.y + 2 }}" width="{{ r.w }}" height="14" rx="2">
<title>{{ r.title }}</title></rect>
{% endfor %}
</svg>
</article>
{% endfor %}
</section>
</main>
<footer>สร้างโดย sop {{ version }} · แผนนี้คำนวณจากชั่วโมงในคู่มือการปฏิบัติงาน
วันหยุดราชการใน calendar/holidays.yaml การมอบหมายงานและการลาที่บันทึกไว้</footer>
</body>
</html>
"""

_GANTT_WIDTH, _GANTT_LEFT, _ROW = 1000, 150, 20
_CHART_WIDTH, _CHART_HEIGHT, _CHART_LEFT, _CHART_TOP, _CHART_BOTTOM = 360, 170, 40, 8, 20


def _fy_span(plan: YearPlan) -> tuple[dt.date, int]:
    (y, m) = plan.months[0]
    first = dt.date(y, m, 1)
    (y, m) = plan.months[-1]
    last = dt.date(y + (m == 12), m % 12 + 1, 1)
    return first, (last - first).days


def _x(day: dt.date, first: dt.date, length: int) -> float:
    return round(_GANTT_LEFT + (_GANTT_WIDTH - _GANTT_LEFT) * (day - first).days / length, 1)


def _gantts(plan: YearPlan) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    first, length = _fy_span(plan)
    months = [{"x": _x(dt.date(y, m, 1), first, length), "name": month_name((y, m))} for (y, m) in plan.months]
    charts = []
    for number in sorted({i.procedure for i in plan.items}):
        items = [i for i in plan.items if i.procedure == number]
        rows = []
        for index, item in enumerate(items):
            x = _x(item.start, first, length)
            width = max(_x(item.end + dt.timedelta(days=1), first, length) - x, 2)
            css = "late" if item.late else "squeezed" if item.squeezed else "nobody" if not item.holders else ""
            label = item_label(item) + (f" ครั้งที่ {item.cycle}" if item.cycle else "")
            who = _names(item.holders, plan.names) or ", ".join(item.bodies)
            title = (
                f"{label}: {format_short(item.start)} – {format_short(item.end)}, {item.days} วันทำการ, "
                f"{item.hours:g} ชั่วโมง · {who}"
            )
            rows.append(
                {"y": 28 + index * _ROW, "x": x, "w": round(width, 1), "css": css, "label": label, "title": title}
            )
        height = 28 + len(items) * _ROW + 4
        marks = []
        for m in plan.milestones:
            if m.procedure != number:
                continue
            x = (
                _x(m.date, first, length)
                + (_x(m.date + dt.timedelta(days=1), first, length) - _x(m.date, first, length)) / 2
            )
            y = 20
            points = f"{x:.1f},{y - 5} {x + 4:.1f},{y} {x:.1f},{y + 5} {x - 4:.1f},{y}"
            marks.append({"points": points, "event": m.event, "title": f"{format_short(m.date)} · {m.ref}: {m.text}"})
        charts.append({"number": number, "title": items[0].title, "rows": rows, "height": height, "milestones": marks})
    return {"width": _GANTT_WIDTH, "months": months}, charts


def _people(plan: YearPlan) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    top = max([max(list(p.hours) + list(p.other) + list(p.capacity)) for p in plan.loads] + [1.0])
    step = _nice_step(top)
    ceiling = step * (int(top // step) + 1)
    plot = _CHART_HEIGHT - _CHART_TOP - _CHART_BOTTOM
    width = (_CHART_WIDTH - _CHART_LEFT) / 12

    def y(value: float) -> float:
        return round(_CHART_TOP + plot * (1 - value / ceiling), 1)

    grid = [{"y": y(v), "label": f"{v:,.0f}"} for v in _ticks(ceiling, step)]
    people = []
    for load in plan.loads:
        bars = []
        for i, (hours, other) in enumerate(zip(load.hours, load.other, strict=True)):
            x = round(_CHART_LEFT + i * width + 2, 1)
            over = bool(load.person) and hours > load.capacity[i] + 1e-9
            title = f"{month_name(plan.months[i])}: {hours:,.0f} ชั่วโมง"
            if load.person:
                title += f" จากเวลาทำงาน {load.capacity[i]:,.0f} ชั่วโมง"
            bars.append(
                {
                    "x": x,
                    "w": round(width - 4, 1),
                    "y": y(hours),
                    "h": round(y(0) - y(hours), 1),
                    "oy": y(other),
                    "oh": round(y(0) - y(other), 1),
                    "over": over,
                    "month": MONTHS_SHORT[plan.months[i][1] - 1],
                    "title": title,
                }
            )
        points = []
        for i, capacity in enumerate(load.capacity if load.person else ()):
            left, right = _CHART_LEFT + i * width, _CHART_LEFT + (i + 1) * width
            points += [f"{left:.1f},{y(capacity)}", f"{right:.1f},{y(capacity)}"]
        people.append(
            {
                "name": load.name or NOBODY_TH,
                "total": f"{load.total:,.0f}",
                "other_total": f"{sum(load.other):,.0f}",
                "capacity": f"{sum(load.capacity):,.0f}" if load.person else "-",
                "over": bool(load.person) and bool(load.over),
                "bars": bars,
                "capacity_line": " ".join(points),
            }
        )
    chart = {"width": _CHART_WIDTH, "height": _CHART_HEIGHT, "left": _CHART_LEFT, "grid": grid}
    return chart, people


def _nice_step(top: float) -> float:
    for step in (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 5:
            return float(step)
    return 10_000.0


def _ticks(ceiling: float, step: float) -> list[float]:
    return [step * i for i in range(int(ceiling // step) + 1)]


def plan_page(plan: YearPlan, today: dt.date, office: str) -> str:
    """The plan as one self-contained page: the warnings, a load chart per person, a Gantt chart per procedure."""
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    gantt, gantts = _gantts(plan)
    chart, people = _people(plan)
    other = "elapsed" if plan.hours_are == "person" else "person"
    context = {
        "version": __version__,
        "title": f"แผนงานตามคู่มือการปฏิบัติงาน ปีงบประมาณ {plan.fy}",
        "office": office,
        "as_of": format_short(today),
        "css": Markup(_CSS),  # ours, not the records': marked safe so that its quotes stay quotes
        "hours_a_day": f"{plan.hours_a_day:g}",
        "reading": READING[plan.hours_are][1],
        "other_reading": READING[other][1],
        "differ": any(load.hours != load.other for load in plan.loads),
        "warnings": grouped_warnings(plan),
        "shown": 20,
        "people": people,
        "chart": chart,
        "gantt": gantt,
        "gantts": gantts,
    }
    return env.from_string(_TEMPLATE).render(context)
