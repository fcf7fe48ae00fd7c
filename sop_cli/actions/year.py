"""Everything recorded in one fiscal year, gathered once for reports, exports and the dossier."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sop_cli.actions.deadlines import working_calendar
from sop_cli.actions.runs import LoadedRun, runs_of_year
from sop_cli.deadlines import Deadline, run_deadlines
from sop_cli.engine import new_run, replay
from sop_cli.errors import SopError
from sop_cli.loading.catalog import load_catalog
from sop_cli.models.catalog import Catalog
from sop_cli.models.procedure import Procedure
from sop_cli.models.records import EvidenceAdded, EvidenceDocument, EvidenceFile, EvidenceLink, Started, Voided
from sop_cli.storage.records import StoredEvent, load_events
from sop_cli.workspace import Workspace


@dataclass(frozen=True)
class EvidenceItem:
    """One evidence file, link or generated document, with where it came from."""

    procedure: int
    run: str
    step: int | None
    date: dt.date
    by: str  # staff id
    event: str
    proof: EvidenceFile | EvidenceLink | EvidenceDocument
    path: Path | None  # the file in the run folder (None for a link)


@dataclass(frozen=True)
class RunRecord:
    """One run of the year: its events, replayed state and deadlines."""

    procedure: Procedure
    loaded: LoadedRun
    deadlines: tuple[Deadline, ...]
    evidence: tuple[EvidenceItem, ...]


@dataclass(frozen=True)
class YearData:
    """The records of a fiscal year, as of `today`."""

    fy: int
    today: dt.date
    catalog: Catalog
    runs: dict[int, tuple[RunRecord, ...]]  # by procedure number, in start order
    idle_deadlines: dict[int, tuple[Deadline, ...]]  # deadlines of procedures with no run
    events: tuple[StoredEvent, ...]  # every event file of the year, in replay order
    voided: frozenset[str]  # ids of events that do not count
    until: dt.date | None = None  # events dated after this day were left out (a report's period end)

    @property
    def evidence(self) -> list[EvidenceItem]:
        """Every evidence item of the year, in procedure and date order."""
        items = [item for runs in self.runs.values() for record in runs for item in record.evidence]
        return sorted(items, key=lambda i: (i.procedure, i.run, i.date, i.event))

    @property
    def deadlines(self) -> list[Deadline]:
        """Every deadline of the year (runs and procedures not started)."""
        found = [d for runs in self.runs.values() for r in runs for d in r.deadlines]
        return found + [d for ds in self.idle_deadlines.values() for d in ds]


def _evidence(loaded: LoadedRun, voided: frozenset[str]) -> tuple[EvidenceItem, ...]:
    items = []
    for stored in loaded.events:
        event = stored.event
        if not isinstance(event, EvidenceAdded) or event.id in voided:
            continue
        proof = event.evidence
        path = None if isinstance(proof, EvidenceLink) else loaded.folder.path / proof.stored
        items.append(EvidenceItem(event.procedure, event.run, event.step, event.date, event.by, event.id, proof, path))
    return tuple(items)


def _cut(loaded: LoadedRun, proc: Procedure, until: dt.date) -> LoadedRun | None:
    """The run as it stood at the end of `until`: replayed from the events dated up to that day.

    Voids are kept whatever their date: a void corrects the record, it is not something that
    happened. A run started after `until` did not exist yet (None).
    """
    kept = tuple(s for s in loaded.events if s.event.date <= until or isinstance(s.event, Voided))
    if not any(isinstance(s.event, Started) for s in kept):
        return None
    state, rejected = replay(proc, loaded.folder.run, (s.event for s in kept))
    return LoadedRun(loaded.folder, kept, state, tuple(rejected))


def gather_year(
    ws: Workspace, fy: int, today: dt.date, numbers: list[int] | None = None, *, until: dt.date | None = None
) -> YearData:
    """Load every run, event, deadline and evidence item of fiscal year `fy` (of some procedures).

    With `until`, only what happened up to that day counts: runs are replayed from the events
    dated up to it, and deadlines are judged on `today` or, if `until` is over, as it ended.
    """
    catalog = load_catalog(ws)
    for number in numbers or []:
        catalog.procedure(number)  # an unknown number is a clear error
    if not 2500 <= fy <= 2700:
        raise SopError(f"fiscal year {fy} cannot be meant: write the Buddhist Era year, such as 2570")
    wanted = set(numbers) if numbers else set(catalog.procedures)
    calendar = working_calendar(ws)
    from sop_cli.loading.settings import academic_year_end

    year_end = academic_year_end(ws, fy)
    stored, _ = load_events(ws, fy)
    voided = frozenset(s.event.target for s in stored if isinstance(s.event, Voided))
    loaded_runs = runs_of_year(ws, catalog, fy)
    # Judged after `until` has ended, something due on that day and not done by then is overdue.
    judged_on = today if until is None else min(today, until + dt.timedelta(days=1))
    runs: dict[int, tuple[RunRecord, ...]] = {}
    idle: dict[int, tuple[Deadline, ...]] = {}
    for number, proc in catalog.procedures.items():
        if number not in wanted:
            continue
        records = []
        mine = loaded_runs.get(number, [])
        if until is not None:
            mine = [cut for cut in (_cut(loaded, proc, until) for loaded in mine) if cut is not None]
        for index, loaded in enumerate(mine):
            deadlines = run_deadlines(
                proc, loaded.state, fy, judged_on, calendar, run_index=index, academic_year_end=year_end
            )
            records.append(RunRecord(proc, loaded, tuple(deadlines), _evidence(loaded, voided)))
        if records:
            runs[number] = tuple(records)
        else:
            idle[number] = tuple(
                run_deadlines(proc, new_run(proc, ""), fy, judged_on, calendar, academic_year_end=year_end)
            )
    events = tuple(
        sorted(
            (
                s
                for s in stored
                if s.event.procedure in wanted
                and (until is None or s.event.date <= until or isinstance(s.event, Voided))
            ),
            key=lambda s: (s.event.at, s.event.id),
        )
    )
    return YearData(fy, today, catalog, runs, idle, events, voided, until)
