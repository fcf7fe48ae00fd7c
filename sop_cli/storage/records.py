"""Read and write the records tree: one folder per fiscal year and run, one file per event."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli import __version__
from sop_cli.errors import Problem, SopError
from sop_cli.loading.cache import read_cache, write_cache
from sop_cli.storage.atomic import copy_file_atomic, write_text_atomic
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    # Only for annotations: listing folders and stamps (sop status from its cache) needs no model.
    from pydantic import TypeAdapter

    from sop_cli.models.records import Event

EVENTS = "events"
EVIDENCE = "evidence"
DOCUMENTS = "documents"
EVENTS_CACHE = "events.pickle"
LOCK_TIMEOUT_S = 60.0
_RUN_FOLDER = re.compile(r"^(\d{2})-([a-z0-9]{4,12})$")


@functools.cache
def _event_adapter() -> TypeAdapter[Event]:
    # Built on first use: `sop status` served from the cache never needs it.
    from pydantic import TypeAdapter

    from sop_cli.models.records import Event

    return TypeAdapter(Event)


class LockTimeoutError(SopError):
    """Another sop process held the records lock for too long."""


@dataclass(frozen=True)
class RunFolder:
    """Where one run's files live."""

    fy: int
    procedure: int
    run: str
    path: Path

    @property
    def events(self) -> Path:
        """Folder of the run's event files."""
        return self.path / EVENTS

    @property
    def evidence(self) -> Path:
        """Folder of the run's evidence copies."""
        return self.path / EVIDENCE

    @property
    def documents(self) -> Path:
        """Folder of the run's generated documents."""
        return self.path / DOCUMENTS


@dataclass(frozen=True)
class StoredEvent:
    """An event with the file it came from."""

    event: Event
    path: Path
    folder: RunFolder
    stamp: tuple[int, int, int] = (0, 0, 0)  # (mtime_ns, size, inode) when it was read


def run_folder(ws: Workspace, fy: int, procedure: int, run: str) -> RunFolder:
    """The folder of run `run` of `procedure` in fiscal year `fy`."""
    return RunFolder(fy, procedure, run, ws.records / str(fy) / f"{procedure:02d}-{run}")


def fiscal_years(ws: Workspace) -> list[int]:
    """Fiscal years that have a records folder, oldest first."""
    if not ws.records.is_dir():
        return []
    return sorted(int(p.name) for p in ws.records.iterdir() if p.is_dir() and p.name.isdigit())


def run_folders(ws: Workspace, fy: int) -> list[RunFolder]:
    """Every run folder of fiscal year `fy`."""
    base = ws.records / str(fy)
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.iterdir()):
        match = _RUN_FOLDER.match(path.name)
        if match and path.is_dir():
            found.append(RunFolder(fy, int(match.group(1)), match.group(2), path))
    return found


def event_files(folder: RunFolder) -> list[Path]:
    """The run's event files; temporary files of an interrupted write are never listed."""
    if not folder.events.is_dir():
        return []
    return sorted(p for p in folder.events.iterdir() if p.suffix == ".yaml" and not p.name.startswith("."))


def new_id(length: int = 8) -> str:
    """A short random id of lowercase letters and digits."""
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: ids are read aloud and typed
    return "".join(secrets.choice(alphabet) for _ in range(length))


def event_file_name(event: Event) -> str:
    """Unique, sortable file name: time recorded, actor, id."""
    stamp = event.at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    return f"{stamp}-{event.by}-{event.id}.yaml"


def event_yaml(event: Event) -> str:
    """The text of an event file: one key per line, Thai as written, dates as ISO strings.

    Every scalar is written in JSON form, which is also YAML: strings double-quoted (so that no
    text is ever read back as a number, date or boolean), numbers and booleans bare.
    """
    data = event.model_dump(mode="json", exclude_none=True)
    first = ("schema_version", "type", "id")
    ordered = {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}
    lines = []
    for key, value in ordered.items():
        if isinstance(value, dict):
            lines.append(f"{key}:")
            lines += [f"  {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def remove_leftovers(folder: RunFolder) -> None:
    """Delete temporary files that a killed process left in the run (call only under the lock)."""
    for sub in (folder.events, folder.evidence, folder.documents):
        if sub.is_dir():
            for path in sub.glob(".tmp-*"):
                path.unlink(missing_ok=True)


def write_event(folder: RunFolder, event: Event) -> Path:
    """Create the event's file once; never replace an existing one."""
    path = folder.events / event_file_name(event)
    write_text_atomic(path, event_yaml(event), exclusive=True)
    return path


def store_evidence_file(folder: RunFolder, source: Path) -> tuple[str, str, int]:
    """Copy `source` into the run's evidence folder; return (stored path, sha256, size)."""
    digest = hashlib.sha256()
    with source.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    sha = digest.hexdigest()
    name = f"{sha[:8]}-{safe_file_name(source.name)}"
    target = folder.evidence / name
    if not target.resolve().is_relative_to(folder.evidence.resolve()):
        raise SopError(f"the evidence name {source.name!r} would be written outside the run folder")
    if not target.exists():
        copied_sha, size = copy_file_atomic(source, target)
        if copied_sha != sha:
            raise SopError(f"{source} changed while it was being copied; attach it again")
        stated = source.stat().st_size  # what the event records; /proc files say 0 and hold more
        if size != stated:
            target.unlink()
            raise SopError(f"{source} says it has {stated} bytes but holds {size}; copy it to a file first")
    else:
        size = target.stat().st_size
    return f"{EVIDENCE}/{name}", sha, size


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_file_name(name: str) -> str:
    """A file name that stays inside its folder on every system: no separators or control characters."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned[:120] or "file"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def records_lock(ws: Workspace) -> Iterator[None]:
    """Hold the workspace's records lock: one writer at a time on this checkout (re-entrant in a thread)."""
    from filelock import FileLock, Timeout

    ws.cache.mkdir(parents=True, exist_ok=True)
    # One lock object per file in a process (is_singleton), so that a command holding the lock
    # can call another that takes it (issuing a document records its evidence) without waiting
    # for itself; other processes and other threads still wait.
    lock = FileLock(str(ws.cache / "records.lock"), is_singleton=True)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S)
    except Timeout:
        raise LockTimeoutError(
            f"another sop process has held the records lock for {LOCK_TIMEOUT_S:.0f} s; try again"
        ) from None
    try:
        yield
    finally:
        lock.release()


_LINE = re.compile(r"^( {2})?([a-z_0-9]+): (.+)$")


def _fast_parse(text: str) -> dict[str, Any] | None:
    """Read an event file in the exact form `event_yaml` writes, or None to fall back to YAML.

    Reading 5,000 files with a YAML parser takes seconds; this subset (a key and a JSON value per
    line, one level of nesting) takes a fraction of it and gives the same data.
    """
    data: dict[str, Any] = {}
    nested: dict[str, Any] | None = None
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" ") and " " not in line:
            nested = data[line[:-1]] = {}
            continue
        match = _LINE.match(line)
        if match is None:
            return None
        indent, key, raw = match.groups()
        try:
            value = json.loads(raw)
        except ValueError:
            return None
        if isinstance(value, dict | list):
            return None
        target = nested if indent else data
        if target is None or key in target:
            return None  # a duplicate key: let the YAML parser report it with its place
        target[key] = value
        if not indent:
            nested = None
    return data


def _parse_event(path: Path, shown: str) -> tuple[Event | None, list[Problem]]:
    from pydantic import ValidationError

    from sop_cli.loading.yaml_files import FileProblems, Locator, message_of, parse_yaml, read_text

    try:
        text = read_text(path, shown)
        data = _fast_parse(text)
        if data is None:
            data = parse_yaml(text, shown)
    except FileProblems as exc:
        return None, exc.problems
    try:
        return _event_adapter().validate_python(data), []
    except ValidationError as exc:
        locator = Locator(text)
        problems = []
        for error in exc.errors(include_url=False):
            line, column = locator.find(tuple(error["loc"]))
            problems.append(Problem(shown, line, column, message_of(error)))
        return None, problems


def event_stamps(folder: RunFolder) -> tuple[tuple[str, tuple[int, int, int]], ...]:
    """(file name, (mtime_ns, size, inode)) of every event file of a run, in name order."""
    if not folder.events.is_dir():
        return ()
    stamps = []
    with os.scandir(folder.events) as entries:
        for entry in entries:
            if entry.name.endswith(".yaml") and not entry.name.startswith("."):
                st = entry.stat()  # a DirEntry, not a Path: 5,000 Path objects cost more than the stats
                stamps.append((entry.name, (st.st_mtime_ns, st.st_size, st.st_ino)))
    return tuple(sorted(stamps))


def load_events(ws: Workspace, fy: int) -> tuple[list[StoredEvent], list[Problem]]:
    """Every valid event of fiscal year `fy`, and a problem for each file that is not one.

    Validated events are cached by file (mtime, size, inode): a changed, added or removed file is
    always read again, so the cache can never show a stale state.
    """
    from sop_cli.models.records import EVENT_SCHEMA_VERSION

    key = (__version__, EVENT_SCHEMA_VERSION, fy)
    cache_file = ws.cache / f"{fy}-{EVENTS_CACHE}"
    cached = read_cache(cache_file, key)
    old: dict[str, Any] = cached if isinstance(cached, dict) else {}
    fresh: dict[str, Any] = {}
    stored: list[StoredEvent] = []
    problems: list[Problem] = []
    for folder in run_folders(ws, fy):
        # Shown paths are built as strings: Path.relative_to for 5,000 files costs more than reading them.
        prefix = f"{ws.relative(folder.events)}/"
        for name, stamp in event_stamps(folder):
            path = folder.events / name
            shown = prefix + name
            hit = old.get(shown)
            if hit is not None and hit[0] == stamp:
                event = hit[1]
            else:
                event, found = _parse_event(path, shown)
                problems += found
                if event is None:
                    continue
            fresh[shown] = (stamp, event)
            stored.append(StoredEvent(event, path, folder, stamp))
    if fresh.keys() != old.keys() or any(fresh[k][0] != old[k][0] for k in fresh):
        write_cache(cache_file, key, fresh)
    return stored, problems
