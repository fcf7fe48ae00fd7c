"""`sop check`: validate every file of the workspace, records and evidence included.

It reads the files themselves, never a cache, and holds the records lock while it reads the
records, so that a command writing at the same moment is never half seen. Every problem it
reports can be repaired with a `sop` command (or, for a hand-edited file, by restoring it from
git); the README lists them.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Iterator, Sequence

from sop_cli.engine import effective_voids, replay
from sop_cli.errors import Problem, SopError
from sop_cli.i18n import N_, _
from sop_cli.journal import label_key as _label_key
from sop_cli.loading.catalog import scan
from sop_cli.loading.holidays import holiday_file_problems
from sop_cli.loading.settings import settings_problems
from sop_cli.models.catalog import Catalog
from sop_cli.models.records import EvidenceAdded, EvidenceDocument, EvidenceFile, Started, Voided
from sop_cli.rendering import words
from sop_cli.storage.integrity import changed_events_everywhere
from sop_cli.storage.paths import file_problem
from sop_cli.storage.records import (
    RunFolder,
    StoredEvent,
    event_file_name,
    fiscal_years,
    load_events,
    records_lock,
    run_folders,
    sha256_of,
)
from sop_cli.storage.register import register_problems
from sop_cli.thai_calendar import format_short
from sop_cli.views.runs import CheckResult
from sop_cli.workspace import Workspace

LEFT_OVER = N_("left over by an interrupted write: the next sop command that writes to this run removes it")
UNFINISHED = N_("begun by a command that was interrupted: the next sop command that writes removes it")


def check_workspace(ws: Workspace, *, lock: bool = True) -> CheckResult:
    """Validate procedures, vocabularies, settings, the holiday calendar, the register and every record.

    `lock=False` is for a caller that already holds the records lock (`sop sync` checks what it
    is about to send while it holds it).
    """
    catalog, problems = scan(ws)
    _settings, found = settings_problems(ws)
    problems += found
    problems += holiday_file_problems(ws)
    with _records_lock_if_possible(ws) if lock else contextlib.nullcontext():
        problems += register_problems(ws)
        if catalog is None:
            return CheckResult(problems, 0, 0, 0, 0)
        runs = events = 0
        folders: list[RunFolder] = []
        for fy in fiscal_years(ws):
            r, e, found = _check_year(ws, catalog, fy)
            runs, events, problems = runs + r, events + e, problems + found
            folders += run_folders(ws, fy)
        problems += leave_problems(ws, catalog)
        for path, how in changed_events_everywhere(ws, folders):
            problems.append(
                Problem(
                    path,
                    1,
                    1,
                    _("event file {how} after it was recorded: put it back with `sop repair`").format(how=_(how)),
                )
            )
        problems = _name_unfinished(ws, problems)
    return CheckResult(
        problems,
        len(catalog.procedures),
        len(catalog.roster.staff),
        len(catalog.bodies.bodies),
        len(catalog.agencies.agencies),
        runs,
        events,
        questions=len(catalog.open_questions),
        unconfirmed_agencies=len(catalog.agencies.unconfirmed),
    )


def _name_unfinished(ws: Workspace, problems: list[Problem]) -> list[Problem]:
    """Say of a file an interrupted command left what will happen to it, not how to adopt it."""
    from sop_cli.journal import unfinished_files

    left = {path.replace("\\", "/") for path in unfinished_files(ws)}
    if not left:
        return problems
    said = _(UNFINISHED)
    return [Problem(p.path, p.line, p.column, said) if p.path.replace("\\", "/") in left else p for p in problems]


def leave_problems(ws: Workspace, catalog: Catalog) -> list[Problem]:
    """Every problem of the leave files (records/people/leave/): their syntax, keys and people, placed."""
    from sop_cli.models.people import Leave
    from sop_cli.storage.people import leave_path, read_leave

    records, problems = read_leave(ws)
    staff = {m.id for m in catalog.roster.staff}
    for record in records:
        start = record.start if isinstance(record, Leave) else None
        if start is None:
            continue  # a cancelling names no one but who recorded it, checked with the leave's own file
        path = leave_path(ws, record, start)
        lines = path.read_text(encoding="utf-8").splitlines()
        for key in ("person", "substitute", "recorded_by"):
            value = getattr(record, key)
            if value is not None and value not in staff:
                line = next((i for i, text in enumerate(lines, 1) if text.startswith(f"{key}:")), 1)
                message = _("{key}: '{value}' is not in the staff roster (sops/staff.yaml)").format(
                    key=key, value=value
                )
                problems.append(Problem(ws.relative(path), line, len(key) + 3, message))
    return sorted(problems, key=lambda p: (p.path, p.line, p.column))


def _where(ws: Workspace, item: StoredEvent) -> str:
    return ws.relative(item.path)


def _describe(ws: Workspace, catalog: Catalog, item: StoredEvent) -> str:
    e = item.event
    # The time as the office wrote it (its own offset), the date in the Buddhist Era as everywhere in sop.
    when = f"{format_short(e.at.date())} {e.at:%H:%M}"
    what = words.word(words.EVENT_TYPE, e.type)
    return _("event {id} ({what} by {staff_name}, {time})").format(
        id=e.id, what=what, staff_name=catalog.staff_name(e.by), time=when
    )


@contextlib.contextmanager
def _records_lock_if_possible(ws: Workspace) -> Iterator[None]:
    """The records lock, so that no write is seen half done; without it on a read-only workspace."""
    if not ws.records.is_dir() and not (ws.root / "register").is_dir():
        yield  # no records yet: nothing to see half written
        return
    try:
        lock = records_lock(ws)
        lock.__enter__()
    except (OSError, SopError):
        yield  # nobody can be writing where no lock can be created
        return
    try:
        yield
    finally:
        lock.__exit__(None, None, None)


def _check_year(ws: Workspace, catalog: Catalog, fy: int) -> tuple[int, int, list[Problem]]:
    stored, problems = load_events(ws, fy)
    by_run: dict[str, list[StoredEvent]] = defaultdict(list)
    for item in stored:
        by_run[item.folder.path.name].append(item)
        problems += _file_problems(ws, catalog, item)
    folders = run_folders(ws, fy)
    labels: dict[tuple[int, str | None], str] = {}
    for folder in folders:
        items = by_run.get(folder.path.name, [])
        problems += _unexpected_files(ws, folder)
        proc = catalog.procedures.get(folder.procedure)
        if proc is None:
            problems.append(
                Problem(
                    ws.relative(folder.path),
                    1,
                    1,
                    _("there is no procedure {procedure}").format(procedure=folder.procedure),
                )
            )
            continue
        starts = [i for i in items if isinstance(i.event, Started)]
        if not items and not any(folder.events.glob("*.yaml")):
            problems.append(
                Problem(
                    ws.relative(folder.path),
                    1,
                    1,
                    _(
                        "a run folder with no event, left by an interrupted `sop start`: the next sop command that "
                        "writes removes it (or delete the folder)"
                    ),
                )
            )
            continue
        if len(starts) != 1:
            problems.append(
                Problem(
                    ws.relative(folder.path),
                    1,
                    1,
                    _("a run needs exactly one started event, it has {count}").format(count=len(starts)),
                )
            )
        state, _rejected = replay(proc, folder.run, (i.event for i in items))
        if state.status.value == "cancelled":
            continue  # a cancelled run holds no label: its label may be used again
        for start in starts:
            assert isinstance(start.event, Started)
            # Labels that look the same (a zero-width space, a no-break space) are the same label.
            key = (folder.procedure, _label_key(start.event.label))
            if key in labels:
                what = f"label '{start.event.label}'" if start.event.label else "no label"
                problems.append(
                    Problem(
                        _where(ws, start),
                        1,
                        1,
                        _(
                            "procedure {procedure} has two runs with {what} in fiscal year {fy} ({labels} and "
                            "{run}): cancel one with `sop cancel {procedure} --run ID`"
                        ).format(procedure=folder.procedure, what=what, fy=fy, labels=labels[key], run=folder.run),
                    )
                )
            labels[key] = folder.run
        problems += _replay_problems(ws, catalog, folder, items)
        problems += _evidence_problems(ws, folder, items)
    return len(folders), len(stored), problems


def _file_problems(ws: Workspace, catalog: Catalog, item: StoredEvent) -> list[Problem]:
    e, folder, where = item.event, item.folder, _where(ws, item)
    found = []
    if (e.procedure, e.run) != (folder.procedure, folder.run):
        found.append(
            _("the event says procedure {procedure} run {run}, but it is in the folder of {name}").format(
                procedure=e.procedure, run=e.run, name=folder.path.name
            )
        )
    if item.path.name != event_file_name(e):
        found.append(
            _("the file name does not match the event (expected {event_file_name})").format(
                event_file_name=event_file_name(e)
            )
        )
    if e.by not in {m.id for m in catalog.roster.staff}:
        found.append(_("'{by}' is not in the staff roster (sops/staff.yaml)").format(by=e.by))
    if isinstance(e, Started) and e.fy != folder.fy:
        found.append(
            _("the run is for fiscal year {fy} but it is filed under records/{fy2}").format(fy=e.fy, fy2=folder.fy)
        )
    return [Problem(where, 1, 1, message) for message in found]


def _replay_problems(ws: Workspace, catalog: Catalog, folder: RunFolder, items: list[StoredEvent]) -> list[Problem]:
    proc = catalog.procedures[folder.procedure]
    by_id = {i.event.id: i for i in items}
    found = []
    not_counting = effective_voids(i.event for i in items)
    for item in items:
        if isinstance(item.event, Voided) and item.event.target not in by_id and item.event.id not in not_counting:
            found.append(
                Problem(
                    _where(ws, item),
                    1,
                    1,
                    _("voids event {target}, which this run does not have").format(target=item.event.target),
                )
            )
    _state, rejected = replay(proc, folder.run, (i.event for i in items))
    for bad in rejected:
        item = by_id[bad.event.id]
        if bad.other is not None and bad.other in by_id:
            other = by_id[bad.other]
            found.append(
                Problem(
                    _where(ws, item),
                    1,
                    1,
                    _(
                        "contradiction: {describe} and {describe2} ({where}) both close step {value}; record which "
                        "one does not count with `sop void EVENT-ID --reason TEXT`"
                    ).format(
                        describe=_describe(ws, catalog, item),
                        describe2=_describe(ws, catalog, other),
                        where=_where(ws, other),
                        value=bad.event.step if hasattr(bad.event, "step") else "?",
                    ),
                )
            )
        else:
            found.append(
                Problem(
                    _where(ws, item),
                    1,
                    1,
                    _("{describe} is invalid: {message}").format(
                        describe=_describe(ws, catalog, item), message=bad.message
                    ),
                )
            )
    return found


def _evidence_problems(ws: Workspace, folder: RunFolder, items: list[StoredEvent]) -> list[Problem]:
    found = []
    expected: set[str] = set()
    voided = effective_voids(i.event for i in items)
    for item in items:
        event = item.event
        if not isinstance(event, EvidenceAdded) or not isinstance(event.evidence, EvidenceFile | EvidenceDocument):
            continue
        proof = event.evidence
        expected.add(proof.stored)
        if event.id in voided:
            continue  # evidence that does not count: its file may be kept, replaced or gone
        path = folder.path / proof.stored
        problem = file_problem(path, ws.root)  # the shared test: a regular file, no link out of the workspace
        if problem is not None:
            found.append(
                Problem(
                    _where(ws, item),
                    1,
                    1,
                    _("evidence file {path} {problem}").format(path=ws.relative(path), problem=problem),
                )
            )
        elif sha256_of(path) != proof.sha256 or path.stat().st_size != proof.size:
            found.append(
                Problem(
                    ws.relative(path),
                    1,
                    1,
                    _("evidence file was altered: its SHA-256 is not the one recorded in {where}").format(
                        where=_where(ws, item)
                    ),
                )
            )
    for sub in (folder.evidence, folder.documents):
        if sub.is_dir():
            for path in sorted(sub.iterdir()):
                if f"{sub.name}/{path.name}" in expected:
                    continue
                if path.name.startswith(".tmp-"):
                    message = _(LEFT_OVER)
                else:
                    message = _(
                        "unexpected file: no event records it as evidence (attach it with `sop note --evidence`)"
                    )
                found.append(Problem(ws.relative(path), 1, 1, message))
    return found


def _unexpected_files(ws: Workspace, folder: RunFolder) -> list[Problem]:
    found = []
    for path in sorted(folder.path.iterdir()):
        if path.name not in ("events", "evidence", "documents"):
            found.append(Problem(ws.relative(path), 1, 1, _("unexpected file in a run folder")))
    if folder.events.is_dir():
        for path in sorted(folder.events.iterdir()):
            if path.name.startswith(".tmp-"):
                found.append(
                    Problem(
                        ws.relative(path),
                        1,
                        1,
                        _(LEFT_OVER),
                    )
                )
            elif path.suffix != ".yaml" or path.name.startswith("."):
                found.append(Problem(ws.relative(path), 1, 1, _("unexpected file among the events")))
    return found


def _broken_event(ws: Workspace, folders: Sequence[RunFolder], rel: str) -> bool:
    """Whether `rel` names a file among a run's events that does not read as an event."""
    from sop_cli.storage.records import loads_as_event

    path = ws.root / rel
    return path.is_file() and any(path.parent == f.events for f in folders) and not loads_as_event(path)


def repair_workspace(ws: Workspace, accept: Sequence[str] = ()) -> list[str]:
    """Put back event files changed or deleted after they were recorded (from git), or accept them.

    In a git repository every such file is restored from its commit. Without git there is no
    copy to restore: `accept` names the files whose present state (or absence) is taken as the
    record, after the office has checked them. Return one line per file repaired.
    """
    from sop_cli.storage.integrity import accept as accept_files
    from sop_cli.storage.integrity import is_git_workspace, restore_from_git, set_aside

    with records_lock(ws):
        folders = [f for fy in fiscal_years(ws) for f in run_folders(ws, fy)]
        changes = changed_events_everywhere(ws, folders)
        if accept:
            if is_git_workspace(ws):
                raise SopError(
                    _("this workspace is a git repository: changed event files are restored from git, not accepted")
                )
            known = {path for path, _ in changes}
            # A broken event file this computer never saw whole (from a colleague or a copy): it too
            # is set aside, or nothing could make `sop check` green again.
            broken = [p for p in accept if p not in known and _broken_event(ws, folders, p)]
            unknown = [p for p in accept if p not in known and p not in broken]
            if unknown:
                raise SopError(
                    _("{unknown} is not an event file that changed or went missing (see `sop check`)").format(
                        unknown=unknown[0]
                    )
                )
            kept = _("accepted {path} as it is now")
            moved = _("set aside {path}, which no longer reads as an event, in {place}; the run goes on without it")
            done = accept_files(ws, folders, [p for p in accept if p in known])
            done += [(path, set_aside(ws, ws.root / path)) for path in broken]
            accept_files(ws, folders, broken)  # forgotten too, if this computer had read them before
            return [
                kept.format(path=path) if aside is None else moved.format(path=path, place=ws.relative(aside))
                for path, aside in done
            ]
        if not changes:
            return []
        if not is_git_workspace(ws):
            listed = " ".join(path for path, _ in changes)
            raise SopError(
                _(
                    "without git there is no copy to restore the event files from: put them back from a backup, or, "
                    "once the office has checked them, accept them with `sop repair --accept {listed}`"
                ).format(listed=listed)
            )
        restored = restore_from_git(ws, [path for path, _ in changes])
    return [_("restored {path} from git").format(path=path) for path in restored]
