"""Runs of a procedure: start, advance, note, cancel, void, and the views of their state."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from sop_cli import __version__
from sop_cli.engine import (
    Closure,
    IllegalMove,
    Rejected,
    RunState,
    RunStatus,
    apply,
    new_run,
    replay,
)
from sop_cli.errors import SopError
from sop_cli.loading.cache import read_cache, write_cache
from sop_cli.loading.catalog import load_catalog
from sop_cli.models.catalog import Catalog
from sop_cli.models.procedure import Procedure
from sop_cli.models.records import (
    Cancelled,
    CountReported,
    Decided,
    Event,
    EvidenceAdded,
    EvidenceDocument,
    EvidenceFile,
    EvidenceLink,
    HoursLogged,
    NoteAdded,
    Outcome,
    Scheduled,
    StandardMet,
    Started,
    StepCompleted,
    Voided,
)

if TYPE_CHECKING:
    from sop_cli.models.settings import EvidenceSettings
from sop_cli.storage.records import (
    RunFolder,
    StoredEvent,
    event_stamps,
    fiscal_years,
    load_events,
    new_id,
    records_lock,
    remove_leftovers,
    run_folder,
    run_folders,
    sha256_of,
    store_evidence_file,
    write_event,
)
from sop_cli.thai_calendar import arabic_digits, fiscal_year, format_short
from sop_cli.views.runs import (
    AttachmentView,
    Change,
    ClosureView,
    LogEntry,
    Timeline,
    TimelineStep,
)
from sop_cli.workspace import Workspace

USER_ENV = "SOP_USER"


@dataclass(frozen=True)
class Actor:
    """Who is acting and when: the clock is passed in, never read here."""

    by: str | None  # --by, if given
    now: dt.datetime  # aware, Asia/Bangkok


# --- who and when ----------------------------------------------------------------------------


def resolve_actor(ws: Workspace, catalog: Catalog, by: str | None) -> str:
    """The acting staff id: --by, else $SOP_USER, else `git config sop.user`, else a clear error."""
    chosen = by or os.environ.get(USER_ENV) or _git_user(ws)
    if not chosen:
        raise SopError(
            "who is acting? pass --by ID, set SOP_USER=ID, or run `git config sop.user ID` "
            "in the workspace (IDs are in sops/staff.yaml)"
        )
    known = [m.id for m in catalog.roster.staff]
    if chosen not in known:
        raise SopError(f"'{chosen}' is not in the staff roster (sops/staff.yaml); known ids: {', '.join(known)}")
    return chosen


def _git_user(ws: Workspace) -> str | None:
    import subprocess  # only mutating commands ask git who is acting

    try:
        done = subprocess.run(
            ["git", "config", "--get", "sop.user"], cwd=ws.root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def _action_date(date: dt.date | None, now: dt.datetime) -> dt.date:
    today = now.date()
    if date is None:
        return today
    if date > today:
        raise SopError(
            f"{format_short(date)} is in the future (today is {format_short(today)}); record things once they happened"
        )
    return date


# --- loading runs ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedRun:
    """A run with its folder, its events and its replayed state."""

    folder: RunFolder
    events: tuple[StoredEvent, ...]
    state: RunState
    rejected: tuple[Rejected, ...]


def runs_of_year(ws: Workspace, catalog: Catalog, fy: int) -> dict[int, list[LoadedRun]]:
    """Every run of a fiscal year with its events and replayed state, by procedure, in start order."""
    stored, _ = load_events(ws, fy)
    grouped: dict[tuple[int, str], list[StoredEvent]] = defaultdict(list)
    folders: dict[tuple[int, str], RunFolder] = {}
    for item in stored:
        key = (item.folder.procedure, item.folder.run)
        grouped[key].append(item)
        folders[key] = item.folder
    runs: dict[int, list[LoadedRun]] = defaultdict(list)
    for (number, run), items in sorted(grouped.items()):
        proc = catalog.procedures.get(number)
        if proc is None:
            continue
        state, rejected = replay(proc, run, (i.event for i in items))
        runs[number].append(LoadedRun(folders[(number, run)], tuple(items), state, tuple(rejected)))
    for number in runs:
        runs[number].sort(key=lambda r: (r.state.started_on or dt.date.max, r.folder.run))
    return runs


RUNS_CACHE = "runs.pickle"


def run_states(ws: Workspace, catalog: Catalog, fy: int) -> dict[int, list[tuple[RunFolder, RunState, int]]]:
    """(folder, replayed state without attachments, number of events that did not apply) of each run.

    Replayed states are cached per run, keyed by the stamps of all its event files and by the
    catalog they were replayed against: `sop status` reads no event file when nothing changed.
    """
    cache_file = ws.cache / f"{fy}-{RUNS_CACHE}"
    key = (__version__, catalog.stamp, fy)
    cached = read_cache(cache_file, key)
    old: dict[str, tuple[object, RunState, int]] = cached if isinstance(cached, dict) else {}
    fresh: dict[str, tuple[object, RunState, int]] = {}
    full: dict[int, list[LoadedRun]] | None = None
    result: dict[int, list[tuple[RunFolder, RunState, int]]] = defaultdict(list)
    for folder in run_folders(ws, fy):
        stamps = event_stamps(folder)
        hit = old.get(folder.path.name)
        if hit is None or hit[0] != stamps:
            if full is None:
                full = runs_of_year(ws, catalog, fy)
            loaded = next((r for r in full.get(folder.procedure, []) if r.folder.run == folder.run), None)
            if loaded is None:
                continue
            # Notes and evidence are most of a run's events and none of its status: the cache keeps
            # the state without them (the hours are summed apart).
            hit = (stamps, replace(loaded.state, attachments=()), len(loaded.rejected))
        fresh[folder.path.name] = hit
        result[folder.procedure].append((folder, hit[1], hit[2]))
    if fresh != old:
        write_cache(cache_file, key, fresh)
    for number in result:
        result[number].sort(key=lambda r: (r[1].started_on or dt.date.max, r[0].run))
    return result


def _pick_run(runs: Sequence[LoadedRun], number: int, fy: int, wanted: str | None) -> LoadedRun:
    if wanted is not None:
        for run in runs:
            if wanted in (run.folder.run, run.state.label):
                return run
        names = ", ".join(_run_name(r) for r in runs) or "none"
        raise SopError(f"procedure {number} has no run '{wanted}' in fiscal year {fy} (its runs: {names})")
    if not runs:
        raise SopError(f"procedure {number} has no run in fiscal year {fy}; start one with `sop start {number}`")
    open_runs = [r for r in runs if r.state.status is RunStatus.open]
    if len(open_runs) == 1:
        return open_runs[0]
    if len(runs) == 1:
        return runs[0]
    candidates = open_runs or list(runs)
    names = ", ".join(_run_name(r) for r in candidates)
    raise SopError(
        f"procedure {number} has {len(candidates)} runs in fiscal year {fy} ({names}); choose one with --run"
    )


def _run_name(run: LoadedRun) -> str:
    return f"{run.folder.run} '{run.state.label}'" if run.state.label else run.folder.run


# --- writing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Evidence:
    source: Path | None
    link: str | None


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def _evidence_limits(ws: Workspace) -> EvidenceSettings:
    from sop_cli.loading.settings import load_settings  # only commands that attach evidence need sop.toml

    return load_settings(ws).evidence


def size_text(size: int) -> str:
    """A file size as people read it: 812 bytes, 2.0 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1048576:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1048576:.1f} MB"


def _parse_evidence(items: Sequence[str], limits: EvidenceSettings) -> list[_Evidence]:
    """Check every evidence argument before anything is written."""
    parsed = []
    for item in items:
        scheme = _SCHEME.match(item)
        if scheme and len(scheme.group(1)) > 1:  # one letter is a Windows drive, C:
            if scheme.group(1).lower() not in ("http", "https") or not re.match(r"^https?://\S+$", item):
                raise SopError(f"evidence link {item!r} is not an http or https address")
            parsed.append(_Evidence(None, item))
            continue
        path = Path(item).expanduser()
        if not path.exists():
            raise SopError(f"evidence file {item} does not exist")
        if path.is_dir():
            raise SopError(f"evidence {item} is a folder; attach files one by one (or a zip of the folder)")
        if not path.is_file():
            raise SopError(f"evidence {item} is not a regular file")
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise SopError(
                f"evidence file {item} is {size_text(size)}, above the limit of {limits.max_mb:g} MB "
                "(set [evidence] max_mb in sop.toml, or attach a link to the file on Google Drive instead)"
            )
        parsed.append(_Evidence(path, None))
    return parsed


class _Batch:
    """Events of one command, checked against the run's state before any file is written."""

    def __init__(
        self,
        proc: Procedure,
        folder: RunFolder,
        state: RunState,
        actor: str,
        date: dt.date,
        now: dt.datetime,
        after: Sequence[StoredEvent] = (),
    ) -> None:
        self.proc, self.folder, self.state = proc, folder, state
        self.actor, self.date = actor, date
        # Replay orders by the time recorded: on one checkout (under the lock) a new event is
        # always later than the run's last one, even if the clock went back or is fixed.
        latest = max((e.event.at for e in after), default=None)
        self.now = max(now, latest + dt.timedelta(microseconds=1)) if latest else now
        self.events: list[Event] = []
        self.evidence: list[tuple[Path, str]] = []  # (source, sha256) to copy before writing events

    def base(self) -> dict[str, object]:
        # Events of one command are a microsecond apart, in the order they are added.
        at = self.now + dt.timedelta(microseconds=len(self.events))
        return {
            "schema_version": 1,
            "id": new_id(),
            "procedure": self.proc.number,
            "run": self.folder.run,
            "at": at,
            "date": self.date,
            "by": self.actor,
        }

    def add(self, event: Event) -> None:
        self.state = apply(self.state, self.proc, event)  # raises IllegalMove: nothing written yet
        self.events.append(event)

    def attach(self, evidence: list[_Evidence], hours: float | None, step: int | None) -> None:
        for item in evidence:
            proof: EvidenceFile | EvidenceLink
            if item.link is not None:
                proof = EvidenceLink(kind="link", url=item.link)
            else:
                assert item.source is not None
                sha = sha256_of(item.source)
                from sop_cli.storage.records import EVIDENCE, safe_file_name

                stored = f"{EVIDENCE}/{sha[:8]}-{safe_file_name(item.source.name)}"
                proof = EvidenceFile(
                    kind="file", name=item.source.name, stored=stored, sha256=sha, size=item.source.stat().st_size
                )
                self.evidence.append((item.source, sha))
            self.add(EvidenceAdded(**self.base(), type="evidence_added", evidence=proof, step=step))
        if hours is not None:
            self.add(HoursLogged(**self.base(), type="hours_logged", hours=hours, step=step))

    def write(self) -> None:
        remove_leftovers(self.folder)
        for source, sha in self.evidence:
            _, copied_sha, _ = store_evidence_file(self.folder, source)
            if copied_sha != sha:
                raise SopError(f"{source} changed while it was being attached; attach it again")
        for event in self.events:
            write_event(self.folder, event)


def _check_hours(hours: float | None) -> None:
    if hours is not None and not 0 < hours <= 10_000:
        raise SopError(f"hours must be more than 0 and at most 10000, not {hours:g}")


def _context(ws: Workspace, actor: Actor, fy: int | None, date: dt.date | None) -> tuple[Catalog, str, dt.date, int]:
    catalog = load_catalog(ws)
    who = resolve_actor(ws, catalog, actor.by)
    day = _action_date(date, actor.now)
    return catalog, who, day, fy if fy is not None else fiscal_year(actor.now.date())


def _change(batch: _Batch, lines: list[str]) -> Change:
    state = batch.state
    current = state.current
    text = batch.proc.step(current).text if current is not None else None
    return Change(batch.proc.number, batch.folder.run, state.fy or 0, tuple(lines), current, text, state.status.value)


def start_run(
    ws: Workspace,
    number: int,
    actor: Actor,
    fy: int | None = None,
    label: str | None = None,
    date: dt.date | None = None,
) -> Change:
    """Open a run of procedure `number` in a fiscal year and return its id and first step."""
    catalog, who, day, year = _context(ws, actor, fy, date)
    proc = catalog.procedure(number)
    if label is not None and not label.strip():
        raise SopError("a run's --label must not be empty")
    with records_lock(ws):
        existing = runs_of_year(ws, catalog, year).get(number, [])
        live = [r for r in existing if r.state.status is not RunStatus.cancelled]
        clash = [r for r in live if r.state.label == label]
        if clash:
            what = f"labelled '{label}'" if label else "without a label"
            raise SopError(
                f"procedure {number} already has a run {what} in fiscal year {year} ({clash[0].folder.run}); "
                "give the new run a distinct --label"
            )
        run = new_id(6)
        folder = run_folder(ws, year, number, run)
        batch = _Batch(proc, folder, new_run(proc, run), who, day, actor.now)
        batch.add(Started(**batch.base(), type="started", fy=year, label=label))
        batch.write()
    return _change(batch, [f"started run {run} of procedure {number} for fiscal year {year}"])


def advance(
    ws: Workspace,
    number: int,
    actor: Actor,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    note: str | None = None,
    evidence: Sequence[str] = (),
    hours: float | None = None,
    approve: bool = False,
    reject: bool = False,
    force: bool = False,
    reason: str | None = None,
    date: dt.date | None = None,
) -> Change:
    """Complete the current step (or `step`), or close a decision; attach notes, evidence and hours."""
    catalog, who, day, year = _context(ws, actor, fy, date)
    proc = catalog.procedure(number)
    if approve and reject:
        raise SopError("choose --approve or --reject, not both")
    if (reject or force) and (reason is None or not reason.strip()):
        raise SopError(f"{'--reject' if reject else '--force'} needs --reason TEXT saying why")
    _check_hours(hours)
    proofs = _parse_evidence(evidence, _evidence_limits(ws))
    with records_lock(ws):
        loaded = _pick_run(runs_of_year(ws, catalog, year).get(number, []), number, year, run)
        target = step if step is not None else loaded.state.current
        if target is None:
            raise IllegalMove(
                f"run {loaded.folder.run} of procedure {number} is {loaded.state.status.value}: no step is left"
            )
        batch = _Batch(proc, loaded.folder, loaded.state, who, day, actor.now, loaded.events)
        batch.attach(proofs, hours, target)
        common = {"step": target, "round": loaded.state.round, "note": note, "forced": force, "reason": reason}
        if approve or reject:
            outcome = Outcome.approved if approve else Outcome.rejected
            batch.add(Decided(**batch.base(), type="decision", outcome=outcome, **common))
        else:
            batch.add(StepCompleted(**batch.base(), type="step_completed", **common))
        batch.write()
    return _change(batch, _describe(proc, batch.events))


def _describe(proc: Procedure, events: Sequence[Event]) -> list[str]:
    lines = []
    for event in events:
        if isinstance(event, StepCompleted):
            forced = f" out of order ({event.reason})" if event.forced else ""
            lines.append(f"step {event.step} done{forced}: {proc.step(event.step).text}")
        elif isinstance(event, Decided):
            word = "approved" if event.outcome is Outcome.approved else f"rejected ({event.reason})"
            lines.append(f"step {event.step} {word}: {proc.step(event.step).text}")
        elif isinstance(event, EvidenceAdded):
            lines.append(f"evidence added: {_evidence_text(event.evidence)}")
        elif isinstance(event, HoursLogged):
            lines.append(f"hours logged: {event.hours:g}")
        elif isinstance(event, NoteAdded):
            lines.append(f"note added: {event.text}")
        elif isinstance(event, StandardMet):
            lines.append(f"deadline {event.ref} met on {format_short(event.date)}")
        elif isinstance(event, CountReported):
            lines.append(f"responses for {event.ref}: {event.received}/{event.expected}")
    return lines


def add_note(
    ws: Workspace,
    number: int,
    actor: Actor,
    text: str | None,
    *,
    fy: int | None = None,
    run: str | None = None,
    step: int | None = None,
    evidence: Sequence[str] = (),
    hours: float | None = None,
    met: str | None = None,
    count: str | None = None,
    ref: str | None = None,
    date: dt.date | None = None,
) -> Change:
    """Add a note, evidence, hours, a met deadline or a count of responses, without completing a step."""
    catalog, who, day, year = _context(ws, actor, fy, date)
    proc = catalog.procedure(number)
    if (text is None or not text.strip()) and not evidence and hours is None and met is None and count is None:
        raise SopError("give a note text, --evidence, --hours, --met REF or --count N/M")
    _check_hours(hours)
    met_ref = _met_ref(proc, met) if met is not None else None
    tally = _parse_count(proc, count, ref) if count is not None else None
    proofs = _parse_evidence(evidence, _evidence_limits(ws))
    with records_lock(ws):
        loaded = _pick_run(runs_of_year(ws, catalog, year).get(number, []), number, year, run)
        batch = _Batch(proc, loaded.folder, loaded.state, who, day, actor.now, loaded.events)
        if text is not None and text.strip():
            batch.add(NoteAdded(**batch.base(), type="note", text=text, step=step))
        batch.attach(proofs, hours, step)
        if met_ref is not None:
            batch.add(StandardMet(**batch.base(), type="standard_met", ref=met_ref))
        if tally is not None:
            share_ref, received, expected = tally
            batch.add(CountReported(**batch.base(), type="count", ref=share_ref, received=received, expected=expected))
        batch.write()
    return _change(batch, _describe(proc, batch.events))


def _met_ref(proc: Procedure, ref: str) -> str:
    from sop_cli.deadlines import deadline_refs

    wanted = arabic_digits(ref.strip())
    refs = deadline_refs(proc)
    if wanted not in refs:
        known = ", ".join(refs) or "none"
        raise SopError(f"procedure {proc.number} has no deadline {ref}; its deadlines are {known} (see `sop due`)")
    return wanted


def _parse_count(proc: Procedure, text: str, ref: str | None) -> tuple[str, int, int]:
    from sop_cli.deadlines import share_refs

    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", arabic_digits(text))
    if match is None:
        raise SopError(f"--count {text!r} is not a count such as 42/50 (received/expected)")
    received, expected = int(match.group(1)), int(match.group(2))
    if expected == 0 or received > expected:
        raise SopError(f"--count {text}: received must be between 0 and expected, and expected at least 1")
    refs = share_refs(proc)
    if ref is not None:
        wanted = arabic_digits(ref.strip())
        if wanted not in refs:
            counted = ", ".join(refs) or "none"
            raise SopError(f"{ref} of procedure {proc.number} is not counted in responses (those that are: {counted})")
        return wanted, received, expected
    if len(refs) != 1:
        raise SopError(
            f"procedure {proc.number} has no rule counted in responses"
            if not refs
            else f"procedure {proc.number} counts responses for {', '.join(refs)}: say which with --ref"
        )
    return refs[0], received, expected


def schedule(
    ws: Workspace,
    number: int,
    actor: Actor,
    event: str,
    on: dt.date,
    *,
    fy: int | None = None,
    run: str | None = None,
) -> Change:
    """Set the date of a named event of a run (the inspection visit, the coordination meeting)."""
    from sop_cli.deadlines import event_names

    catalog, who, day, year = _context(ws, actor, fy, None)
    proc = catalog.procedure(number)
    names = event_names(proc)
    if event not in names:
        known = ", ".join(names) if names else "none: no rule of this procedure depends on an event date"
        raise SopError(f"procedure {number} has no event '{event}'; its events are {known}")
    with records_lock(ws):
        loaded = _pick_run(runs_of_year(ws, catalog, year).get(number, []), number, year, run)
        batch = _Batch(proc, loaded.folder, loaded.state, who, day, actor.now, loaded.events)
        batch.add(Scheduled(**batch.base(), type="scheduled", event=event, on=on))
        batch.write()
    return _change(batch, [f"{event} of run {loaded.folder.run} is on {format_short(on)}"])


def run_for_document(
    ws: Workspace, number: int, *, fy: int, run: str | None = None, step: int | None = None
) -> tuple[RunFolder, int]:
    """The folder of the run a document belongs to, and its step (default: the current step)."""
    catalog = load_catalog(ws)
    proc = catalog.procedure(number)
    loaded = _pick_run(runs_of_year(ws, catalog, fy).get(number, []), number, fy, run)
    target = step if step is not None else loaded.state.current
    if target is None:
        raise SopError(f"run {loaded.folder.run} of procedure {number} has no current step; give --step K")
    if target not in {s.number for s in proc.steps}:
        raise SopError(f"procedure {number} has no step {target}; its steps are 1 to {len(proc.steps)}")
    return loaded.folder, target


def attach_document(
    ws: Workspace,
    number: int,
    actor: Actor,
    document: EvidenceDocument,
    *,
    fy: int,
    run: str,
    step: int,
) -> Change:
    """Record a generated document (already written under the run's documents/) as evidence of a step."""
    catalog, who, day, year = _context(ws, actor, fy, None)
    proc = catalog.procedure(number)
    with records_lock(ws):
        loaded = _pick_run(runs_of_year(ws, catalog, year).get(number, []), number, year, run)
        path = loaded.folder.path / document.stored
        if not path.resolve().is_relative_to(loaded.folder.documents.resolve()) or not path.is_file():
            raise SopError(f"the document {document.stored} is not a file in the run's documents folder")
        if sha256_of(path) != document.sha256:
            raise SopError(f"{document.stored} changed after it was written; generate it again")
        batch = _Batch(proc, loaded.folder, loaded.state, who, day, actor.now, loaded.events)
        batch.add(EvidenceAdded(**batch.base(), type="evidence_added", evidence=document, step=step))
        batch.write()
    return _change(batch, _describe(proc, batch.events))


def cancel_run(
    ws: Workspace, number: int, actor: Actor, reason: str, *, fy: int | None = None, run: str | None = None
) -> Change:
    """Abandon a run, with the reason."""
    catalog, who, day, year = _context(ws, actor, fy, None)
    proc = catalog.procedure(number)
    if not reason.strip():
        raise SopError("--reason must not be empty")
    with records_lock(ws):
        loaded = _pick_run(runs_of_year(ws, catalog, year).get(number, []), number, year, run)
        batch = _Batch(proc, loaded.folder, loaded.state, who, day, actor.now, loaded.events)
        batch.add(Cancelled(**batch.base(), type="cancelled", reason=reason))
        batch.write()
    return _change(batch, [f"run {loaded.folder.run} of procedure {number} cancelled: {reason}"])


def void_event(ws: Workspace, event_id: str, actor: Actor, reason: str) -> Change:
    """Record that an event does not count (after a merge brought a contradiction)."""
    catalog, who, day, _ = _context(ws, actor, None, None)
    if not reason.strip():
        raise SopError("--reason must not be empty")
    with records_lock(ws):
        found = _find_event(ws, event_id)
        target = found.event
        if isinstance(target, Voided):
            raise SopError(f"event {event_id} is itself a void; it cannot be voided")
        if isinstance(target, Started):
            raise SopError(f"event {event_id} starts the run; cancel the run with `sop cancel` instead")
        siblings = runs_of_year(ws, catalog, found.folder.fy).get(found.folder.procedure, [])
        loaded = next(r for r in siblings if r.folder.run == found.folder.run)
        if any(isinstance(e.event, Voided) and e.event.target == event_id for e in loaded.events):
            raise SopError(f"event {event_id} is already void")
        proc = catalog.procedure(found.folder.procedure)
        batch = _Batch(proc, loaded.folder, loaded.state, who, day, actor.now, loaded.events)
        void = Voided(**batch.base(), type="voided", target=event_id, reason=reason)
        batch.events.append(void)
        batch.state, _ = replay(proc, loaded.folder.run, [*(e.event for e in loaded.events), void])
        batch.write()
    return _change(batch, [f"event {event_id} ({target.type} by {target.by}) no longer counts: {reason}"])


def _find_event(ws: Workspace, event_id: str) -> StoredEvent:
    for fy in reversed(fiscal_years(ws)):
        stored, _ = load_events(ws, fy)
        for item in stored:
            if item.event.id == event_id:
                return item
    raise SopError(f"there is no event {event_id}; `sop log` lists the events with their ids")


# --- views ----------------------------------------------------------------------------------------


def holders(proc: Procedure, catalog: Catalog, step: int | None) -> tuple[str, ...]:
    """Short names of who holds a step: the persons and bodies of its row."""
    if step is None:
        return ()
    row = proc.row_of(step)
    people = [catalog.staff_short_name(s) for s in row.responsible]
    return tuple(people + [catalog.body_name(b) for b in row.responsible_bodies])


def _closure_view(closure: Closure, catalog: Catalog) -> ClosureView:
    return ClosureView(
        closure.event,
        closure.round,
        str(closure.outcome),
        catalog.staff_name(closure.by),
        closure.date,
        closure.forced,
        closure.reason,
        closure.note,
    )


def _evidence_text(proof: EvidenceFile | EvidenceLink | EvidenceDocument) -> str:
    if isinstance(proof, EvidenceLink):
        return proof.url
    if isinstance(proof, EvidenceDocument):
        return f"{proof.name} (ที่ {proof.number}, {size_text(proof.size)}, sha256 {proof.sha256[:12]})"
    return f"{proof.name} ({size_text(proof.size)}, sha256 {proof.sha256[:12]})"


def run_timeline(ws: Workspace, number: int, fy: int, run: str | None = None) -> Timeline:
    """The whole history of one run, step by step."""
    catalog = load_catalog(ws)
    proc = catalog.procedure(number)
    loaded = _pick_run(runs_of_year(ws, catalog, fy).get(number, []), number, fy, run)
    state = loaded.state
    attachments: dict[int | None, list[AttachmentView]] = defaultdict(list)
    for a in state.attachments:
        view = AttachmentView(
            a.event,
            catalog.staff_name(a.by),
            a.date,
            a.note,
            _evidence_text(a.evidence) if a.evidence else None,
            a.hours,
        )
        attachments[a.step].append(view)
    steps = []
    for step in proc.steps:
        kind = state.steps[step.number].value
        if step.number == state.current and state.status is RunStatus.open:
            kind = "current"
        closures = tuple(_closure_view(c, catalog) for c in state.history if c.step == step.number)
        steps.append(
            TimelineStep(
                step.number,
                step.label,
                step.text,
                kind,
                step.decision is not None,
                closures,
                tuple(attachments.get(step.number, [])),
            )
        )
    return Timeline(
        procedure=number,
        short_title=proc.short_title,
        fy=fy,
        run=loaded.folder.run,
        label=state.label,
        status=state.status.value,
        started_by=catalog.staff_name(state.started_by) if state.started_by else None,
        started_on=state.started_on,
        round=state.round,
        steps=tuple(steps),
        rejections=tuple(_closure_view(c, catalog) for c in state.rejections),
        run_attachments=tuple(attachments.get(None, [])),
        hours=state.hours,
        planned_hours=proc.total_hours,
        cancel_reason=state.cancel_reason,
        problems=tuple(f"{r.event.id}: {r.message}" for r in loaded.rejected),
    )


def _summary(event: Event, catalog: Catalog) -> str:
    if isinstance(event, Started):
        return f"started for fiscal year {event.fy}" + (f" '{event.label}'" if event.label else "")
    if isinstance(event, StepCompleted):
        return (
            f"step {event.step} done"
            + (f" (forced: {event.reason})" if event.forced else "")
            + (f": {event.note}" if event.note else "")
        )
    if isinstance(event, Decided):
        if event.outcome is Outcome.approved:
            return f"step {event.step} approved" + (f": {event.note}" if event.note else "")
        return f"step {event.step} rejected: {event.reason}"
    if isinstance(event, NoteAdded):
        return f"note{f' on step {event.step}' if event.step else ''}: {event.text}"
    if isinstance(event, EvidenceAdded):
        return f"evidence{f' of step {event.step}' if event.step else ''}: {_evidence_text(event.evidence)}"
    if isinstance(event, HoursLogged):
        unit = "hour" if event.hours == 1 else "hours"  # not "1 hours"; the wording moves to _() in a later pass
        return f"{event.hours:g} {unit}{f' on step {event.step}' if event.step else ''}"
    if isinstance(event, Scheduled):
        return f"{event.event} on {format_short(event.on)}"
    if isinstance(event, StandardMet):
        return f"deadline {event.ref} met"
    if isinstance(event, CountReported):
        return f"responses for {event.ref}: {event.received}/{event.expected}"
    if isinstance(event, Cancelled):
        return f"run cancelled: {event.reason}"
    assert isinstance(event, Voided)
    return f"voided event {event.target}: {event.reason}"


def event_log(ws: Workspace, fy: int, number: int | None = None, since: dt.date | None = None) -> list[LogEntry]:
    """Every event of a fiscal year (of one procedure, since a date), newest first."""
    catalog = load_catalog(ws)
    if number is not None:
        catalog.procedure(number)
    stored, _ = load_events(ws, fy)
    voided = {s.event.target for s in stored if isinstance(s.event, Voided)}
    entries = [
        LogEntry(
            event=s.event.id,
            at=s.event.at,
            date=s.event.date,
            fy=fy,
            procedure=s.event.procedure,
            run=s.event.run,
            type=s.event.type,
            by=catalog.staff_name(s.event.by),
            summary=_summary(s.event, catalog),
            voided=s.event.id in voided,
            path=ws.relative(s.path),
        )
        for s in stored
        if (number is None or s.event.procedure == number) and (since is None or s.event.date >= since)
    ]
    return sorted(entries, key=lambda e: (e.at, e.event), reverse=True)
