"""Build the one-file HTML page of `sop export --format html`: status, deadlines, latest activity.

The page needs no network: its CSS is inline, progress bars are inline SVG, no script, font or
image is loaded. Everything taken from the records goes through Jinja2 with autoescape on, so a
note holding `<script>` shows as text. Jinja2 is imported inside the function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sop_cli import __version__
from sop_cli.deadlines import OVERDUE, SOON_WORKING_DAYS, Deadline
from sop_cli.rendering import words
from sop_cli.rendering.tables import RUN_STATUS, Row
from sop_cli.thai_calendar import format_short
from sop_cli.views.status import DeadlineView, StatusRow

SHOWN_DEADLINES = 15  # the soonest; the others are folded under a <details>, which needs no script
FONT_STACK = '"TH Sarabun New", "TH SarabunPSK", Sarabun, Tahoma, sans-serif'

_CSS = """
:root { color-scheme: light; --ink: #1f2933; --muted: #616e7c; --line: #d9e2ec; --paper: #f5f7fa;
  --blue: #1f6fb2; --green: #1e8a4c; --amber: #b7791f; --red: #c53030; --grey: #9aa5b1; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font-family: FONT_STACK; font-size: 17px; line-height: 1.55; color: var(--ink);
  background: var(--paper); font-size-adjust: 0.5; }
header, main, footer { max-width: 1180px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 20px; }
.office { margin: 0; color: var(--muted); }
h1 { font-size: 1.5em; line-height: 1.3; margin: 4px 0; }
h2 { font-size: 1.25em; margin: 28px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 1.05em; margin: 0 0 6px; line-height: 1.35; }
.asof { margin: 0 0 12px; color: var(--muted); }
.totals { display: flex; flex-wrap: wrap; gap: 8px; padding: 0; margin: 12px 0 0; list-style: none; }
.totals li { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 6px 12px; }
.totals b { font-size: 1.3em; margin-right: 4px; }
.totals .overdue b { color: var(--red); } .totals .soon b { color: var(--amber); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-left: 5px solid var(--grey);
  border-radius: 8px; padding: 10px 14px; break-inside: avoid; }
.card.open { border-left-color: var(--blue); } .card.finished { border-left-color: var(--green); }
.card.cancelled { opacity: 0.7; }
.card p { margin: 2px 0; overflow-wrap: anywhere; }
.num { display: inline-block; min-width: 1.8em; padding: 0 4px; margin-right: 4px; border-radius: 4px;
  background: var(--ink); color: #fff; text-align: center; }
.run-label { color: var(--muted); font-weight: normal; }
.badge { display: inline-block; border-radius: 999px; padding: 0 10px; font-size: 0.9em; color: #fff;
  background: var(--grey); }
.badge.open { background: var(--blue); } .badge.finished { background: var(--green); }
.progress { display: flex; align-items: center; gap: 8px; margin: 6px 0; }
.progress svg { flex: 1; height: 10px; border-radius: 5px; }
.progress .track { fill: #e4e7eb; } .progress .fill { fill: var(--blue); }
.finished .progress .fill { fill: var(--green); }
.progress span { white-space: nowrap; color: var(--muted); font-size: 0.95em; }
.muted { color: var(--muted); }
.due { font-weight: bold; } .due.overdue { color: var(--red); } .due.soon { color: var(--amber); }
.due.ontime { color: var(--green); } .due.waiting { color: var(--muted); font-weight: normal; }
.table-wrap { overflow-x: auto; background: #fff; border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 10px; border-bottom: 1px solid var(--line); }
th { background: #eef2f7; white-space: nowrap; }
.nowrap { white-space: nowrap; }
details { margin-top: 8px; }
summary { cursor: pointer; color: var(--blue); padding: 6px 0; }
tr.overdue td:first-child { border-left: 5px solid var(--red); }
tr.soon td:first-child { border-left: 5px solid var(--amber); }
tr.ontime td:first-child { border-left: 5px solid var(--green); }
tr.waiting td:first-child { border-left: 5px solid var(--grey); }
.voided { text-decoration: line-through; color: var(--muted); }
.empty { background: #fff; border: 1px dashed var(--line); border-radius: 8px; padding: 12px; color: var(--muted); }
footer { color: var(--muted); font-size: 0.9em; padding-top: 24px; padding-bottom: 24px; }
@media (max-width: 640px) {
  body { font-size: 16px; }
  .cards { grid-template-columns: 1fr; }
  .table-wrap { overflow-x: visible; background: transparent; border: 0; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { background: #fff; border: 1px solid var(--line); border-radius: 8px; margin-bottom: 8px; padding: 6px 0; }
  td { border: 0; padding: 2px 12px; }
  td::before { content: attr(data-label) ": "; color: var(--muted); }
  tr.overdue, tr.soon, tr.ontime, tr.waiting { border-left-width: 5px; }
  tr.overdue { border-left-color: var(--red); } tr.soon { border-left-color: var(--amber); }
  tr.ontime { border-left-color: var(--green); } tr.waiting { border-left-color: var(--grey); }
  tr.overdue td:first-child, tr.soon td:first-child, tr.ontime td:first-child,
  tr.waiting td:first-child { border-left: 0; }
}
@media print {
  body { background: #fff; font-size: 14px; }
  .card, tr { break-inside: avoid; }
  .table-wrap { overflow: visible; }
}
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
{% macro names(people) %}
{%- for person in people %}<span class="nowrap">{{ person }}</span>{{ ", " if not loop.last }}{% endfor -%}
{% endmacro %}
<header>
<p class="office">{{ office }}</p>
<h1>{{ title }}</h1>
<p class="asof">ข้อมูล ณ วันที่ {{ as_of }}</p>
<ul class="totals">
<li><b>{{ totals.started }}</b>จาก {{ totals.procedures }} งานเริ่มแล้ว</li>
<li><b>{{ totals.finished }}</b>รอบงานเสร็จสิ้น</li>
<li class="overdue"><b>{{ totals.overdue }}</b>กำหนดเกินแล้ว</li>
<li class="soon"><b>{{ totals.soon }}</b>ถึงกำหนดใน {{ soon_days }} วันทำการ</li>
</ul>
</header>
<main>
<section id="status">
<h2>สถานะงานรายขั้นตอนการปฏิบัติงาน</h2>
<div class="cards">
{% for c in cards %}
<article class="card {{ c.status }}">
<h3><span class="num">{{ c.number }}</span> {{ c.title }}
{%- if c.label %} <span class="run-label">({{ c.label }})</span>{% endif %}</h3>
<p><span class="badge {{ c.status }}">{{ c.status_text }}</span>
{%- if c.run %} <span class="muted">รอบงาน {{ c.run }}</span>{% endif %}</p>
<div class="progress">
<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="เสร็จ {{ c.done }} จาก {{ c.total }} ขั้นตอน">
<rect class="track" width="100" height="10"/><rect class="fill" width="{{ c.percent }}" height="10"/></svg>
<span>{{ c.done }}/{{ c.total }} ขั้นตอน</span>
</div>
<p class="muted">ชั่วโมง {{ c.hours }}/{{ c.planned_hours }}
{%- if c.rejected %} · ตีกลับ {{ c.rejected }} ครั้ง{% endif %}
{%- if c.last_activity %} · ล่าสุด {{ c.last_activity }}{% endif %}</p>
{% if c.current %}<p>ขั้นตอนปัจจุบัน: {{ c.current }}</p>{% endif %}
{% if c.holders %}<p class="muted">ผู้รับผิดชอบ: {{ names(c.holders) }}</p>{% endif %}
{% if c.deadline %}<p class="due {{ c.deadline.css }}">{{ c.deadline.text }}</p>{% endif %}
</article>
{% endfor %}
</div>
</section>
<section id="deadlines">
<h2>กำหนดเวลาที่ยังไม่แล้วเสร็จ</h2>
{% macro deadline_table(rows) %}
<div class="table-wrap"><table>
<thead><tr><th>กำหนด</th><th>เหลือ</th><th>งาน</th><th>ข้อ</th><th>ข้อความในคู่มือ</th><th>ผู้รับผิดชอบ</th></tr></thead>
<tbody>
{% for d in rows %}
<tr class="{{ d.css }}">
<td class="nowrap" data-label="กำหนด">{{ d.due }}</td>
<td class="nowrap due {{ d.css }}" data-label="เหลือ">{{ d.left }}</td>
<td data-label="งาน">{{ d.procedure }}. {{ d.title }}{% if d.label %} ({{ d.label }}){% endif %}</td>
<td class="nowrap" data-label="ข้อ">{{ d.ref }}</td>
<td data-label="ข้อความ">{{ d.text }}{% if d.detail %} <span class="muted">({{ d.detail }})</span>{% endif %}</td>
<td data-label="ผู้รับผิดชอบ">{{ names(d.persons) }}</td>
</tr>
{% endfor %}
</tbody>
</table></div>
{% endmacro %}
{% if deadlines %}
{{ deadline_table(deadlines[:shown]) }}
{% if deadlines|length > shown %}
<details>
<summary>กำหนดเวลาถัดไปอีก {{ deadlines|length - shown }} รายการ</summary>
{{ deadline_table(deadlines[shown:]) }}
</details>
{% endif %}
{% else %}
<p class="empty">ไม่มีกำหนดเวลาที่ค้างอยู่</p>
{% endif %}
</section>
<section id="activity">
<h2>ความเคลื่อนไหวล่าสุด</h2>
{% if events %}
<div class="table-wrap"><table>
<thead><tr><th>วันที่</th><th>งาน</th><th>โดย</th><th>รายละเอียด</th></tr></thead>
<tbody>
{% for e in events %}
<tr>
<td class="nowrap" data-label="วันที่">{{ e.date }}</td>
<td data-label="งาน">{{ e.procedure }}</td>
<td class="nowrap" data-label="โดย">{{ e.by }}</td>
<td data-label="รายละเอียด"><span class="{{ 'voided' if e.voided else '' }}">{{ e.summary }}</span>
{%- if e.voided %} (ไม่นับ){% endif %}</td>
</tr>
{% endfor %}
</tbody>
</table></div>
{% else %}
<p class="empty">ยังไม่มีการบันทึกในปีงบประมาณนี้</p>
{% endif %}
</section>
</main>
<footer>สร้างโดย sop {{ version }} จากบันทึกของปีงบประมาณ {{ fy }} · ข้อมูล ณ วันที่ {{ as_of }}</footer>
</body>
</html>
"""


def _deadline_class(d: Deadline | DeadlineView) -> str:
    if d.due is None or d.days_left is None:
        return "waiting"
    if d.status == OVERDUE or d.days_left < 0:
        return "overdue"
    return "soon" if d.days_left <= SOON_WORKING_DAYS else "ontime"


def _left_text(d: Deadline | DeadlineView) -> str:
    if d.due is None:
        return f"รอวันที่ {words.waiting_text(d.waiting_for, 'th') if d.waiting_for else '-'}"
    if d.days_left is None:
        return "-"
    if d.days_left < 0:
        return f"เกินมา {-d.days_left} วันทำการ"
    return f"อีก {d.days_left} วันทำการ"


def _next_deadline(d: Deadline | DeadlineView | None) -> dict[str, str] | None:
    if d is None:
        return None
    when = format_short(d.due) if d.due else ""
    text = f"กำหนดถัดไป ข้อ {d.ref}: {when} {_left_text(d)}" if when else f"กำหนดถัดไป ข้อ {d.ref}: {_left_text(d)}"
    return {"css": _deadline_class(d), "text": text}


def _card(row: StatusRow) -> dict[str, Any]:
    percent = round(100 * row.done / row.total) if row.total else 0
    current = f"{row.current_step}. {row.current_text or ''}" if row.current_step is not None else ""
    return {
        "number": row.procedure,
        "title": row.short_title,
        "label": row.label,
        "run": row.run,
        "status": row.status,
        "status_text": RUN_STATUS.get(row.status, row.status),
        "done": row.done,
        "total": row.total,
        "percent": max(0, min(100, percent)),
        "hours": f"{row.hours:g}",
        "planned_hours": f"{row.planned_hours:g}",
        "rejected": row.rejected_rounds,
        "last_activity": format_short(row.last_activity) if row.last_activity else "",
        "current": current,
        "holders": list(row.holders),
        "deadline": _next_deadline(row.next_deadline),
    }


def _activity(event: Row, titles: Mapping[int, str]) -> dict[str, Any]:
    date, number = event["date"], event["procedure"]
    return {
        "date": format_short(date) if isinstance(date, dt.date) else "",
        "procedure": f"{number}. {titles[number]}" if isinstance(number, int) and number in titles else str(number),
        "by": event["actor"],
        "summary": event["summary"],
        "voided": event["voided"],
    }


def html_page(
    *,
    fy: int,
    today: dt.date,
    office: str,
    rows: Sequence[StatusRow],
    deadlines: Sequence[Deadline],
    events: Sequence[Row],
    titles: Mapping[int, str],
    labels: Mapping[tuple[int, str], str],
) -> str:
    """The page: one card per procedure and run, open deadlines soonest first, the latest events.

    `deadlines` come soonest first with `persons` as names; `events` are rows of the event table,
    newest first; `titles` are the procedures' short titles; `labels` the runs' labels by (procedure, run).
    """
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    dated = [d for d in deadlines if d.due is not None]
    context = {
        "version": __version__,
        "fy": fy,
        "title": f"สถานะงานตามคู่มือการปฏิบัติงาน ปีงบประมาณ {fy}",
        "office": office,
        "as_of": format_short(today),
        "css": Markup(_CSS),  # ours, not the records': marked safe so that its quotes stay quotes
        "soon_days": SOON_WORKING_DAYS,
        "shown": SHOWN_DEADLINES,
        "totals": {
            "procedures": len(titles),
            "started": len({r.procedure for r in rows if r.run}),
            "finished": sum(1 for r in rows if r.status == "finished"),
            "overdue": sum(1 for d in dated if _deadline_class(d) == "overdue"),
            "soon": sum(1 for d in dated if _deadline_class(d) == "soon"),
        },
        "cards": [_card(r) for r in rows],
        "deadlines": [
            {
                "css": _deadline_class(d),
                "due": format_short(d.due) if d.due else "-",
                "left": _left_text(d),
                "procedure": d.procedure,
                "title": titles.get(d.procedure, ""),
                "label": labels.get((d.procedure, d.run), "") if d.run else "",
                "ref": d.ref,
                "text": d.text,
                "detail": d.detail or "",
                "persons": list(d.persons),
            }
            for d in deadlines
        ],
        "events": [_activity(e, titles) for e in events],
    }
    return env.from_string(_TEMPLATE).render(context)
