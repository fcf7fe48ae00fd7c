"""The rows of `sop status`, cached per run as plain data in the user's cache folder.

A row depends on its run's event files, the procedures, the holiday calendar, the settings and
the day: the cache of a year is keyed by all but the first, and each run's row by a checksum of
the stamps of its event files. `read_fresh` answers a warm `sop status` without loading a model;
the journal computes what is missing or stale and keeps it up to date after every write.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sop_cli.storage import cache
from sop_cli.storage.records import RunFolder, run_folders
from sop_cli.views.status import DeadlineView, StatusRow


def cache_name(fy: int) -> str:
    """The name of a year's status cache."""
    return f"status-{fy}"


def status_key(root: Path, fy: int, today: dt.date) -> list[Any]:
    """Everything the rows of a year depend on but the event files: the day, the definitions, the settings."""
    return [
        fy,
        today.isoformat(),
        cache.folder_stamp(root / "sops", (".yaml", ".yml")),
        cache.folder_stamp(root / "calendar", (".yaml",)),
        cache.file_stamp(root / "sop.toml"),
    ]


def run_digest(folder: RunFolder) -> str:
    """A checksum of the stamps of the run's event files: it changes when any of them does."""
    return cache.folder_digest(folder.events, (".yaml",))


ROW_DATES = ("last_activity", "started_on")


def row_data(row: StatusRow) -> dict[str, Any]:
    data = asdict(row)
    for name in ROW_DATES:
        data[name] = data[name].isoformat() if data[name] else None
    d = data["next_deadline"]
    if d is not None:
        d["due"] = d["due"].isoformat() if d["due"] else None
    return data


def row_from_data(data: dict[str, Any]) -> StatusRow:
    values = dict(data)
    for name in ROW_DATES:
        values[name] = dt.date.fromisoformat(values[name]) if values[name] else None
    d = values["next_deadline"]
    if d is not None:
        values["next_deadline"] = DeadlineView(**{**d, "due": dt.date.fromisoformat(d["due"]) if d["due"] else None})
    values["holders"] = tuple(values["holders"])
    values["damaged"] = tuple(values["damaged"])
    return StatusRow(**values)


def ordered(rows: Any, idle: dict[int, StatusRow]) -> list[StatusRow]:
    by_procedure: dict[int, list[StatusRow]] = defaultdict(list)
    for row in rows:
        by_procedure[row.procedure].append(row)
    ordered = []
    for number in sorted(set(by_procedure) | set(idle)):
        mine = by_procedure.get(number)
        if mine:
            ordered += sorted(mine, key=lambda r: (r.started_on or dt.date.max, r.run or ""))
        else:
            ordered.append(idle[number])
    return ordered


@dataclass
class StatusTable:
    """The status cache of a year, as plain data: rows by run folder, rows of procedures without a run."""

    procedures: list[int] | None = None
    runs: dict[str, tuple[str, StatusRow]] = field(default_factory=dict)
    idle: dict[int, StatusRow] = field(default_factory=dict)

    @classmethod
    def parse(cls, stored: Any) -> StatusTable:
        """The table of a cache file; an empty one for anything damaged or foreign."""
        if not isinstance(stored, dict):
            return cls()
        try:
            procedures = [int(n) for n in stored["procedures"]]
            runs = {str(k): (str(v[0]), row_from_data(v[1])) for k, v in stored["runs"].items()}
            idle = {int(k): row_from_data(v) for k, v in stored["idle"].items()}
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return cls()
        return cls(procedures, runs, idle)

    def dump(self) -> dict[str, Any]:
        """The table as plain JSON data."""
        return {
            "procedures": self.procedures or [],
            "runs": {k: [digest, row_data(row)] for k, (digest, row) in self.runs.items()},
            "idle": {str(k): row_data(row) for k, row in self.idle.items()},
        }


def read(root: Path, fy: int, today: dt.date) -> tuple[StatusTable, list[Any], bool]:
    """The year's cached table, its key, and whether a cache file of that key was found."""
    key = status_key(root, fy, today)
    stored = cache.read(cache.workspace_cache(root), cache_name(fy), key)
    return StatusTable.parse(stored), key, stored is not None


def write(root: Path, fy: int, key: list[Any], table: StatusTable) -> None:
    """Store the year's table under `key`."""
    cache.write(cache.workspace_cache(root), cache_name(fy), key, table.dump())


def read_fresh(root: Path, fy: int, today: dt.date) -> list[StatusRow] | None:
    """The rows of the year when every one of them is cached and up to date, else None."""
    table, _, _ = read(root, fy, today)
    if table.procedures is None:
        return None
    folders = run_folders_of(root, fy)
    with_runs = {f.procedure for f in folders}
    for folder in folders:
        known = table.runs.get(folder.path.name)
        if known is None or known[0] != run_digest(folder):
            return None
    if len(table.runs) != len(folders) or any(n not in table.idle for n in table.procedures if n not in with_runs):
        return None
    return ordered([row for _, row in table.runs.values()], {n: r for n, r in table.idle.items() if n not in with_runs})


def run_folders_of(root: Path, fy: int) -> list[RunFolder]:
    """The run folders of a year, found from the workspace's root."""
    from sop_cli.workspace import Workspace

    return run_folders(Workspace(root), fy)
