"""What the monitoring report of section 7 says: its period, file name, view and evidence index.

`sop report` (actions/report.py) and `sop dossier` (actions/dossier.py) both shape the report from
here; rendering/docx_report.py lays it out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sop_cli.deadlines import LATE, MET, OPEN, OVERDUE, Deadline
from sop_cli.engine import Closure, RunStatus, StepState
from sop_cli.errors import SopError
from sop_cli.journal import EvidenceItem, Journal, RunRecord, YearData
from sop_cli.models.catalog import Catalog
from sop_cli.models.documents import SIGNATORY_PLACEHOLDER
from sop_cli.models.procedure import Procedure
from sop_cli.models.records import Cancelled, EvidenceDocument, EvidenceLink, NoteAdded, NoteKind, Voided
from sop_cli.models.settings import OfficeTable
from sop_cli.models.values import Period
from sop_cli.thai_calendar import fiscal_year_bounds, quarter_bounds
from sop_cli.views.report import (
    Companion,
    DeadlineView,
    EvidenceRow,
    MonitoringView,
    NoteView,
    PersonHours,
    ProcedureSection,
    ReportView,
    RunView,
    Signer,
    SignOff,
    StandardView,
    SummaryRow,
    TimelineEntry,
)
from sop_cli.workspace import Workspace

REPORTS = "reports"
_PERIOD_FILE = {Period.half: "6เดือน", Period.year: "1ปี"}
# A row's standard is matched to a section 6 standard by its text; shorter texts match too much.
_MIN_MATCH = 10


def period_bounds(fy: int, period: Period) -> tuple[dt.date, dt.date]:
    """First and last day of a report's period: `half` is quarters 1–2, `year` the fiscal year."""
    start, end = fiscal_year_bounds(fy)
    return start, (quarter_bounds(fy, 2)[1] if period == Period.half else end)


def default_report_path(ws: Workspace, fy: int, period: Period, numbers: Sequence[int] = ()) -> Path:
    """`reports/2570/รายงานผลการติดตาม-2570-6เดือน.docx` (with `-งาน02-05` for some procedures)."""
    chosen = "-งาน" + "-".join(f"{n:02d}" for n in sorted(set(numbers))) if numbers else ""
    return ws.root / REPORTS / str(fy) / f"รายงานผลการติดตาม-{fy}-{_PERIOD_FILE[period]}{chosen}.docx"


def report_view(ws: Workspace, fy: int, period: Period, numbers: Sequence[int], today: dt.date) -> ReportView:
    """Gather what was recorded up to the period's end and shape it for the report."""
    start, end = period_bounds(fy, period)
    journal = Journal.for_day(ws, today)
    data = journal.year(fy, numbers, until=end)
    office = report_office(ws)
    evidence = evidence_rows(ws, data)
    numbered = {event: row.number for row in evidence for event in row.events}
    wanted = sorted(set(numbers)) if numbers else sorted(data.catalog.procedures)
    summary, sections = [], []
    for number in wanted:
        proc = data.catalog.procedure(number)
        records = data.runs.get(number, ())
        deadlines = _deadlines(data, number)
        summary.append(_summary_row(proc, records, [d for d in deadlines if _in_period(d, end)], evidence))
        sections.append(_section(proc, records, deadlines, end, data, numbered))
    counted = [s for s in data.events if not isinstance(s.event, Voided) and s.event.id not in data.voided]
    return ReportView(
        fy=fy,
        period=period,
        start=start,
        end=end,
        as_of=min(today, end),
        issued=today,
        office=office.name,
        unit=office.unit,
        all_procedures=not numbers,
        summary=tuple(summary),
        sections=tuple(sections),
        evidence=evidence,
        events=len(counted),
        notes=_notes(data, set(wanted)),
        signoff=_signoff(office),
        people=_people_hours(journal, data, set(wanted), end),
    )


def report_office(ws: Workspace) -> OfficeTable:
    """The [office] table of sop.toml: who issues and signs the report, its font and digits."""
    from sop_cli.loading.settings import load_settings  # only document commands need sop.toml

    return load_settings(ws).office


def _people_hours(journal: Journal, data: YearData, wanted: set[int], end: dt.date) -> tuple[PersonHours, ...]:
    """Each person's hours recorded in the period against the plan's hours of its months (those with either)."""
    from sop_cli.models.records import HoursLogged
    from sop_cli.work import year_plan

    recorded: dict[str, float] = {}
    for stored in data.events:
        event = stored.event
        if isinstance(event, HoursLogged) and event.id not in data.voided and event.procedure in wanted:
            recorded[event.by] = recorded.get(event.by, 0.0) + event.hours
    planned: dict[str, float] | None
    try:
        plan = year_plan(journal, data.fy)
    except SopError:  # the holiday calendar does not cover the year: the recorded hours still show
        planned = None
    else:
        months = [i for i, (y, m) in enumerate(plan.months) if dt.date(y, m, 1) <= end]
        planned = {load.person: sum(load.hours[i] for i in months) for load in plan.loads if load.person}
    rows = []
    for member in data.catalog.roster.staff:
        mine = planned.get(member.id, 0.0) if planned is not None else None
        if recorded.get(member.id) or mine:
            rows.append(PersonHours(member.display_name, recorded.get(member.id, 0.0), mine))
    return tuple(rows)


def _notes(data: YearData, wanted: set[int]) -> tuple[NoteView, ...]:
    """The problems, obstacles and recommendations recorded in the period, by date."""
    found = []
    for stored in data.events:
        event = stored.event
        if not isinstance(event, NoteAdded) or event.kind is NoteKind.plain or event.id in data.voided:
            continue
        if event.procedure not in wanted:
            continue
        found.append(
            NoteView(
                kind=event.kind.value,  # type: ignore[arg-type]  # plain was left out above
                procedure=event.procedure,
                short_title=data.catalog.procedure(event.procedure).short_title,
                date=event.date,
                by=data.catalog.staff_name(event.by),
                text=event.text,
            )
        )
    return tuple(sorted(found, key=lambda n: (n.date, n.procedure)))


def _signoff(office: OfficeTable) -> SignOff:
    """Who signs the report: the reporter by hand; the group's director is who signs memos, if set."""
    director = (
        Signer(_bare(office.memo_signatory), office.memo_signatory_positions)
        if office.memo_signatory is not None
        else Signer(None, (f"ผู้อำนวยการ{office.unit}",))
    )
    head_name = None if office.signatory == SIGNATORY_PLACEHOLDER else _bare(office.signatory)
    return SignOff(Signer(None), director, Signer(head_name, office.signatory_positions))


def _bare(name: str) -> str:
    """A name without the parentheses a person may have typed around it."""
    return name[1:-1].strip() if name.startswith("(") and name.endswith(")") else name


# --- the pieces of the view ------------------------------------------------------------------------


_RANK = {MET: 0, LATE: 1, OPEN: 2, OVERDUE: 3}  # which of two runs' states of one obligation counts


def _deadlines(data: YearData, number: int) -> list[Deadline]:
    """The procedure's deadlines; one due on the same day in several runs is one obligation.

    The engine gives every run all the procedure's deadlines: a second run (the second
    inspection round) owes again "within quarter 1". The procedure met it if one run did.
    """
    found = [d for r in data.runs.get(number, ()) for d in r.deadlines] + list(data.idle_deadlines.get(number, ()))
    merged: dict[tuple[str, dt.date | int], Deadline] = {}
    for index, d in enumerate(found):
        key = (d.ref, d.due if d.due is not None else index)  # waiting ones are each run's own
        other = merged.get(key)
        if other is None:
            merged[key] = d
        else:
            best = min(other, d, key=lambda x: _RANK.get(x.status, 2))
            merged[key] = replace(best, run=None)
    return list(merged.values())


def _in_period(deadline: Deadline, end: dt.date) -> bool:
    """Due by the period's end, met by then (the replay stops there), or waiting for a date."""
    return deadline.due is None or deadline.due <= end or deadline.done_on is not None


def _live(records: Sequence[RunRecord]) -> list[RunRecord]:
    return [r for r in records if r.loaded.state.status is not RunStatus.cancelled]


def _summary_row(
    proc: Procedure, records: Sequence[RunRecord], deadlines: Sequence[Deadline], evidence: Sequence[EvidenceRow]
) -> SummaryRow:
    live = _live(records)
    runs = max(len(live), 1)  # a procedure not started still owes one run's steps
    return SummaryRow(
        procedure=proc.number,
        short_title=proc.short_title,
        runs=len(records),
        steps_done=sum(r.loaded.state.done_count for r in live),
        steps_total=len(proc.steps) * runs,
        hours=sum(r.loaded.state.hours for r in records),
        planned_hours=proc.total_hours * runs,
        met=sum(1 for d in deadlines if d.status == MET),
        missed=sum(1 for d in deadlines if d.status in (LATE, OVERDUE)),
        open=sum(1 for d in deadlines if d.is_open and d.status != OVERDUE),
        rejected=sum(len(r.loaded.state.rejections) for r in records),
        evidence=sum(1 for e in evidence if e.procedure == proc.number),
    )


def _run_name(record: RunRecord) -> str:
    return record.loaded.state.label or record.loaded.folder.run


def _deadline_view(deadline: Deadline, names: dict[str | None, str | None]) -> DeadlineView:
    return DeadlineView(
        ref=deadline.ref,
        text=deadline.text,
        status=deadline.status,
        due=deadline.due,
        done_on=deadline.done_on,
        waiting_for=deadline.waiting_for,
        detail=deadline.detail,
        run_label=names.get(deadline.run),
    )


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _rows_stating(proc: Procedure, text: str) -> list[int]:
    """Indexes of the step table's rows whose standard column states this work standard."""
    wanted = _normal(text)
    found = []
    for index, row in enumerate(proc.rows):
        for stated in map(_normal, row.standard):
            shorter = min(len(stated), len(wanted))
            if stated == wanted or (shorter >= _MIN_MATCH and (stated in wanted or wanted in stated)):
                found.append(index)
                break
    return found


def _standards(
    proc: Procedure,
    records: Sequence[RunRecord],
    deadlines: Sequence[DeadlineView],
    evidence: Sequence[tuple[EvidenceItem, int]],
) -> tuple[StandardView, ...]:
    views = []
    for i, standard in enumerate(proc.standards, start=1):
        ref = f"6.{i}"
        rows = _rows_stating(proc, standard.text)
        if standard.step is not None:
            steps: tuple[int, ...] = (standard.step,)
            basis = "step"
        elif rows:
            steps = tuple(s.number for index in rows for s in proc.rows[index].steps)
            basis = "row"
        else:
            steps, basis = (), "none"
        marked = sorted(day for r in records for day in r.loaded.state.met.get(ref, ()))
        done = {c.step for r in records for c in r.loaded.state.history if c.outcome != "rejected"}
        skipped = {n for r in records for n, state in r.loaded.state.steps.items() if state is StepState.skipped}
        views.append(
            StandardView(
                ref=ref,
                text=standard.text,
                timed=standard.timing is not None,
                deadlines=tuple(d for d in deadlines if d.ref == ref),
                steps=steps,
                steps_done=tuple(s for s in steps if s in done),
                steps_skipped=tuple(s for s in steps if s in skipped and s not in done),
                basis=basis,  # type: ignore[arg-type]  # one of the literals above
                rows=tuple(proc.rows[index].label for index in rows),
                evidence=tuple(sorted({number for item, number in evidence if item.step in steps})),
                marked=tuple(marked),
            )
        )
    return tuple(views)


def _entry(closure: Closure, proc: Procedure, catalog: Catalog) -> TimelineEntry:
    outcome = {"done": "done", "approved": "approved", "rejected": "rejected"}[str(closure.outcome)]
    return TimelineEntry(
        date=closure.date,
        what=outcome,  # type: ignore[arg-type]  # one of the three literals
        step=closure.step,
        step_text=proc.step(closure.step).text,
        by=catalog.staff_name(closure.by),
        round=closure.round,
        reason=closure.reason,
        note=closure.note,
        forced=closure.forced,
    )


def _run_view(record: RunRecord, catalog: Catalog) -> RunView:
    state, proc = record.loaded.state, record.procedure
    entries = []
    if state.started_on is not None:
        entries.append(
            TimelineEntry(state.started_on, "started", None, None, catalog.staff_name(state.started_by or ""), 1)
        )
    entries += [_entry(c, proc, catalog) for c in state.history]
    for stored in record.loaded.events:
        event = stored.event
        if isinstance(event, Cancelled):
            entries.append(
                TimelineEntry(
                    event.date, "cancelled", None, None, catalog.staff_name(event.by), state.round, event.reason
                )
            )
    return RunView(
        run=record.loaded.folder.run,
        label=state.label,
        status=state.status.value,
        started_on=state.started_on,
        steps_done=state.done_count,
        steps_total=len(proc.steps),
        round=state.round,
        hours=state.hours,
        entries=tuple(entries),
        rejections=tuple(_entry(c, proc, catalog) for c in state.rejections),
        cancel_reason=state.cancel_reason,
        # Only where steps repeat each round, as in `sop status` (procedure ๑ owes its rounds' deadlines).
        cycle=state.cycle if proc.cycles is not None and proc.cycles.first_step is not None else None,
    )


def _section(
    proc: Procedure,
    records: Sequence[RunRecord],
    deadlines: Sequence[Deadline],
    end: dt.date,
    data: YearData,
    numbered: dict[str, int],
) -> ProcedureSection:
    several = len(records) > 1
    names: dict[str | None, str | None] = {r.loaded.folder.run: (_run_name(r) if several else None) for r in records}
    views = [_deadline_view(d, names) for d in deadlines]
    items = [(item, numbered[item.event]) for r in records for item in r.evidence]
    monitoring = proc.monitoring
    # A round's deadline carries the whole statement of section 7: name it by its round instead.
    round_names = {f"7.{i}": f"การติดตามและประเมินผล รอบ {r.name}" for i, r in enumerate(monitoring.rounds, 1)}
    views = [replace(v, text=round_names[v.ref]) if v.ref in round_names else v for v in views]
    in_period = [v for v, d in zip(views, deadlines, strict=True) if _in_period(d, end)]
    return ProcedureSection(
        number=proc.number,
        short_title=proc.short_title,
        title=proc.header.title,
        active=bool(records),
        runs=tuple(_run_view(r, data.catalog) for r in records),
        standards=_standards(proc, records, views, items),
        monitoring=MonitoringView(
            text=monitoring.text,
            rounds=tuple(v for v in views if v.ref in round_names),
            times_per_year=monitoring.times_per_year,
        ),
        deadlines_elsewhere=tuple(v for v in views if not v.ref.startswith(("6.", "7."))),
        late=tuple(v for v in in_period if v.status in (LATE, OVERDUE)),
        evidence=tuple(dict.fromkeys(number for _, number in items)),  # a document's files are one row
    )


def evidence_rows(ws: Workspace, data: YearData) -> tuple[EvidenceRow, ...]:
    """Every evidence item, numbered by procedure, run (in start order), day and time recorded.

    A generated document is one row however many files it has: its latest version's .docx, with
    its PDF/A and the earlier versions a correction replaced listed as the row's companions.
    """
    records = [r for runs in data.runs.values() for r in runs]
    labels = {r.loaded.folder.run: r.loaded.state.label for r in records}
    order = {r.loaded.folder.run: i for i, r in enumerate(records)}
    recorded = {s.event.id: s.event.at for r in records for s in r.loaded.events}
    items = sorted(data.evidence, key=lambda i: (i.procedure, order[i.run], i.date, recorded[i.event], i.event))
    documents: dict[tuple[str, str, str], list[EvidenceItem]] = {}
    for item in items:
        key = _document_key(item)
        if key is not None:
            documents.setdefault(key, []).append(item)
    rows: list[EvidenceRow] = []
    for item in items:
        key = _document_key(item)
        if key is None:
            rows.append(_evidence_row(ws, data, item, labels, len(rows) + 1))
            continue
        main, companions = _versions(ws, documents[key])
        if item is main:
            row = _evidence_row(ws, data, item, labels, len(rows) + 1)
            rows.append(replace(row, companions=companions))
    return tuple(rows)


def _document_key(item: EvidenceItem) -> tuple[str, str, str] | None:
    """What names one generated document across its files: its run, kind and number (None for others)."""
    proof = item.proof
    if not isinstance(proof, EvidenceDocument) or proof.format == "copy":
        return None  # a received letter's copy is a file of its own
    return item.run, proof.doc_type, proof.number


def _versions(ws: Workspace, items: Sequence[EvidenceItem]) -> tuple[EvidenceItem, tuple[Companion, ...]]:
    """The item that stands for a document (its latest .docx) and its other files as companions."""

    def rank(item: EvidenceItem) -> tuple[int, int, int]:
        proof = item.proof
        assert isinstance(proof, EvidenceDocument)
        return proof.version, proof.format == "docx", items.index(item)

    main = max(items, key=rank)
    latest = main.proof
    assert isinstance(latest, EvidenceDocument)
    reasons = {p.version: p.reason for p in (i.proof for i in items) if isinstance(p, EvidenceDocument)}
    companions = []
    for item in sorted(items, key=rank):
        proof = item.proof
        if item is main or not isinstance(proof, EvidenceDocument):
            continue
        current = proof.version == latest.version
        companions.append(
            Companion(
                role="pdf" if current and proof.format == "pdf" else "earlier",
                version=proof.version,
                name=proof.name,
                stored=None if item.path is None else ws.relative(item.path),
                sha256=proof.sha256,
                size=proof.size,
                event=item.event,
                reason=None if current else reasons.get(proof.version + 1),
            )
        )
    return main, tuple(companions)


def _evidence_row(
    ws: Workspace, data: YearData, item: EvidenceItem, labels: dict[str, str | None], number: int
) -> EvidenceRow:
    proof = item.proof
    link = isinstance(proof, EvidenceLink)
    return EvidenceRow(
        number=number,
        procedure=item.procedure,
        run=item.run,
        run_label=labels.get(item.run),
        step=item.step,
        date=item.date,
        by=data.catalog.staff_name(item.by),
        kind=proof.kind,
        name=proof.url if isinstance(proof, EvidenceLink) else proof.name,
        doc_number=proof.number if isinstance(proof, EvidenceDocument) else None,
        doc_type=proof.doc_type if isinstance(proof, EvidenceDocument) else None,
        size=None if isinstance(proof, EvidenceLink) else proof.size,
        sha256=None if isinstance(proof, EvidenceLink) else proof.sha256,
        stored=None if link or item.path is None else ws.relative(item.path),
        event=item.event,
        version=proof.version if isinstance(proof, EvidenceDocument) else 1,
    )
