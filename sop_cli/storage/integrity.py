"""Notice event files that were changed or deleted after they were recorded: records are never edited.

In a git repository the committed version is the reference: `git status` names every tracked
event file that was modified or deleted. Without git, sop keeps, in the user's state folder on
this machine, the SHA-256 of every event file it wrote or first read (one small file per run);
a file whose bytes no longer match, or that is gone, is reported. The second way can only see
what happened after this machine first saw the file; the first sees everything since the commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import stat
import subprocess
from pathlib import Path
from typing import Any

from sop_cli.errors import SopError
from sop_cli.i18n import N_, _
from sop_cli.storage import cache
from sop_cli.storage.atomic import write_text_atomic
from sop_cli.storage.records import RunFolder, event_names
from sop_cli.workspace import LOCAL, Workspace

CHANGED, DELETED = N_("changed"), N_("deleted")  # translated where they are shown
_SEEN = "seen-events"


def is_git_workspace(ws: Workspace) -> bool:
    """Whether the workspace is the top of a git checkout."""
    return (ws.root / ".git").exists()


def _git_changes(ws: Workspace, paths: list[Path]) -> list[tuple[str, str]] | None:
    """(path, how) of tracked files under `paths` that differ from the index or are gone; None without git."""
    args = ["git", "-c", "core.quotepath=off", "status", "--porcelain=v1", "-z", "--untracked-files=no", "--"]
    try:
        done = subprocess.run(
            [*args, *(ws.relative(p) for p in paths)], cwd=ws.root, capture_output=True, timeout=60, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    found = []
    for entry in done.stdout.decode("utf-8", errors="replace").split("\0"):
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if not path.endswith(".yaml") or "/events/" not in path:
            continue
        if "D" in code:
            found.append((path, DELETED))
        elif "M" in code or "T" in code:
            found.append((path, CHANGED))
    return found


def _seen_file(ws: Workspace, folder: RunFolder) -> Path:
    return cache.workspace_state(ws.root) / _SEEN / f"{folder.fy}-{folder.path.name}.json"


def _read_seen(ws: Workspace, folder: RunFolder) -> dict[str, list[Any]]:
    """{file name: [sha256, size, mtime_ns, ctime_ns]} of the run's event files as this machine saw them."""
    try:
        data = json.loads(_seen_file(ws, folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, list) and len(v) == 4}


def _look(path: Path, known: list[Any] | None) -> list[Any] | None:
    """[sha256, size, mtime_ns, ctime_ns] of `path`; the file is read only when its stat changed."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # a FIFO or a device is never read (`sop check` names it as not a regular file)
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns]
    if known is not None and known[1:] == stamp:
        return known
    try:
        return [hashlib.sha256(path.read_bytes()).hexdigest(), *stamp]
    except OSError:
        return None


def _save_seen(ws: Workspace, folder: RunFolder, seen: dict[str, list[Any]]) -> None:
    with contextlib.suppress(OSError):
        write_text_atomic(_seen_file(ws, folder), json.dumps(seen, sort_keys=True), durable=False)


def remember(ws: Workspace, folder: RunFolder, paths: list[Path]) -> None:
    """Record the hashes of event files sop has just written (only without git)."""
    if is_git_workspace(ws) or not paths:
        return
    seen = _read_seen(ws, folder)
    for path in paths:
        found = _look(path, None)
        if found is not None:
            seen[path.name] = found
    _save_seen(ws, folder, seen)


def forget(ws: Workspace, paths: list[Path]) -> None:
    """Drop event files that sop itself removed (the undoing of a killed command) from what was seen."""
    for path in paths:
        if path.parent.name != "events":
            continue
        run = path.parent.parent
        folder = RunFolder(int(run.parent.name), int(run.name[:2]), run.name[3:], run)
        seen = _read_seen(ws, folder)
        if seen.pop(path.name, None) is not None:
            _save_seen(ws, folder, seen)


def _manifest_changes(ws: Workspace, folder: RunFolder) -> list[tuple[str, str]]:
    seen = _read_seen(ws, folder)
    present = set(event_names(folder))
    found = []
    changed = False
    for name in sorted(present):
        known = seen.get(name)
        now = _look(folder.events / name, known)
        if now is None:
            continue
        if known is None or known[0] == now[0]:
            changed = changed or now != known
            seen[name] = now  # first seen here (from now on it must not change), or touched but the same
        else:
            found.append((ws.relative(folder.events / name), CHANGED))
    for name in sorted(set(seen) - present):
        found.append((ws.relative(folder.events / name), DELETED))
    if changed:
        _save_seen(ws, folder, seen)
    return found


def changed_events(ws: Workspace, folder: RunFolder) -> list[tuple[str, str]]:
    """(path, "changed" or "deleted") of every event file of one run that is not as it was recorded."""
    if is_git_workspace(ws):
        found = _git_changes(ws, [folder.events])
        if found is not None:
            return found
    return _manifest_changes(ws, folder)


def changed_events_everywhere(ws: Workspace, folders: list[RunFolder]) -> list[tuple[str, str]]:
    """The same as `changed_events` for many runs at once (one git call)."""
    if is_git_workspace(ws) and ws.records.is_dir():
        found = _git_changes(ws, [ws.records])
        if found is not None:
            return found
    return [change for folder in folders for change in _manifest_changes(ws, folder)]


def restore_from_git(ws: Workspace, paths: list[str]) -> list[str]:
    """Put back the committed version of event files that were changed or deleted; return those restored."""
    if not paths or not is_git_workspace(ws):
        return []
    done = subprocess.run(
        ["git", "-c", "core.quotepath=off", "checkout", "--", *paths],
        cwd=ws.root,
        capture_output=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise SopError(
            _("git could not restore the event files: {value}").format(
                value=message[-1] if message else "unknown error"
            )
        )
    return paths


SET_ASIDE = Path(LOCAL) / "set-aside"  # files taken out of the records, kept on this computer


def set_aside(ws: Workspace, path: Path) -> Path:
    """Move `path` (a file of the records) under .sop/set-aside/, keeping its place in the name; return where.

    A rename inside the workspace: the bytes are kept, never deleted, and .sop/ is never shared.
    """
    target = ws.root / SET_ASIDE / ws.relative(path)
    while target.exists():  # set aside before: keep both
        target = target.with_name(f"{target.stem}-again{target.suffix}")
    target.parent.mkdir(parents=True, exist_ok=True)
    path.replace(target)
    return target


def accept(ws: Workspace, folders: list[RunFolder], paths: list[str]) -> list[tuple[str, Path | None]]:
    """Without git: take the event files named as they are now (changed, or gone) as the record.

    A named file that no longer reads as an event is set aside (`set_aside`) and counts as gone:
    taking it as it is would leave a record no command can read. Return (path, where it was set
    aside or None) for each file accepted.
    """
    from sop_cli.storage.records import loads_as_event

    wanted = set(paths)
    accepted: list[tuple[str, Path | None]] = []
    for folder in folders:
        seen = _read_seen(ws, folder)
        present = set(event_names(folder))
        changed = False
        for name in list(seen):
            rel = ws.relative(folder.events / name)
            aside: Path | None = None
            if rel in wanted:
                if name in present and not loads_as_event(folder.events / name):
                    aside = set_aside(ws, folder.events / name)
                    del seen[name]
                elif name in present:
                    now = _look(folder.events / name, None)
                    if now is not None:
                        seen[name] = now
                else:
                    del seen[name]
                accepted.append((rel, aside))
                changed = True
        if changed:
            _save_seen(ws, folder, seen)
    return accepted
