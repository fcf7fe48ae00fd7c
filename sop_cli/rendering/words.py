"""The one vocabulary of the records, in Thai and English: events, run states, deadline states, evidence.

The terminal speaks the person's language (`sop_cli.i18n`); the report, the exports and the HTML
page are the office's documents and always speak Thai (`lang="th"`). Every one of them takes its
words from here, so that a finished run is called the same thing everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from sop_cli.thai_calendar import format_short

if TYPE_CHECKING:
    # Imported where used: the record models pull in pydantic, which `sop status` does not need.
    from sop_cli.models.records import Event, EvidenceDocument, EvidenceFile, EvidenceLink

# code: (English, Thai)
RUN_STATUS: dict[str, tuple[str, str]] = {
    "not_started": ("not started", "ยังไม่เริ่ม"),
    "open": ("in progress", "กำลังดำเนินการ"),
    "finished": ("finished", "เสร็จสิ้น"),
    "cancelled": ("cancelled", "ยกเลิก"),
}
DEADLINE_STATE: dict[str, tuple[str, str]] = {
    "open": ("not due yet", "ยังไม่ถึงกำหนด"),
    "overdue": ("overdue", "เกินกำหนด"),
    "met": ("met on time", "ทันกำหนด"),
    "late": ("met late", "เสร็จช้ากว่ากำหนด"),
}
EVIDENCE_KIND: dict[str, tuple[str, str]] = {
    "file": ("file", "ไฟล์"),
    "link": ("link", "ลิงก์"),
    "document": ("official document", "หนังสือราชการ"),
}
EVENT_TYPE: dict[str, tuple[str, str]] = {
    "started": ("run started", "เริ่มงาน"),
    "step_completed": ("step done", "ขั้นตอนเสร็จ"),
    "decision": ("decision", "พิจารณา"),
    "note": ("note", "บันทึก"),
    "evidence_added": ("evidence", "หลักฐาน"),
    "hours_logged": ("hours", "ชั่วโมงทำงาน"),
    "scheduled": ("date set", "กำหนดวัน"),
    "standard_met": ("deadline met", "ดำเนินการตามกำหนด"),
    "count": ("responses", "การตอบกลับ"),
    "cancelled": ("run cancelled", "ยกเลิกงาน"),
    "voided": ("void", "ไม่นับ"),
    "assigned": ("handed over", "มอบหมายงาน"),
}
OUTCOME: dict[str, tuple[str, str]] = {
    "done": ("done", "เสร็จ"),
    "approved": ("approved", "เห็นชอบ"),
    "rejected": ("rejected", "ไม่เห็นชอบ"),
}
DOCUMENT_KIND: dict[str, tuple[str, str]] = {
    "memo": ("memo", "บันทึกข้อความ"),
    "external_letter": ("external letter", "หนังสือภายนอก"),
    "order": ("order", "คำสั่ง"),
}
# The named events of the timing rules, whose dates `sop schedule --event` sets (its id or either name).
SCHEDULED_EVENT: dict[str, tuple[str, str]] = {
    "inspection_visit": ("inspection visit", "วันลงพื้นที่ตรวจราชการ"),
    "coordination_meeting": ("coordination meeting", "วันประชุมประสานแผนการตรวจราชการ"),
    "tools_sent": ("inspection tools sent", "วันจัดส่งเครื่องมือการตรวจราชการ"),
}
VOIDED: tuple[str, str] = ("does not count", "ไม่นับ")


def _lang(lang: str | None) -> int:
    if lang is None:
        from sop_cli.i18n import language

        lang = language()
    return 1 if lang == "th" else 0


def word(table: dict[str, tuple[str, str]], code: str, lang: str | None = None) -> str:
    """The name of `code` in `table`, in `lang` (default: the person's language); the code if unknown."""
    pair = table.get(code)
    return pair[_lang(lang)] if pair else code


def code_of(table: dict[str, tuple[str, str]], name: str) -> str:
    """The code `name` stands for in `table` (the code itself, or its English or Thai name); else `name`."""
    wanted = " ".join(name.split()).casefold()
    for code, pair in table.items():
        if wanted in (code, pair[0].casefold(), pair[1]):
            return code
    return name


def waiting_text(waiting: str, lang: str | None = None) -> str:
    """What a deadline waits for (a named event, or `step K` of the run), in `lang`."""
    step = re.fullmatch(r"step (\d+)", waiting)
    if step:
        return f"ขั้นตอนที่ {step.group(1)}" if _lang(lang) else waiting
    return word(SCHEDULED_EVENT, waiting, lang)


def size_text(size: int, lang: str | None = None) -> str:
    """A file size as people read it: 812 bytes, 2.0 KB, 1.5 MB (ไบต์ in Thai)."""
    if size < 1024:
        return f"{size} {'ไบต์' if _lang(lang) else 'bytes'}"
    if size < 1048576:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1048576:.1f} MB"


def hours_text(hours: float, lang: str | None = None) -> str:
    """Hours without a useless decimal: 1 hour, 2.5 hours, 3 ชั่วโมง."""
    if _lang(lang):
        return f"{hours:g} ชั่วโมง"
    return f"{hours:g} hour" if hours == 1 else f"{hours:g} hours"


def evidence_text(proof: EvidenceFile | EvidenceLink | EvidenceDocument, lang: str | None = None) -> str:
    """One evidence item: the link, or the file with its size (and number) and the start of its hash."""
    from sop_cli.models.records import EvidenceDocument, EvidenceLink

    if isinstance(proof, EvidenceLink):
        return proof.url
    size = size_text(proof.size, lang)
    if isinstance(proof, EvidenceDocument):
        return f"{proof.name} (ที่ {proof.number}, {size}, sha256 {proof.sha256[:12]})"
    return f"{proof.name} ({size}, sha256 {proof.sha256[:12]})"


def _on_step(step: int | None, lang: int) -> str:
    if step is None:
        return ""
    return f" (ขั้นตอนที่ {step})" if lang else f" (step {step})"


def event_summary(event: Event, lang: str | None = None, names: Mapping[str, str] | None = None) -> str:
    """What an event recorded, in one line; `names` gives the names of staff ids it mentions."""
    from sop_cli.models.records import (
        Assigned,
        Cancelled,
        CountReported,
        Decided,
        EvidenceAdded,
        HoursLogged,
        NoteAdded,
        Scheduled,
        StandardMet,
        Started,
        StepCompleted,
        Voided,
    )

    th = _lang(lang)
    if isinstance(event, Started):
        label = f" ({event.label})" if event.label else ""
        return (f"เริ่มงานปีงบประมาณ {event.fy}" if th else f"started for fiscal year {event.fy}") + label
    if isinstance(event, StepCompleted):
        forced = (f" นอกลำดับ ({event.reason})" if th else f" out of order ({event.reason})") if event.forced else ""
        head = f"ขั้นตอนที่ {event.step} เสร็จ" if th else f"step {event.step} done"
        return head + forced + (f": {event.note}" if event.note else "")
    if isinstance(event, Decided):
        if event.outcome.value == "approved":
            head = f"ขั้นตอนที่ {event.step} เห็นชอบ" if th else f"step {event.step} approved"
            return head + (f": {event.note}" if event.note else "")
        return (f"ขั้นตอนที่ {event.step} ไม่เห็นชอบ" if th else f"step {event.step} rejected") + f": {event.reason}"
    if isinstance(event, NoteAdded):
        return ("บันทึก" if th else "note") + _on_step(event.step, th) + f": {event.text}"
    if isinstance(event, EvidenceAdded):
        return ("หลักฐาน" if th else "evidence") + _on_step(event.step, th) + f": {evidence_text(event.evidence, lang)}"
    if isinstance(event, HoursLogged):
        return hours_text(event.hours, lang) + _on_step(event.step, th)
    if isinstance(event, Scheduled):
        name = word(SCHEDULED_EVENT, event.event, lang)
        return (f"กำหนด{name}" if th else f"{name} set") + f": {format_short(event.on)}"
    if isinstance(event, StandardMet):
        head = f"ดำเนินการตามกำหนดข้อ {event.ref} แล้ว" if th else f"deadline {event.ref} met"
        return head + (f": {event.note}" if event.note else "")
    if isinstance(event, CountReported):
        if th:
            return f"ได้รับตอบกลับ {event.received}/{event.expected} (ข้อ {event.ref})"
        return f"responses for {event.ref}: {event.received}/{event.expected}"
    if isinstance(event, Cancelled):
        return ("ยกเลิกงาน" if th else "run cancelled") + f": {event.reason}"
    if isinstance(event, Assigned):
        people = ", ".join((names or {}).get(p, p) for p in event.persons)
        if th:
            what = f"ขั้นตอนที่ {event.step}" if event.step is not None else "ทั้งงาน"
            head = f"มอบหมาย{what} ให้ {people}"
        else:
            what = f"step {event.step}" if event.step is not None else "the whole run"
            head = f"{what} handed to {people}"
        return head + (f": {event.note}" if event.note else "")
    assert isinstance(event, Voided)
    return (f"ไม่นับเหตุการณ์ {event.target}" if th else f"event {event.target} does not count") + f": {event.reason}"
