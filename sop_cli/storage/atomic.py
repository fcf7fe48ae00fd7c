"""Atomic file writes: temporary file, fsync, rename, directory fsync, normal permissions."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

# tempfile, time and hashlib are imported where they are used: reading commands never write.


def _default_mode() -> int:
    # mkstemp creates 0600 files; colleagues on a shared drive need the umask's usual 0644.
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_dir(folder: Path) -> None:
    # Windows cannot open a directory for fsync; the rename is durable enough there.
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Name `path` in an OSError that names no file, or only the temporary one."""
    # A full disk fails a write to an open file (no name); a folder without write permission
    # refuses the temporary file (a name the person never chose).
    try:
        yield
    except OSError as exc:
        if exc.filename is None or Path(str(exc.filename)).name.startswith(".tmp-"):
            exc.filename = str(path)
        raise


def write_bytes_atomic(path: Path, data: bytes, *, exclusive: bool = False, durable: bool = True) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    With `exclusive`, refuse (FileExistsError) to replace a file that already exists: event
    files are created once and never edited. `durable=False` skips the fsyncs, for sop's own
    bookkeeping that a power cut may lose (never for records).
    """
    import tempfile

    with _naming(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = _default_mode()
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                if durable:
                    os.fsync(f.fileno())
            tmp.chmod(mode)
            _link_or_replace(tmp, path, exclusive=exclusive)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    if durable:
        _fsync_dir(path.parent)


class TooLargeError(OSError):
    """The source grew past the size limit while it was being copied."""


def copy_file_atomic(source: Path, target: Path, max_bytes: int | None = None) -> tuple[str, int]:
    """Copy `source` to `target` atomically; return the SHA-256 and size of what was copied.

    With `max_bytes`, stop with `TooLargeError` as soon as more than that was read.
    """
    import hashlib
    import tempfile

    digest = hashlib.sha256()
    size = 0
    with _naming(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=target.suffix)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                for chunk in iter(lambda: src.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
                    if max_bytes is not None and size > max_bytes:
                        raise TooLargeError(f"{source} is larger than {max_bytes} bytes")
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            tmp.chmod(_default_mode())
            _link_or_replace(tmp, target, exclusive=False)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
    _fsync_dir(target.parent)
    return digest.hexdigest(), size


def write_text_atomic(path: Path, text: str, *, exclusive: bool = False, durable: bool = True) -> None:
    """Write UTF-8 `text` to `path` atomically (see `write_bytes_atomic`)."""
    write_bytes_atomic(path, text.encode("utf-8"), exclusive=exclusive, durable=durable)


def _link_or_replace(tmp: Path, path: Path, *, exclusive: bool) -> None:
    if not exclusive:
        _replace_with_retry(tmp, path)
        return
    try:
        # A hard link fails if the target exists, where a rename would silently overwrite it.
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:
        # Some shared drives have no hard links: check, then rename (callers hold the records lock).
        if path.exists():
            raise FileExistsError(path) from None
        _replace_with_retry(tmp, path)


def _replace_with_retry(src: Path, dst: Path) -> None:
    import time

    # On Windows a file held open by Word, an antivirus or a sync client refuses the rename for a
    # moment: retry briefly before giving up.
    for attempt in range(10):
        try:
            src.replace(dst)
            return
        except PermissionError:
            if attempt == 9:
                raise
            time.sleep(0.05 * (attempt + 1))
