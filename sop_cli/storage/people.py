"""Leave files: one immutable file per leave (or its cancelling) under `records/people/leave/<BE year>/`.

They live under `records/` so that `sop sync` shares them with the events, and each is created
once and never edited, so that two clones merge without a conflict. Reading them for `sop todo`
and `sop remind` loads no model: the leaves in force are cached as plain data under the stamps
of their files; `sop check` reads and validates every file with its place.

`acting_for(ws, person, day)` and `on_leave(ws, person, day)` are the lookups other commands
use (a document signed by a substitute prints the acting title and names both people).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.errors import Problem
from sop_cli.i18n import _
from sop_cli.storage import cache
from sop_cli.thai_calendar import be_year
from sop_cli.views.people import LeavePeriod
from sop_cli.workspace import Workspace

if TYPE_CHECKING:
    from sop_cli.models.people import Leave, LeaveCancelled

PEOPLE = "people"
LEAVE = "leave"
LEAVE_CACHE = "leave"
_YEAR = re.compile(r"^\d{4}$")
_LEAVE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z][a-z0-9_]*)-([a-z0-9]{8,16})\.yaml$")
_CANCEL_NAME = re.compile(r"^cancel-([a-z0-9]{8,16})-([a-z0-9]{8,16})\.yaml$")


def leave_folder(ws: Workspace) -> Path:
    """The folder of every leave file: records/people/leave/."""
    return ws.records / PEOPLE / LEAVE


def leave_path(ws: Workspace, record: Leave | LeaveCancelled, start: dt.date) -> Path:
    """Where a leave (or its cancelling) is filed: under the Buddhist Era year the leave starts in.

    A leave: `2026-12-01-saowalak-<id>.yaml` (the first day, the person, the id); its cancelling:
    `cancel-<leave id>-<id>.yaml`, next to it.
    """
    folder = leave_folder(ws) / str(be_year(start))
    if record.type == "leave":
        return folder / f"{start.isoformat()}-{record.person}-{record.id}.yaml"
    return folder / f"cancel-{record.target}-{record.id}.yaml"


def leave_yaml(record: Leave | LeaveCancelled) -> str:
    """The text of a leave file: one key per line, every value in JSON form (which is also YAML)."""
    from sop_cli.models.people import LEAVE_SCHEMA_VERSION

    data = record.model_dump(mode="json", exclude_none=True)
    data["schema_version"] = LEAVE_SCHEMA_VERSION
    first = ("schema_version", "type", "id")
    ordered = {k: data[k] for k in first} | {k: v for k, v in data.items() if k not in first}
    return "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in ordered.items())


def leave_files(ws: Workspace) -> list[Path]:
    """Every file under records/people/leave/, in year and name order (temporary files left out)."""
    base = leave_folder(ws)
    found: list[Path] = []
    try:
        years = sorted(e.name for e in os.scandir(base) if e.is_dir())
    except OSError:
        return found
    for year in years:
        try:
            names = sorted(e.name for e in os.scandir(base / year) if e.is_file() and not e.name.startswith(".tmp-"))
        except OSError:
            continue
        found += [base / year / name for name in names]
    return found


def read_leave(ws: Workspace) -> tuple[list[Leave | LeaveCancelled], list[Problem]]:
    """Every valid leave record, and a problem (path:line:col) for each file that is not one.

    A file is also a problem when it is not where its content says it belongs (its name, its
    year folder), or when it cancels a leave that does not exist.
    """
    from pydantic import TypeAdapter, ValidationError

    from sop_cli.loading.yaml_files import FileProblems, Locator, message_of, parse_yaml, read_text
    from sop_cli.models.people import Leave, LeaveCancelled, LeaveRecord

    adapter: TypeAdapter[Leave | LeaveCancelled] = TypeAdapter(LeaveRecord)
    base = leave_folder(ws)
    records: list[tuple[Leave | LeaveCancelled, Path]] = []
    problems: list[Problem] = []
    if base.exists():
        for entry in sorted(base.iterdir()):
            if not (entry.is_dir() and _YEAR.match(entry.name)):
                problems.append(
                    Problem(ws.relative(entry), 1, 1, _("unexpected file: leave files go in a year folder"))
                )
    for path in leave_files(ws):
        shown = ws.relative(path)
        if path.suffix != ".yaml":
            problems.append(Problem(shown, 1, 1, _("unexpected file among the leave files")))
            continue
        try:
            text = read_text(path, shown)
            data = parse_yaml(text, shown)
        except FileProblems as exc:
            problems += exc.problems
            continue
        try:
            record = adapter.validate_python(data)
        except ValidationError as exc:
            locator = Locator(text)
            for error in exc.errors(include_url=False):
                loc = tuple(error["loc"])
                if loc[:1] in (("leave",), ("leave_cancelled",)):  # the union's tag is not a key of the file
                    error = {**error, "loc": loc[1:]}
                line, column = locator.find(tuple(error["loc"]))
                problems.append(Problem(shown, line, column, message_of(error)))
            continue
        records.append((record, path))
    leaves = {r.id: r for r, _path in records if isinstance(r, Leave)}
    valid: list[Leave | LeaveCancelled] = []
    for record, path in records:
        start = record.start if isinstance(record, Leave) else None
        if isinstance(record, LeaveCancelled):
            target = leaves.get(record.target)
            if target is None:
                message = _("cancels leave {target}, which does not exist").format(target=record.target)
                problems.append(Problem(ws.relative(path), _line_of(path, "target"), 1, message))
                continue
            start = target.start
        assert start is not None
        expected = leave_path(ws, record, start)
        if path != expected:
            message = _("the file's name or folder does not match its content (expected {path})").format(
                path=ws.relative(expected)
            )
            problems.append(Problem(ws.relative(path), 1, 1, message))
            continue
        valid.append(record)
    return valid, problems


def _line_of(path: Path, key: str) -> int:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((i for i, line in enumerate(lines, 1) if line.startswith(f"{key}:")), 1)


def _periods(ws: Workspace) -> list[LeavePeriod]:
    from sop_cli.models.people import Leave, LeaveCancelled

    records, _problems = read_leave(ws)
    cancelled = {r.target for r in records if isinstance(r, LeaveCancelled)}
    periods = []
    for r in records:
        if isinstance(r, Leave) and r.id not in cancelled:
            path = ws.relative(leave_path(ws, r, r.start))
            periods.append(LeavePeriod(r.id, r.person, r.start, r.end, r.substitute, r.acting, r.reason, path))
    return sorted(periods, key=lambda p: (p.start, p.person, p.id))


def _dump(periods: list[LeavePeriod]) -> list[Any]:
    return [
        [p.id, p.person, p.start.isoformat(), p.end.isoformat(), p.substitute, p.acting, p.reason, p.path]
        for p in periods
    ]


def _load(data: Any) -> list[LeavePeriod]:
    found = []
    for item in data:
        ident, person, start, end, substitute, acting, reason, path = item
        found.append(
            LeavePeriod(
                str(ident),
                str(person),
                dt.date.fromisoformat(start),
                dt.date.fromisoformat(end),
                substitute,
                acting,
                reason,
                str(path),
            )
        )
    return found


def leave_periods(ws: Workspace) -> list[LeavePeriod]:
    """The leaves in force (not cancelled), first day first; files that do not load are left out.

    Cached as plain data under the stamps of the leave files: a warm `sop todo` loads no model.
    """
    base = leave_folder(ws)
    key: list[Any] = [cache.folder_stamp(base, ("",))]
    try:
        years = sorted(e.name for e in os.scandir(base) if e.is_dir())
    except OSError:
        years = []
    key += [[year, cache.folder_stamp(base / year, (".yaml",))] for year in years]
    return cache.memo(cache.workspace_cache(ws.root), LEAVE_CACHE, key, lambda: _periods(ws), _dump, _load)


def on_leave(ws: Workspace, person: str, day: dt.date) -> LeavePeriod | None:
    """The leave `person` (a staff id) is on, on `day`, if any."""
    return next((p for p in leave_periods(ws) if p.person == person and p.covers(day)), None)


def acting_for(ws: Workspace, person: str, day: dt.date) -> list[LeavePeriod]:
    """The leaves in which `person` (a staff id) stands in for someone on `day`: whom they act for.

    Each period names the absent person (`person`), the substitute and how the substitute signs
    (`acting`: ปฏิบัติราชการแทน or รักษาราชการแทน; None means the office's default, [people]
    substitute_acting of sop.toml). A document signed by the substitute on that day prints the
    acting title and keeps both names.
    """
    return [p for p in leave_periods(ws) if p.substitute == person and p.covers(day)]
