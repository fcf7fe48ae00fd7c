"""The one cache helper: plain JSON data in the user's cache folder, keyed by what it was computed from.

The cache never lives in the workspace (a workspace on a shared drive, or a cache committed by
mistake, would hand one person's files to everyone), and it never holds anything that can run
code when read: values are JSON, checked by the caller's `load` function, and a file that is
missing, damaged, foreign, stale or unreadable is simply computed again. Writing is best effort:
a cache that cannot be written (read-only home, a file where the folder should be) is skipped.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sop_cli import __version__

CACHE_ENV = "SOP_CACHE_DIR"
STATE_ENV = "SOP_STATE_DIR"
CACHE_FORMAT = 2  # 1 was the pickle files of .sop-cache/ in the workspace, never read again
_MAX_BYTES = 64 << 20  # a cache file larger than this is not ours: ignore it

T = TypeVar("T")


def cache_root() -> Path:
    """The user's cache folder for sop: $SOP_CACHE_DIR, else the platform's convention."""
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_cache_dir  # Linux ~/.cache/sop, Windows %LOCALAPPDATA%, macOS ~/Library/Caches

    return Path(user_cache_dir("sop", appauthor=False))


def state_root() -> Path:
    """The user's folder for sop's own state on this machine: $SOP_STATE_DIR, else the platform's convention."""
    explicit = os.environ.get(STATE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_state_dir  # Linux ~/.local/state/sop, Windows %LOCALAPPDATA%

    return Path(user_state_dir("sop", appauthor=False))


def _workspace_folder(root: Path) -> str:
    resolved = str(root.resolve()).encode("utf-8")
    digest = f"{zlib.crc32(resolved):08x}{zlib.adler32(resolved):08x}"  # 64 bits: one folder per workspace
    return f"{root.name or 'workspace'}-{digest}"


def workspace_cache(root: Path) -> Path:
    """The cache folder of one workspace: its folder name and a hash of its full path."""
    return cache_root() / _workspace_folder(root)


def workspace_state(root: Path) -> Path:
    """The state folder of one workspace on this machine (unfinished writes, what was seen of the records)."""
    return state_root() / _workspace_folder(root)


@functools.cache
def code_stamp() -> str:
    """A digest of sop's own source files: a cache written by other code is never read back."""
    package = Path(__file__).resolve().parent.parent
    parts = [__version__]
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        parts.append(f"{path.relative_to(package)}:{st.st_mtime_ns}:{st.st_size}")
    # A checksum, not a hash: it only has to change when a file changes.
    return f"{zlib.crc32(';'.join(parts).encode()):08x}-{len(parts)}"


def file_stamp(path: Path) -> list[int] | None:
    """What a file's content is known by without reading it: mtime, ctime, size, inode (None if absent).

    The ctime is there because `utime` can set the mtime back but never the ctime.
    """
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino]


def folder_digest(folder: Path, suffixes: tuple[str, ...]) -> str:
    """A short summary of the files of `folder` ending in one of `suffixes` that changes when any of them does.

    Sums of their modification and change times, sizes and name checksums: writing to a file moves
    its change time forward (which `utime` cannot set back), adding or removing one changes the
    count. Cheaper than `folder_stamp` for thousands of files: `sop status` reads 5,000 of them.
    """
    count = mtimes = ctimes = sizes = names = 0
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if name.endswith(suffixes) and name[0] != ".":
                    st = entry.stat()
                    count += 1
                    mtimes += st.st_mtime_ns
                    ctimes += st.st_ctime_ns
                    sizes += st.st_size
                    names += zlib.crc32(name.encode())
    except OSError:
        return "absent"
    return f"{count}-{mtimes:x}-{ctimes:x}-{sizes:x}-{names:x}"


def folder_stamp(folder: Path, suffixes: tuple[str, ...]) -> list[Any]:
    """[name, stamp] of every file of `folder` ending in one of `suffixes`, in name order."""
    found: list[Any] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name.endswith(suffixes) and not entry.name.startswith("."):
            with contextlib.suppress(OSError):
                st = entry.stat()
                found.append([entry.name, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino])
    return found


def _normal(key: Any) -> Any:
    """The key as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(key, ensure_ascii=False))


def read(folder: Path, name: str, key: Any) -> Any | None:
    """The JSON value cached as `name` under `key`, or None."""
    path = folder / f"{name}.json"
    try:
        with path.open("rb") as f:
            raw = f.read(_MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            return None
        stored = json.loads(raw)
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict):
        return None
    expected = {"format": CACHE_FORMAT, "code": code_stamp(), "key": _normal(key)}
    if any(stored.get(k) != v for k, v in expected.items()):
        return None
    return stored.get("value")


def write(folder: Path, name: str, key: Any, value: Any) -> None:
    """Store `value` (plain JSON data) as `name` under `key`, atomically; skip quietly if it cannot be."""
    data = {"format": CACHE_FORMAT, "code": code_stamp(), "key": key, "value": value}
    with contextlib.suppress(OSError, ValueError, TypeError):
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        import tempfile

        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            Path(tmp).replace(folder / f"{name}.json")
        finally:
            with contextlib.suppress(OSError):
                Path(tmp).unlink()


def memo(
    folder: Path,
    name: str,
    key: Any,
    compute: Callable[[], T],
    dump: Callable[[T], Any],
    load: Callable[[Any], T],
) -> T:
    """The value of `compute()`, from the cache when `key` matches and `load` accepts what is stored.

    `load` must check the shape of the data and raise (any exception) when it is not what `dump`
    writes: a damaged or foreign file is then computed again and overwritten.
    """
    cached = read(folder, name, key)
    if cached is not None:
        try:
            return load(cached)
        except Exception:  # noqa: BLE001 - anything wrong with a cache file means: compute it again
            pass
    value = compute()
    write(folder, name, key, dump(value))
    return value
