"""Read and write the records tree: one folder per fiscal year and run, one file per event."""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.errors import Problem, SopError
from sop_cli.i18n import N_, _
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    # Only for annotations: listing folders and stamps (sop status from its cache) needs no model.
    from pydantic import TypeAdapter

    from sop_cli.models.records import Event

EVENTS = "events"
EVIDENCE = "evidence"
DOCUMENTS = "documents"
LOCK_TIMEOUT_S = 60.0
_RUN_FOLDER = re.compile(r"^(\d{2})-([a-z0-9]{4,12})$")
NEWER_SOP = N_("written by a newer version of sop")  # how a problem with a newer file begins


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


def run_folder(ws: Workspace, fy: int, procedure: int, run: str) -> RunFolder:
    """The folder of run `run` of `procedure` in fiscal year `fy`."""
    return RunFolder(fy, procedure, run, ws.records / str(fy) / f"{procedure:02d}-{run}")


def fiscal_years(ws: Workspace) -> list[int]:
    """Fiscal years that have a records folder, oldest first."""
    if not ws.records.is_dir():
        return []
    return sorted(int(p.name) for p in ws.records.iterdir() if p.is_dir() and p.name.isdigit())


def run_folders(ws: Workspace, fy: int, procedure: int | None = None) -> list[RunFolder]:
    """Every run folder of fiscal year `fy` (of one procedure), in name order."""
    base = ws.records / str(fy)
    try:
        entries = sorted(os.scandir(base), key=lambda e: e.name)
    except OSError:
        return []
    prefix = f"{procedure:02d}-" if procedure is not None else ""
    found = []
    for entry in entries:
        match = _RUN_FOLDER.match(entry.name)
        if match and entry.name.startswith(prefix) and entry.is_dir():
            found.append(RunFolder(fy, int(match.group(1)), match.group(2), Path(entry.path)))
    return found


def new_id(length: int = 8) -> str:
    """A short random id of lowercase letters and digits."""
    import secrets  # only commands that write draw ids

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
    from sop_cli.storage.atomic import write_text_atomic

    path = folder.events / event_file_name(event)
    write_text_atomic(path, event_yaml(event), exclusive=True)
    return path


def store_evidence_file(
    folder: RunFolder, source: Path, max_bytes: int, before: Callable[[Path], None] | None = None
) -> tuple[Path, str, int, bool]:
    """Copy `source` into the run's evidence folder, hashing it once on the way.

    Return (path, sha256, size copied, created). The size is what was read, not what `stat` said
    (a file of /proc says 0). `created` is False when the same content was already there under
    the same name. A file larger than `max_bytes` is refused before its copy is kept. `before`
    is told each path just before it is created (the journal's list of files to undo).
    """
    from sop_cli.storage.atomic import copy_file_atomic

    tmp = folder.evidence / f".tmp-{new_id(12)}"
    if before is not None:
        before(tmp)
    folder.evidence.mkdir(parents=True, exist_ok=True)
    try:
        sha, size = copy_file_atomic(source, tmp, max_bytes=max_bytes)
        target = folder.evidence / f"{sha[:8]}-{safe_file_name(source.name)}"
        if not target.resolve().is_relative_to(folder.evidence.resolve()):
            raise SopError(
                _("the evidence name {name!r} would be written outside the run folder").format(name=source.name)
            )
        if target.exists():
            return target, sha, size, False
        if before is not None:
            before(target)
        tmp.replace(target)
        return target, sha, size, True
    finally:
        tmp.unlink(missing_ok=True)


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]")


def safe_file_name(name: str) -> str:
    """A file name that stays inside its folder on every system: no separators or control characters."""
    cleaned = _UNSAFE.sub("_", name).strip(" .")
    return cleaned[:120] or "file"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def records_lock(ws: Workspace) -> Iterator[None]:
    """Hold the workspace's records lock: one writer at a time on this checkout."""
    from filelock import FileLock, Timeout

    lock_path = ws.local / "records.lock"
    try:
        ws.local.mkdir(exist_ok=True)
    except FileExistsError:
        raise SopError(
            _("{path} is a file where sop needs a folder: move it away or delete it").format(path=ws.local)
        ) from None
    if lock_path.is_symlink():
        raise SopError(
            _("{path} is a symbolic link where sop needs its own file: delete the link").format(path=lock_path)
        )
    if lock_path.exists() and not lock_path.is_file():
        raise SopError(_("{path} is a folder where sop needs a file: move it away or delete it").format(path=lock_path))
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_S)
    except Timeout:
        raise LockTimeoutError(
            _("another sop process has held the records lock for {LOCK_TIMEOUT_S:.0f} s; try again").format(
                LOCK_TIMEOUT_S=LOCK_TIMEOUT_S
            )
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
    refused = _not_an_event(data, text, shown)
    if refused is not None:
        return None, [refused]
    try:
        return _event_adapter().validate_python(data), []
    except ValidationError as exc:
        locator = Locator(text)
        problems = []
        for error in exc.errors(include_url=False):
            line, column = locator.find(tuple(error["loc"]))
            problems.append(Problem(shown, line, column, message_of(error)))
        return None, problems


def loads_as_event(path: Path) -> bool:
    """Whether the file at `path` reads as a valid event."""
    event, _problems = _parse_event(path, path.name)
    return event is not None


def _not_an_event(data: Any, text: str, shown: str) -> Problem | None:
    """A clear sentence for a file that is not an event at all, or one written by a newer sop."""
    from sop_cli.models.records import EVENT_SCHEMA_VERSION

    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return Problem(shown, 1, 1, _("not a sop event: the file has no `type` (restore it from git or delete it)"))
    version = data.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > EVENT_SCHEMA_VERSION:
        line = next((i for i, row in enumerate(text.splitlines(), 1) if row.startswith("schema_version:")), 1)
        return Problem(
            shown,
            line,
            1,
            _("{NEWER_SOP} (event schema {version}): upgrade sop to read it").format(
                NEWER_SOP=_(NEWER_SOP), version=version
            ),
        )
    return None


def event_names(folder: RunFolder) -> list[str]:
    """Names of the run's event files, in name order (temporary files of a write in progress are not listed)."""
    try:
        names = [e.name for e in os.scandir(folder.events)]
    except OSError:
        return []
    return sorted(n for n in names if n.endswith(".yaml") and not n.startswith("."))


def load_run(ws: Workspace, folder: RunFolder) -> tuple[list[StoredEvent], list[Problem]]:
    """Every valid event of one run, and a problem for each of its files that is not one."""
    # Shown paths are built as strings: Path.relative_to for 5,000 files costs more than reading them.
    prefix = f"{ws.relative(folder.events)}/"
    stored: list[StoredEvent] = []
    problems: list[Problem] = []
    for name in event_names(folder):
        path = folder.events / name
        event, found = _parse_event(path, prefix + name)
        problems += found
        if event is not None:
            stored.append(StoredEvent(event, path, folder))
    return stored, problems


def load_events(ws: Workspace, fy: int, procedure: int | None = None) -> tuple[list[StoredEvent], list[Problem]]:
    """Every valid event of fiscal year `fy` (of one procedure), and a problem for each file that is not one."""
    stored: list[StoredEvent] = []
    problems: list[Problem] = []
    for folder in run_folders(ws, fy, procedure):
        events, found = load_run(ws, folder)
        stored += events
        problems += found
    return stored, problems
