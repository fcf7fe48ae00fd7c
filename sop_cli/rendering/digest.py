"""Word a person's daily reminder as a Thai e-mail: subject, plain-text body, and the message itself.

The reminder is the office's correspondence, like the report and the exports: it is written in
Thai whatever language the person who runs `sop remind` uses. It is plain text in UTF-8, so that
every mail program shows it as written.
"""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sop_cli.thai_calendar import format_short
from sop_cli.views.people import Digest, WorkItem

RULE = "─" * 40


def subject(digest: Digest) -> str:
    """The subject line: the person, the day, and the counts."""
    counts = []
    if digest.overdue:
        counts.append(f"เกินกำหนด {len(digest.overdue)}")
    if digest.soon:
        counts.append(f"ใกล้ถึงกำหนด {len(digest.soon)}")
    if digest.decisions:
        counts.append(f"รอการพิจารณา {len(digest.decisions)}")
    if digest.changes:
        counts.append(f"ความเคลื่อนไหว {len(digest.changes)}")
    return f"[sop] งานของ {digest.name} วันที่ {format_short(digest.today)}: " + " · ".join(counts)


def _item(item: WorkItem, digest: Digest) -> list[str]:
    where = f"งานที่ {item.procedure} {item.title}"
    if item.label:
        where += f" ({item.label})"
    if item.ref:
        head = f"ข้อ {item.ref}"
    elif item.step is not None:
        head = f"ขั้นตอนที่ {item.step}"
    else:
        head = ""
    when = ""
    if item.due is not None and item.days_left is not None:
        left = f"เกินมา {-item.days_left} วันทำการ" if item.days_left < 0 else f"อีก {item.days_left} วันทำการ"
        when = f" (กำหนด {format_short(item.due)}, {left})"
    lines = [f"- {where}: {head}{when}", f"  {item.what}" + (f" ({item.detail})" if item.detail else "")]
    if item.for_person is not None:
        lines.append(f"  งานของ {digest.names.get(item.for_person, item.for_person)} ซึ่งลาอยู่")
    lines.append(f"  ต่อไป: {item.action}")
    return lines


def body(digest: Digest) -> str:
    """The reminder's text: one section per kind of item, the changes, and how to see everything."""
    lines = [f"เรียน {digest.name}", "", f"สรุปงานตามคู่มือการปฏิบัติงาน ณ วันที่ {format_short(digest.today)}", ""]
    for leave in digest.standing_in_for:
        who = digest.names.get(leave.person, leave.person)
        lines += [f"ท่านปฏิบัติหน้าที่แทน {who} ถึงวันที่ {format_short(leave.end)}: รายการด้านล่างรวมงานของผู้ลาด้วย", ""]
    sections = (
        (f"เกินกำหนด ({len(digest.overdue)} รายการ)", digest.overdue),
        (f"ครบกำหนดภายใน {digest.within} วันทำการ ({len(digest.soon)} รายการ)", digest.soon),
        (f"รอการพิจารณา ({len(digest.decisions)} รายการ)", digest.decisions),
    )
    for title, items in sections:
        if not items:
            continue
        lines += [title, RULE]
        for item in items:
            lines += _item(item, digest)
        lines.append("")
    if digest.changes:
        since = f"ตั้งแต่การแจ้งครั้งก่อน ({format_short(digest.since.date())})" if digest.since else "ในสัปดาห์ที่ผ่านมา"
        lines += [f"ความเคลื่อนไหว{since} ({len(digest.changes)} รายการ)", RULE]
        for change in digest.changes:
            lines.append(f"- {format_short(change.date)} งานที่ {change.procedure}: {change.summary} ({change.by})")
        lines.append("")
    lines += ["ดูงานทั้งหมดของท่านได้ด้วยคำสั่ง sop todo", "", "ข้อความนี้ส่งโดยอัตโนมัติจาก sop"]
    return "\n".join(lines) + "\n"


def message(digest: Digest, sender: str, to: str, now: dt.datetime) -> EmailMessage:
    """The e-mail: UTF-8 plain text, the Thai subject encoded as mail requires."""
    mail = EmailMessage()
    mail["Subject"] = subject(digest)
    mail["From"] = sender
    mail["To"] = to
    mail["Date"] = format_datetime(now)
    mail["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    mail.set_content(body(digest), charset="utf-8")
    return mail
