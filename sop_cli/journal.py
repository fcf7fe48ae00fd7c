"""The one door to the records: what a command reads, and the one transaction in which it writes.

A command opens one `Journal`: the catalog, the settings, the working calendar and the actor are
loaded once, when first asked for. Reading gives runs (one procedure's, or a whole year's), one
run by number, id or label, and a year's data for reports. Writing happens in one transaction
per command (`Journal.write`, `Journal.start`, `Journal.write_without_run`):

- the records lock is taken once, and work that a killed command left unfinished is undone first;
- only the runs of the procedure written to are loaded and replayed, never the whole year;
- a run with a damaged, unloadable or missing event file is refused before anything is written;
- every new event is checked by the engine before any file is written;
- every file created (event, evidence copy, document, register entry) is listed in an intent file
  before it is created; if anything fails, even Ctrl-C, they are all removed again, and a command
  killed outright is undone by the next one;
- the transaction returns the list of paths it wrote, for the commit that shares them.

Nothing here imports pydantic or the models at module level: `sop status` served from its cache
loads none of them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.errors import Problem, SopError
from sop_cli.i18n import _
from sop_cli.models.values import Evidence
from sop_cli.storage import cache, status_cache
from sop_cli.storage.records import (
    NEWER_SOP,
    RunFolder,
    StoredEvent,
    fiscal_years,
    load_events,
    load_run,
    new_id,
    records_lock,
    remove_leftovers,
    run_folder,
    run_folders,
)
from sop_cli.thai_calendar import BANGKOK, fiscal_year, format_short
from sop_cli.views.status import DeadlineView, StatusRow
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from sop_cli.deadlines import Deadline
    from sop_cli.engine import Rejected, RunState
    from sop_cli.models.catalog import Catalog
    from sop_cli.models.procedure import Procedure
    from sop_cli.models.records import (
        Event,
        EvidenceDocument,
        EvidenceFile,
        EvidenceLink,
    )
    from sop_cli.models.settings import OfficeTable, Settings
    from sop_cli.working_days import WorkingCalendar

USER_ENV = "SOP_USER"
FIRST_FY, LAST_FY = 2500, 2700
# One person's working hours in a day, at most: more on one entry needs --confirm-hours.
MAX_HOURS_A_DAY = 12.0
PENDING = "pending"


def check_fiscal_year(fy: int) -> int:
    """`fy` if it can be meant (a Buddhist Era year), else a clear error."""
    if not FIRST_FY <= fy <= LAST_FY:
        raise SopError(_("fiscal year {fy} cannot be meant: write the Buddhist Era year, such as 2570").format(fy=fy))
    return fy


# --- what is read ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LoadedRun:
    """A run with its folder, its events, its replayed state and the files of it that do not load."""

    folder: RunFolder
    events: tuple[StoredEvent, ...]
    state: RunState
    rejected: tuple[Rejected, ...]
    damaged: tuple[Problem, ...] = ()

    @property
    def name(self) -> str:
        """The run as people name it: its id, and its label if it has one."""
        return f"{self.folder.run} '{self.state.label}'" if self.state.label else self.folder.run

    @property
    def live(self) -> bool:
        """Not cancelled."""
        return self.state.status.value != "cancelled"

    @property
    def broken(self) -> tuple[Problem, ...]:
        """Event files that do not load, and events that load but cannot apply (not a contradiction).

        A contradiction (two clones closed one step) is not here: the run stands, and `sop void`
        settles it. A broken event leaves the state uncertain: nothing may be built on it.
        """
        paths = {s.event.id: s.path for s in self.events}
        invalid = tuple(
            Problem(str(paths.get(r.event.id, self.folder.events)), 1, 1, r.message)
            for r in self.rejected
            if r.other is None
        )
        return self.damaged + invalid


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
    problems: tuple[Problem, ...] = ()  # event files of the year that do not load
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


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def size_text(size: int) -> str:
    """A file size as people read it: 812 bytes, 2.0 KB, 1.5 MB."""
    if size < 1024:
        return f"{size} bytes"
    if size < 1048576:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1048576:.1f} MB"


def evidence_item(item: str) -> Evidence:
    """An evidence argument as a checked file or http(s) link (`cli/values.py` calls it for `--evidence`)."""
    scheme = _SCHEME.match(item)
    if scheme and len(scheme.group(1)) > 1:  # one letter is a Windows drive, C:
        if scheme.group(1).lower() not in ("http", "https") or not re.match(r"^https?://\S+$", item):
            raise SopError(_("evidence link {item!r} is not an http or https address").format(item=item))
        return Evidence(link=item)
    if item.lower().startswith("www."):
        raise SopError(
            _("evidence {item!r} looks like a web address: write it with https:// in front").format(item=item)
        )
    path = Path(item).expanduser()
    if not path.exists():
        raise SopError(_("evidence file {item} does not exist").format(item=item))
    if path.is_dir():
        raise SopError(
            _("evidence {item} is a folder; attach files one by one (or a zip of the folder)").format(item=item)
        )
    if not path.is_file():
        raise SopError(_("evidence {item} is not a regular file").format(item=item))
    return Evidence(source=path)


def check_evidence_sizes(proofs: Sequence[Evidence], max_bytes: int, max_mb: float) -> None:
    """Refuse, before anything is written, a file above the workspace's limit ([evidence] max_mb)."""
    for proof in proofs:
        if proof.source is None:
            continue
        size = proof.source.stat().st_size
        if size > max_bytes:
            raise SopError(
                _(
                    "evidence file {item} is {size_text}, above the limit of {max_mb:g} MB (set [evidence] max_mb in "
                    "sop.toml, or attach a link to the file on Google Drive instead)"
                ).format(item=proof.source, size_text=size_text(size), max_mb=max_mb)
            )


# --- who acts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    """Who is acting and when: the clock is passed in, never read here."""

    by: str | None  # --by, if given
    now: dt.datetime  # aware, Asia/Bangkok


def _git_user(root: Path) -> str | None:
    import subprocess  # only commands that write ask git who is acting

    try:
        done = subprocess.run(
            ["git", "config", "--get", "sop.user"], cwd=root, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def wanted_actor(root: Path, by: str | None) -> str | None:
    """Who acts, as given and not yet resolved: --by, else $SOP_USER, else `git config sop.user`."""
    return by or os.environ.get(USER_ENV) or _git_user(root)


def resolve_actor(catalog: Catalog, chosen: str | None) -> str:
    """The staff id of `chosen`: an id (any case), a name or an alias of the roster, else a clear error."""
    if not chosen:
        raise SopError(
            _(
                "who is acting? pass --by ID, set SOP_USER=ID, or run `git config sop.user ID` in the workspace (IDs "
                "are in sops/staff.yaml)"
            )
        )
    wanted = chosen.strip()
    for member in catalog.roster.staff:
        if wanted.lower() == member.id or wanted in (member.name, member.display_name, *member.aliases):
            return member.id
    known = ", ".join(m.id for m in catalog.roster.staff)
    raise SopError(
        _("'{chosen}' is not in the staff roster (sops/staff.yaml); known ids: {known}").format(
            chosen=chosen, known=known
        )
    )


# --- the journal ----------------------------------------------------------------------------------


class Journal:
    """Everything one command needs of the workspace, each thing loaded once, when first used."""

    def __init__(self, ws: Workspace, now: dt.datetime | None = None, by: str | None = None) -> None:
        self.ws = ws
        self._now = now
        self.by = by
        # Runs read by this command, by folder, with the stamps of their event files when read: read
        # again only when a file changed (another process wrote before this one took the lock).
        self._loaded: dict[Path, tuple[list[Any], LoadedRun]] = {}
        self.warnings: list[str] = []  # what the person should know although the command succeeded

    @classmethod
    def for_day(cls, ws: Workspace, today: dt.date, by: str | None = None) -> Journal:
        """A journal whose clock stands at the start of `today` (for commands that only read)."""
        return cls(ws, dt.datetime.combine(today, dt.time(), tzinfo=BANGKOK), by)

    @property
    def now(self) -> dt.datetime:
        """The clock of this command (aware, Asia/Bangkok), as the command line gave it."""
        if self._now is None:
            raise RuntimeError("this journal was opened without a clock")
        return self._now

    @property
    def today(self) -> dt.date:
        """The day of `now`, in Thailand."""
        return self.now.date()

    @cached_property
    def catalog(self) -> Catalog:
        """The validated procedures and vocabularies."""
        from sop_cli.loading.catalog import load_catalog

        return load_catalog(self.ws)

    @cached_property
    def settings(self) -> Settings:
        """The office's settings (sop.toml)."""
        from sop_cli.loading.settings import load_settings

        return load_settings(self.ws)

    @cached_property
    def office(self) -> OfficeTable:
        """The [office] table of sop.toml, refused while the file has a problem or its Garuda is not an image."""
        from sop_cli.loading.settings import load_office

        return load_office(self.ws)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        """The working-day calendar of calendar/holidays.yaml."""
        from sop_cli.loading.holidays import load_working_calendar

        return load_working_calendar(self.ws)

    @cached_property
    def actor(self) -> str:
        """The acting staff id: --by, else $SOP_USER, else `git config sop.user`."""
        return resolve_actor(self.catalog, wanted_actor(self.ws.root, self.by))

    def academic_year_end(self, fy: int) -> dt.date:
        """The end of the academic year in fiscal year `fy` (sop.toml [calendar]), for procedure ๑๓."""
        from sop_cli.loading.settings import academic_year_end

        return academic_year_end(self.ws, fy)

    def fiscal_year(self, fy: int | None) -> int:
        """`fy`, checked, or the fiscal year of today."""
        return check_fiscal_year(fy) if fy is not None else fiscal_year(self.today)

    def procedure(self, number: int) -> Procedure:
        """Procedure `number`, or a clear error naming the numbers that exist."""
        return self.catalog.procedure(number)

    # --- reading runs -----------------------------------------------------------------------------

    def _load(self, folder: RunFolder, proc: Procedure) -> LoadedRun:
        from sop_cli.engine import replay

        stamp = cache.folder_stamp(folder.events, (".yaml",))
        known = self._loaded.get(folder.path)
        if known is not None and known[0] == stamp:
            return known[1]
        stored, problems = load_run(self.ws, folder)
        state, rejected = replay(proc, folder.run, (s.event for s in stored))
        loaded = LoadedRun(folder, tuple(stored), state, tuple(rejected), tuple(problems))
        self._loaded[folder.path] = (stamp, loaded)
        return loaded

    def runs(self, fy: int, number: int | None = None) -> dict[int, list[LoadedRun]]:
        """The runs of fiscal year `fy` (of one procedure), by procedure, in start order."""
        found: dict[int, list[LoadedRun]] = defaultdict(list)
        for folder in run_folders(self.ws, fy, number):
            proc = self.catalog.procedures.get(folder.procedure)
            if proc is not None:
                found[folder.procedure].append(self._load(folder, proc))
        for runs in found.values():
            runs.sort(key=lambda r: (r.state.started_on or dt.date.max, r.folder.run))
        return dict(found)

    def run(self, number: int, fy: int, wanted: str | None = None) -> LoadedRun:
        """The run of procedure `number` named `wanted` (id or label), or its only live run."""
        proc = self.procedure(number)
        if wanted is not None:
            # Named by its id: only that run is read (an append must not replay the other runs).
            folder = run_folder(self.ws, fy, number, wanted)
            if folder.events.is_dir():
                return self._load(folder, proc)
        return pick_run(self.runs(fy, number).get(number, []), number, fy, wanted)

    def find_event(self, event_id: str) -> StoredEvent:
        """The event with this id, in any fiscal year."""
        for fy in reversed(fiscal_years(self.ws)):
            stored, _problems = load_events(self.ws, fy)
            for item in stored:
                if item.event.id == event_id:
                    return item
        raise SopError(
            _("there is no event {event_id}; `sop log` lists the events with their ids").format(event_id=event_id)
        )

    def year(self, fy: int, numbers: Sequence[int] = (), *, until: dt.date | None = None) -> YearData:
        """Every run, event, deadline and evidence item of fiscal year `fy` (of some procedures).

        With `until`, only what happened up to that day counts: runs are replayed from the events
        dated up to it, and deadlines are judged on `today` or, if `until` is over, as it ended.
        """
        from sop_cli.deadlines import run_deadlines
        from sop_cli.engine import effective_voids, new_run

        check_fiscal_year(fy)
        for number in numbers:
            self.procedure(number)  # an unknown number is a clear error
        wanted = set(numbers) if numbers else set(self.catalog.procedures)
        loaded_runs = self.runs(fy)
        stored = [s for runs in loaded_runs.values() for r in runs for s in r.events]
        problems = tuple(p for runs in loaded_runs.values() for r in runs for p in r.damaged)
        voided = frozenset(effective_voids(s.event for s in stored))
        judged_on = self.today if until is None else min(self.today, until + dt.timedelta(days=1))
        year_end = self.academic_year_end(fy)
        runs: dict[int, tuple[RunRecord, ...]] = {}
        idle: dict[int, tuple[Deadline, ...]] = {}
        for number, proc in self.catalog.procedures.items():
            if number not in wanted:
                continue
            mine = loaded_runs.get(number, [])
            if until is not None:
                mine = [cut for cut in (_cut(loaded, proc, until) for loaded in mine) if cut is not None]
            records = []
            for index, loaded in enumerate(mine):
                deadlines = run_deadlines(
                    proc, loaded.state, fy, judged_on, self.calendar, run_index=index, academic_year_end=year_end
                )
                records.append(RunRecord(proc, loaded, tuple(deadlines), _evidence(loaded, voided)))
            if records:
                runs[number] = tuple(records)
            else:
                empty = new_run(proc, "")
                idle[number] = tuple(
                    run_deadlines(proc, empty, fy, judged_on, self.calendar, academic_year_end=year_end)
                )
        from sop_cli.models.records import Voided

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
        return YearData(fy, self.today, self.catalog, runs, idle, events, voided, problems, until)

    # --- the status rows, cached per run ----------------------------------------------------------

    def status_rows(self, fy: int) -> list[StatusRow]:
        """One row per procedure (and per extra run) of fiscal year `fy`, with its next deadline.

        Rows are plain data cached per run under the stamps of the run's event files and under
        everything else they depend on (procedures, calendar, settings, the day): a warm `sop
        status` loads no model at all, and a change to one run recomputes that procedure only.
        """
        folders = run_folders(self.ws, fy)
        table, key, found = status_cache.read(self.ws.root, fy, self.today)
        digests = {f.path.name: status_cache.run_digest(f) for f in folders}
        with_runs = {f.procedure for f in folders}
        stale = {f.procedure for f in folders if table.runs.get(f.path.name, ("",))[0] != digests[f.path.name]}
        stale |= {int(k[:2]) for k in table.runs if k not in digests}  # a run folder that went away
        if table.procedures is None or any(n not in table.idle for n in table.procedures if n not in with_runs):
            stale |= with_runs
            table.procedures = list(self.catalog.procedures)
            table.idle = {}
        for number in sorted(stale):
            table.runs = {k: v for k, v in table.runs.items() if not k.startswith(f"{number:02d}-")}
            table.runs.update(self._procedure_rows(fy, number))
        for number in table.procedures:
            if number not in with_runs and number not in table.idle:
                table.idle[number] = self._idle_row(fy, number)
        if stale or not found:
            status_cache.write(self.ws.root, fy, key, table)
        rows = [row for _, row in table.runs.values() if row.procedure in table.procedures]
        return status_cache.ordered(rows, {n: r for n, r in table.idle.items() if n not in with_runs})

    def _calendar_or_problem(self) -> tuple[WorkingCalendar | None, str | None]:
        try:
            return self.calendar, None
        except SopError as exc:
            # Without a usable holiday calendar the status still shows; the deadlines say why they are missing.
            return None, str(exc)

    def _idle_row(self, fy: int, number: int) -> StatusRow:
        from sop_cli.engine import new_run

        proc = self.procedure(number)
        calendar, problem = self._calendar_or_problem()
        return StatusRow(
            number,
            proc.short_title,
            0,
            total=len(proc.steps),
            planned_hours=proc.total_hours,
            next_deadline=_next_deadline(
                proc, new_run(proc, ""), fy, self.today, calendar, 0, self.academic_year_end(fy)
            ),
            deadline_problem=problem,
        )

    def _procedure_rows(self, fy: int, number: int) -> dict[str, tuple[str, StatusRow]]:
        """(digest, row) of every run of procedure `number`, by run folder name."""
        proc = self.catalog.procedures.get(number)
        if proc is None:
            return {}
        calendar, problem = self._calendar_or_problem()
        mine = self.runs(fy, number).get(number, [])
        rows = {}
        for index, loaded in enumerate(mine):
            deadline = _next_deadline(proc, loaded.state, fy, self.today, calendar, index, self.academic_year_end(fy))
            row = self._row(proc, loaded, len(mine), deadline, problem)
            rows[loaded.folder.path.name] = (status_cache.run_digest(loaded.folder), row)
        return rows

    def _row(
        self,
        proc: Procedure,
        loaded: LoadedRun,
        count: int,
        deadline: DeadlineView | None,
        calendar_problem: str | None,
    ) -> StatusRow:
        state = loaded.state
        current = state.current if state.status.value == "open" else None
        return StatusRow(
            proc.number,
            proc.short_title,
            count,
            run=loaded.folder.run,
            label=state.label,
            status=state.status.value,
            current_step=current,
            current_text=proc.step(current).text if current is not None else None,
            done=state.done_count,
            total=len(proc.steps),
            hours=state.logged_hours,
            planned_hours=proc.total_hours,
            holders=holders(proc, self.catalog, current, state),
            last_activity=state.last_activity,
            rejected_rounds=len(state.rejections),
            problems=len(loaded.rejected) + len(loaded.damaged),
            next_deadline=deadline,
            deadline_problem=calendar_problem,
            started_on=state.started_on,
            damaged=tuple(_shown(self.ws, p) for p in loaded.broken),
            cycle=state.cycle if proc.cycles is not None and proc.cycles.first_step is not None else None,
        )

    # --- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def write(
        self,
        number: int,
        fy: int,
        wanted: str | None = None,
        *,
        date: dt.date | None = None,
        date_reason: str | None = None,
        repairing: bool = False,
    ) -> Iterator[Transaction]:
        """A transaction on an existing run of procedure `number` (picked under the lock).

        A run whose record is not whole is refused, except for `repairing` (a void is how an
        event that cannot apply is set aside).
        """
        proc = self.procedure(number)
        who = self.actor
        with self._locked() as intent:
            loaded = self.run(number, fy, wanted)
            if not repairing:
                _refuse_damaged(self.ws, loaded)
            remove_leftovers(loaded.folder)
            tx = Transaction(self, proc, loaded.folder, loaded.state, who, intent, loaded)
            tx.set_date(date, date_reason)
            yield tx
            tx.commit()
            self._share(tx)

    @contextlib.contextmanager
    def start(
        self,
        number: int,
        fy: int,
        label: str | None,
        *,
        date: dt.date | None = None,
        date_reason: str | None = None,
    ) -> Iterator[Transaction]:
        """A transaction that opens a new run of procedure `number` in fiscal year `fy`."""
        from sop_cli.engine import new_run

        proc = self.procedure(number)
        who = self.actor
        check_fiscal_year(fy)
        with self._locked() as intent:
            live = [r for r in self.runs(fy, number).get(number, []) if r.live]
            wanted = label_key(label)
            clash = [r for r in live if label_key(r.state.label) == wanted]
            if clash:
                what = f"labelled '{label}'" if label else _("without a label")
                raise SopError(
                    _(
                        "procedure {number} already has a run {what} in fiscal year {fy} ({run}); give the new run a "
                        "distinct --label"
                    ).format(number=number, what=what, fy=fy, run=clash[0].folder.run)
                )
            folder = run_folder(self.ws, fy, number, new_id(6))
            intent.will_create(folder.path)
            tx = Transaction(self, proc, folder, new_run(proc, folder.run), who, intent, None, fy=fy)
            tx.set_date(date, date_reason)
            yield tx
            tx.commit()
            self._share(tx)

    @contextlib.contextmanager
    def write_without_run(self) -> Iterator[Transaction]:
        """A transaction that records no event: documents issued without a run, register entries."""
        who = self.actor
        with self._locked() as intent:
            tx = Transaction(self, None, None, None, who, intent, None)
            yield tx
            self._share(tx)

    def _share(self, tx: Transaction) -> None:
        """Commit exactly the files the transaction wrote, with a Thai message (when the workspace is in git).

        Records are written before this: a commit that fails (git missing, no name for the
        author) loses nothing, and `sop sync` commits what is left; the person is warned.
        """
        written = tx.written
        if not written or not (self.ws.root / ".git").exists() or not self.settings.sharing.commit:
            return
        from sop_cli.storage import git

        event, detail = tx.summary()
        message = git.commit_message(self.catalog.staff_name(tx.who), event, tx.procedure_number, tx.step, detail)
        try:
            git.commit_paths(
                self.ws, written, message, git.author_for(self.ws, tx.who, self.catalog.staff_name(tx.who))
            )
        except SopError as exc:
            self.warnings.append(
                _("the records are written but not committed ({reason}); `sop sync` will commit them").format(
                    reason=exc
                )
            )

    @contextlib.contextmanager
    def _locked(self) -> Iterator[Intent]:
        with records_lock(self.ws):
            if (self.ws.root / ".git").exists():
                from sop_cli.storage.git import require_clean_git_state

                require_clean_git_state(self.ws)  # a merge, a rebase or conflict markers: refused, nothing written
            finish_unfinished(self.ws)
            intent = Intent(self.ws)
            try:
                yield intent
            except BaseException:
                intent.undo()
                raise
            intent.done()


def pick_run(runs: Sequence[LoadedRun], number: int, fy: int, wanted: str | None) -> LoadedRun:
    """The run named `wanted` (id, or label of a live run), else the only live run, else a clear error."""
    if wanted is not None:
        for run in runs:
            if wanted == run.folder.run:
                return run
        key = label_key(wanted)
        labelled = [r for r in runs if r.state.label is not None and label_key(r.state.label) == key]
        live = [r for r in labelled if r.live]
        if live or labelled:
            return (live or labelled)[-1]
        names = ", ".join(r.name for r in runs) or "none"
        raise SopError(
            _("procedure {number} has no run '{wanted}' in fiscal year {fy} (its runs: {names})").format(
                number=number, wanted=wanted, fy=fy, names=names
            )
        )
    if not runs:
        raise SopError(
            _("procedure {number} has no run in fiscal year {fy}; start one with `sop start {number}`").format(
                number=number, fy=fy
            )
        )
    live_runs = [r for r in runs if r.live]
    open_runs = [r for r in live_runs if r.state.status.value == "open"]
    if len(open_runs) == 1:
        return open_runs[0]
    if len(live_runs) == 1:
        return live_runs[0]
    if len(runs) == 1:
        return runs[0]
    candidates = open_runs or live_runs or list(runs)
    names = ", ".join(r.name for r in candidates)
    raise SopError(
        _("procedure {number} has {count} runs in fiscal year {fy} ({names}); choose one with --run").format(
            number=number, count=len(candidates), fy=fy, names=names
        )
    )


def label_key(label: str | None) -> str | None:
    """A label as compared: as people read it (see `normalise_label`), case ignored."""
    from sop_cli.models.base import normalise_label

    return normalise_label(label).casefold() if label is not None else None


def _refuse_damaged(ws: Workspace, loaded: LoadedRun) -> None:
    """Refuse to write to a run whose record is not whole: a later event would be built on a wrong state."""
    if loaded.broken:
        problem = loaded.broken[0]
        if not problem.path.startswith(ws.relative(ws.records)):
            problem = Problem(ws.relative(Path(problem.path)), problem.line, problem.column, problem.message)
        if problem.message.startswith(_(NEWER_SOP)):
            # Nothing to put back: the file is right, this sop is too old to read it.
            raise SopError(
                _(
                    "run {run} of procedure {procedure} has an event file {NEWER_SOP}, {path}; nothing was written. "
                    "Upgrade sop on this computer (the way it was installed), then try again"
                ).format(
                    run=loaded.folder.run, procedure=loaded.folder.procedure, NEWER_SOP=_(NEWER_SOP), path=problem.path
                )
            )
        raise SopError(
            _(
                "run {run} of procedure {procedure} has an event file that does not load or does not apply "
                "({problem}); nothing was written. Put the file back with `sop repair` (or ask whoever changed it), "
                "then try again"
            ).format(run=loaded.folder.run, procedure=loaded.folder.procedure, problem=problem)
        )
    from sop_cli.storage.integrity import changed_events

    for path, how in changed_events(ws, loaded.folder):
        raise SopError(
            _(
                "run {run} of procedure {procedure}: the event file {path} was {how} after it was recorded; nothing "
                "was written. Put it back with `sop repair`, then try again"
            ).format(run=loaded.folder.run, procedure=loaded.folder.procedure, path=path, how=_(how))
        )


def _shown(ws: Workspace, problem: Problem) -> str:
    """A problem as `path:line:col: message`, the path relative to the workspace."""
    path = Path(problem.path)
    shown = ws.relative(path) if path.is_absolute() else problem.path
    return f"{shown}:{problem.line}:{problem.column}: {problem.message}"


def holders(proc: Procedure, catalog: Catalog, step: int | None, state: RunState | None = None) -> tuple[str, ...]:
    """Short names of who holds a step: the people it was handed to, else the persons and bodies of its row."""
    if step is None:
        return ()
    from sop_cli.engine import holder_ids

    if state is not None and (step in state.assigned or None in state.assigned):
        return tuple(catalog.staff_short_name(s) for s in holder_ids(proc, state, step))
    row = proc.row_of(step)
    people = [catalog.staff_short_name(s) for s in row.responsible]
    return tuple(people + [catalog.body_name(b) for b in row.responsible_bodies])


def _evidence(loaded: LoadedRun, voided: frozenset[str]) -> tuple[EvidenceItem, ...]:
    from sop_cli.models.records import EvidenceAdded, EvidenceLink

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
    from sop_cli.engine import replay
    from sop_cli.models.records import Started, Voided

    kept = tuple(s for s in loaded.events if s.event.date <= until or isinstance(s.event, Voided))
    if not any(isinstance(s.event, Started) for s in kept):
        return None
    state, rejected = replay(proc, loaded.folder.run, (s.event for s in kept))
    return LoadedRun(loaded.folder, kept, state, tuple(rejected), loaded.damaged)


def _next_deadline(
    proc: Procedure,
    state: RunState,
    fy: int,
    today: dt.date,
    calendar: WorkingCalendar | None,
    index: int,
    academic_year_end: dt.date,
) -> DeadlineView | None:
    if calendar is None:
        return None
    from sop_cli.deadlines import run_deadlines, soonest_first

    found = run_deadlines(proc, state, fy, today, calendar, run_index=index, academic_year_end=academic_year_end)
    open_ones = [d for d in found if d.is_open]
    if not open_ones:
        return None
    d = soonest_first(open_ones)[0]
    return DeadlineView(d.ref, d.text, d.due, d.waiting_for, d.days_left, d.status, d.cycle)


# --- one command's writes -------------------------------------------------------------------------


class Transaction:
    """The events and files of one command, checked by the engine before any event file is written."""

    def __init__(
        self,
        journal: Journal,
        proc: Procedure | None,
        folder: RunFolder | None,
        state: RunState | None,
        who: str,
        intent: Intent,
        loaded: LoadedRun | None,
        fy: int | None = None,
    ) -> None:
        self.journal, self.proc, self.folder, self.state = journal, proc, folder, state
        self.who, self.intent, self.loaded = who, intent, loaded
        self.fy = fy if fy is not None else (state.fy if state is not None else None)
        self.date = journal.today
        self.date_reason: str | None = None
        self.events: list[Event] = []
        self.label: tuple[str, str | None, int | None, int | None] | None = None
        self.rejected: tuple[Rejected, ...] = loaded.rejected if loaded is not None else ()
        # Replay orders by the time recorded: on one checkout (under the lock) a new event is
        # always later than the run's last one, even if the clock went back or is fixed.
        latest = max((e.event.at for e in loaded.events), default=None) if loaded else None
        now = journal.now
        self.now = max(now, latest + dt.timedelta(microseconds=1)) if latest and latest >= now else now

    @property
    def written(self) -> list[Path]:
        """Every file this transaction created so far."""
        return list(self.intent.created)

    @property
    def procedure_number(self) -> int | None:
        """The procedure written to, if any."""
        return self.proc.number if self.proc is not None else self.label[2] if self.label else None

    @property
    def step(self) -> int | None:
        """The step the command was about: the first event's that names one."""
        for event in self.events:
            step = getattr(event, "step", None)
            if isinstance(step, int):
                return step
        return self.label[3] if self.label else None

    def describe(
        self, event: str, detail: str | None = None, procedure: int | None = None, step: int | None = None
    ) -> None:
        """Say what this command did, for its commit message (documents, register entries)."""
        self.label = (event, detail, procedure, step)

    def summary(self) -> tuple[str, str | None]:
        """(event type or words, detail) of the commit message: as described, else the first event."""
        if self.label is not None:
            return self.label[0], self.label[1]
        if self.events:
            first = self.events[0]
            detail = getattr(first, "note", None) or getattr(first, "text", None) or getattr(first, "reason", None)
            return first.type, detail if isinstance(detail, str) else None
        return "records", None

    def set_date(self, date: dt.date | None, reason: str | None) -> None:
        """The day the facts of this command happened: not in the future, inside the run's fiscal year."""
        today = self.journal.today
        day = date if date is not None else today
        if day > today:
            raise SopError(
                _("{date} is in the future (today is {date2}); record things once they happened").format(
                    date=format_short(day), date2=format_short(today)
                )
            )
        if reason is not None and not reason.strip():
            raise SopError(_("--date-reason must not be empty"))
        if reason is None and self.fy is not None:
            if fiscal_year(day) != self.fy:
                raise SopError(
                    _(
                        "{date} is not in fiscal year {fy} of this run; check the year (Buddhist Era, such as "
                        "2569-11-25), or if the date is right, say why with --date-reason TEXT"
                    ).format(date=format_short(day), fy=self.fy)
                )
            started = self.state.started_on if self.state is not None else None
            if started is not None and day < started:
                raise SopError(
                    _(
                        "{date} is before the run started ({date2}); check the date, or if it is right, say why with "
                        "--date-reason TEXT"
                    ).format(date=format_short(day), date2=format_short(started))
                )
        self.date, self.date_reason = day, reason

    def base(self) -> dict[str, Any]:
        """The fields every event of this command carries (events are a microsecond apart, in order)."""
        from sop_cli.models.records import EVENT_SCHEMA_VERSION

        assert self.proc is not None and self.folder is not None
        fields: dict[str, Any] = {
            "schema_version": EVENT_SCHEMA_VERSION,
            "id": new_id(),
            "procedure": self.proc.number,
            "run": self.folder.run,
            "at": self.now + dt.timedelta(microseconds=len(self.events)),
            "date": self.date,
            "by": self.who,
        }
        if self.date_reason is not None:
            fields["date_reason"] = self.date_reason
        return fields

    def add(self, event: Event) -> Event:
        """Check `event` against the run's state (raises IllegalMove: nothing written) and keep it."""
        from sop_cli.engine import apply

        assert self.proc is not None and self.state is not None
        self.state = apply(self.state, self.proc, event)
        self.events.append(event)
        return event

    def void(self, event: Event) -> Event:
        """Keep a void (or the undoing of one) and replay the run without what it voids."""
        from sop_cli.engine import replay

        assert self.proc is not None and self.loaded is not None and self.folder is not None
        self.events.append(event)
        state, rejected = replay(self.proc, self.folder.run, [*(e.event for e in self.loaded.events), *self.events])
        self.state, self.rejected = state, tuple(rejected)
        return event

    def attach(self, evidence: Evidence, step: int | None) -> Event:
        """Copy a file into the run's evidence (hashed once, on the way) or keep a link, as an event."""
        from sop_cli.models.records import EvidenceAdded, EvidenceFile, EvidenceLink
        from sop_cli.storage.atomic import TooLargeError
        from sop_cli.storage.records import EVIDENCE, store_evidence_file

        assert self.folder is not None
        proof: EvidenceFile | EvidenceLink
        if evidence.link is not None:
            proof = EvidenceLink(kind="link", url=evidence.link)
        else:
            source = evidence.source
            assert source is not None
            limits = self.journal.settings.evidence
            try:
                path, sha, size, created = store_evidence_file(
                    self.folder, source, limits.max_bytes, before=self.intent.will_create
                )
            except TooLargeError:
                raise SopError(
                    _(
                        "evidence file {source} is above the limit of {max_mb:g} MB (set [evidence] max_mb in "
                        "sop.toml, or attach a link to the file on Google Drive instead)"
                    ).format(source=source, max_mb=limits.max_mb)
                ) from None
            if created:
                self.intent.created_file(path)
            if size == 0:
                raise SopError(
                    _("evidence file {source} is empty (0 bytes): attach the file that holds the evidence").format(
                        source=source
                    )
                )
            proof = EvidenceFile(kind="file", name=source.name, stored=f"{EVIDENCE}/{path.name}", sha256=sha, size=size)
        return self.add(EvidenceAdded(**self.base(), type="evidence_added", evidence=proof, step=step))

    def log_hours(self, hours: float, step: int | None, confirmed: bool = False) -> Event:
        """Hours worked, refused when more than one person can work in the days they cover."""
        from sop_cli.models.records import HoursLogged

        if not 0.01 <= hours <= 10_000:
            raise SopError(_("hours must be at least 0.01 and at most 10000, not {hours}").format(hours=hours))
        if not confirmed:
            days = self._days_covered()
            limit = MAX_HOURS_A_DAY * days
            if hours > limit:
                raise SopError(
                    _(
                        "{hours:g} hours is more than one person can work in {days} day(s) ({limit:g} hours at "
                        "most); if it is right, add --confirm-hours"
                    ).format(hours=hours, days=days, limit=limit)
                )
        return self.add(HoursLogged(**self.base(), type="hours_logged", hours=hours, step=step))

    def _days_covered(self) -> int:
        """Days from this person's previous hours on the run (or the run's start) to this event's date."""
        from sop_cli.models.records import HoursLogged

        since = self.state.started_on if self.state is not None else None
        if self.loaded is not None:
            mine = [
                e.event.date
                for e in self.loaded.events
                if isinstance(e.event, HoursLogged) and e.event.by == self.who and e.event.date < self.date
            ]
            if mine:
                since = max(mine) + dt.timedelta(days=1)
        if since is None or since > self.date:
            return 1
        return (self.date - since).days + 1

    def create_file(self, path: Path, data: bytes) -> Path:
        """Create a new file (a document); never replace one. Removed again if the command fails."""
        from sop_cli.storage.atomic import write_bytes_atomic

        self.intent.will_create(path)
        try:
            write_bytes_atomic(path, data, exclusive=True)
        except FileExistsError:
            raise SopError(
                _("{path} already exists; sop never replaces a document").format(path=self.journal.ws.relative(path))
            ) from None
        self.intent.created_file(path)
        return path

    def created(self, path: Path) -> None:
        """Note a file that another writer of this transaction created (a register entry)."""
        self.intent.created_file(path)

    def will_create(self, path: Path) -> None:
        """Say, before creating it, that this transaction is about to create `path`."""
        self.intent.will_create(path)

    def keep(self, path: Path) -> None:
        """Leave `path` where it is even if the command fails (a number the office's server has now)."""
        self.intent.keep(path)

    def commit(self) -> None:
        """Write the events (the last step: a command killed before it left no event behind)."""
        from sop_cli.storage.records import event_file_name, write_event

        if self.folder is None or self.proc is None or self.state is None:
            return
        stored = []
        for event in self.events:
            self.intent.will_create(self.folder.events / event_file_name(event))
            path = write_event(self.folder, event)
            self.intent.created_file(path)
            stored.append(StoredEvent(event, path, self.folder))
        from sop_cli.storage.integrity import remember

        remember(self.journal.ws, self.folder, [s.path for s in stored])
        # What the journal knows of this run is brought up to date without reading the files
        # again: the status rows below are computed from it.
        before = self.loaded.events if self.loaded is not None else ()
        now = LoadedRun(self.folder, (*before, *stored), self.state, self.rejected, ())
        self.journal._loaded[self.folder.path] = (cache.folder_stamp(self.folder.events, (".yaml",)), now)
        self._refresh_status()

    def _refresh_status(self) -> None:
        """Update the cached status rows of this procedure, so that `sop status` right after stays warm."""
        if self.folder is None or self.fy is None:
            return
        journal = self.journal
        from sop_cli.work import refresh

        refresh(journal, self.fy, self.folder.procedure)  # and the duties of `sop todo`
        table, key, _ = status_cache.read(journal.ws.root, self.fy, journal.today)
        if table.procedures is None:
            return  # no status of today to keep warm
        number = self.folder.procedure
        table.runs = {k: v for k, v in table.runs.items() if not k.startswith(f"{number:02d}-")}
        try:
            table.runs.update(journal._procedure_rows(self.fy, number))
        except SopError:
            table.procedures = None  # computed again by the next `sop status`
        table.idle.pop(number, None)
        status_cache.write(journal.ws.root, self.fy, key, table)


# --- work left unfinished -------------------------------------------------------------------------


def _state_folder(ws: Workspace) -> Path:
    return cache.workspace_state(ws.root) / PENDING


class Intent:
    """The files one command is about to create, written down before each is created.

    The list lives in the user's own state folder, not in the workspace: a file that came from a
    colleague or a shared drive can never make sop delete records.
    """

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.path = _state_folder(ws) / f"{new_id(12)}.json"
        self.planned: list[str] = []
        self.created: list[Path] = []

    def _save(self) -> None:
        from sop_cli.storage.atomic import write_text_atomic

        data = {"workspace": str(self.ws.root.resolve()), "files": self.planned}
        # Written before each file it names is created: a killed process has always left it on
        # disk. A power cut may lose it; then `sop check` names the file left behind.
        write_text_atomic(self.path, json.dumps(data, ensure_ascii=False), durable=False)

    def will_create(self, path: Path) -> None:
        """Note `path` (a file, or a folder such as a new run's), and the folders made for it, before creating it."""
        if path.exists():
            return
        missing = [path]
        for parent in path.parents:
            if parent == self.ws.root or parent.exists() or not parent.is_relative_to(self.ws.root):
                break
            missing.append(parent)
        for item in reversed(missing):
            rel = self.ws.relative(item)
            if rel not in self.planned:
                self.planned.append(rel)
        self._save()

    def created_file(self, path: Path) -> None:
        """A file is in place: removed again if the command fails."""
        self.created.append(path)
        rel = self.ws.relative(path)
        if rel not in self.planned:
            self.planned.append(rel)
            self._save()

    def keep(self, path: Path) -> None:
        """Take `path` off the list: whatever happens next, the undo leaves it alone."""
        self.created = [p for p in self.created if p != path]
        rel = self.ws.relative(path)
        if rel in self.planned:
            self.planned.remove(rel)
            self._save()

    def undo(self) -> None:
        """Remove every file listed or created, and the folders made for them if they are left empty."""
        # The listed files too: Ctrl-C can land after a file is linked into place and before
        # `created_file` hears of it.
        _undo(self.ws, [*(self.ws.root / p for p in self.planned), *self.created])
        self.done()

    def done(self) -> None:
        """The command is over: forget the list."""
        with contextlib.suppress(OSError):
            self.path.unlink()


# Only what sop itself creates, inside the workspace, is ever removed by an undo.
_UNDOABLE = frozenset({"records", "register", "documents"})


def _undoable(ws: Workspace, path: Path) -> bool:
    """Whether `path` is inside the records, the register or the documents of the workspace."""
    try:
        parts = path.relative_to(ws.root).parts
    except ValueError:
        return False
    return bool(parts) and parts[0] in _UNDOABLE and ".." not in parts


def _undo(ws: Workspace, paths: list[Path]) -> list[str]:
    """Remove the files among `paths`, the temporary files beside them, and the folders left empty (hold the lock)."""
    removed = []
    for path in reversed(paths):
        if path.is_file() and not path.is_symlink():
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(ws.relative(path))
    # A command stopped inside an atomic write leaves its temporary file beside the file it was
    # writing. Under the lock no write is in flight: every temporary file there is left over.
    for folder in sorted({*paths, *(p.parent for p in paths)}):
        if _undoable(ws, folder) and folder.is_dir() and not folder.is_symlink():
            for tmp in folder.glob(".tmp-*"):
                with contextlib.suppress(OSError):
                    tmp.unlink()
    from sop_cli.storage.integrity import forget

    # Every event file listed, not only those removed now: an undo stopped half way is finished
    # by the next command, which finds the files already gone.
    forget(ws, [p for p in paths if p.is_relative_to(ws.records) and p.parent.name == "events"])
    _remove_empty(ws, paths)
    return removed


def _remove_empty(ws: Workspace, paths: list[Path]) -> None:
    """Remove the folders among `paths` (deepest first) that exist and are empty."""
    for path in sorted(paths, key=lambda p: len(p.parts), reverse=True):
        if path.is_dir() and not path.is_symlink():
            for sub in ("events", "evidence", "documents"):
                with contextlib.suppress(OSError):
                    (path / sub).rmdir()
            with contextlib.suppress(OSError):
                path.rmdir()


def _holds_a_file(folder: Path) -> bool:
    """Whether a run folder holds any file but temporary ones (stops at the first)."""
    stack = [folder]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif not entry.name.startswith(".tmp-"):
                return True
    return False


def remove_abandoned_runs(ws: Workspace) -> None:
    """Remove run folders that hold no file but temporary ones: a `sop start` killed half way (hold the lock)."""
    for fy in fiscal_years(ws):
        for folder in run_folders(ws, fy):
            if _holds_a_file(folder.path):
                continue
            for path in folder.path.rglob(".tmp-*"):
                with contextlib.suppress(OSError):
                    path.unlink()
            _remove_empty(ws, [folder.path])


def _pending(ws: Workspace) -> Iterator[tuple[Path, list[str] | None]]:
    """Each list of files a killed command left in the state folder, with the files it names in this
    workspace (relative to it; None when the list is damaged or belongs to another workspace)."""
    try:
        lists = sorted(_state_folder(ws).glob("*.json"))
    except OSError:
        return
    root = str(ws.root.resolve())
    for item in lists:
        try:
            data = json.loads(item.read_text(encoding="utf-8"))
            files = [str(f) for f in data["files"]] if data.get("workspace") == root else None
        except (OSError, ValueError, KeyError, TypeError):
            files = None
        yield item, None if files is None else [f for f in files if not Path(f).is_absolute()]


def undo_unfinished(ws: Workspace) -> list[str]:
    """Remove what commands killed before they finished had created (hold the records lock)."""
    removed: list[str] = []
    for item, files in _pending(ws):
        if files is not None:
            # Only what sop itself creates, inside the workspace: records, register, documents.
            paths = [ws.root / rel for rel in files]
            removed += _undo(ws, [p for p in paths if _undoable(ws, p)])
        with contextlib.suppress(OSError):
            item.unlink()
    return removed


def unfinished_files(ws: Workspace) -> set[str]:
    """The files (relative to the workspace) that commands killed before they finished had begun.

    Read only: `sop check` names them as what the next writing command removes.
    """
    return {rel for _item, files in _pending(ws) for rel in files or ()}


def finish_unfinished(ws: Workspace) -> None:
    """Remove what killed commands began: their files, and run folders left empty (hold the records lock)."""
    undo_unfinished(ws)
    remove_abandoned_runs(ws)
