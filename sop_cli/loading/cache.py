"""A disposable cache of validated objects, keyed by the state of the files they came from."""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
import tempfile
from pathlib import Path

# The cache lives in the workspace's .sop-cache/, which git ignores and only sop writes. It is
# never trusted for correctness: a missing, damaged or outdated file is simply rebuilt.


@functools.cache
def code_stamp() -> tuple[tuple[str, int, int], ...]:
    """The state of sop's own source files: a cache written by other code is never read back.

    Pickled models of an older version of a class would load without their new fields.
    """
    package = Path(__file__).resolve().parent.parent
    stamps = []
    for path in sorted(package.rglob("*.py")):
        st = path.stat()
        stamps.append((str(path.relative_to(package)), st.st_mtime_ns, st.st_size))
    return tuple(stamps)


def read_cache(path: Path, key: object) -> object | None:
    """Return the object cached under `key`, or None if the cache is missing, stale or damaged."""
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)  # our own file: see the module comment
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError, pickle.UnpicklingError):
        return None
    return value if stored_key == (code_stamp(), key) else None


def write_cache(path: Path, key: object, value: object) -> None:
    """Store `value` under `key` atomically; a cache that cannot be written is skipped."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(((code_stamp(), key), value), f, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(tmp).unlink()


def files_key(folder: Path, suffixes: tuple[str, ...]) -> tuple[tuple[str, int, int, int], ...]:
    """(name, mtime_ns, size, inode) of the files of `folder` with these suffixes, in name order."""
    stats = []
    for path in sorted(folder.iterdir()):
        if path.suffix in suffixes:
            st = path.stat()
            stats.append((path.name, st.st_mtime_ns, st.st_size, st.st_ino))
    return tuple(stats)
