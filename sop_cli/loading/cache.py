"""A disposable cache of validated objects, keyed by the state of the files they came from."""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
from pathlib import Path

# The cache lives in the workspace's .sop-cache/, which git ignores and only sop writes. It is
# never trusted for correctness: a missing, damaged or outdated file is simply rebuilt.


def read_cache(path: Path, key: object) -> object | None:
    """Return the object cached under `key`, or None if the cache is missing, stale or damaged."""
    try:
        with path.open("rb") as f:
            stored_key, value = pickle.load(f)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError, pickle.UnpicklingError):
        return None
    return value if stored_key == key else None


def write_cache(path: Path, key: object, value: object) -> None:
    """Store `value` under `key` atomically; a cache that cannot be written is skipped."""
    with contextlib.suppress(OSError, pickle.PicklingError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump((key, value), f, protocol=pickle.HIGHEST_PROTOCOL)
            Path(tmp).replace(path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                Path(tmp).unlink()
