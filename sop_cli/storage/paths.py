"""Paths read from the workspace: contained in it, regular files, read with a size cap.

One test for every reader: a file that sop reads because the workspace (or a record in it) names
it must be a regular file that resolves inside the workspace, so that a symbolic link committed
by a colleague, a FIFO or a device can neither hang a command, exhaust its memory, nor make sop
read (and quote in an error) a file outside the workspace. (A path recorded in an event,
`evidence.stored`, is checked when the event is validated: `models.records.stored_path_problem`.)
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path

from sop_cli.i18n import _

# Opening a FIFO for reading waits for a writer: open without waiting, then look at what it is.
# Windows has no O_NONBLOCK (and no FIFOs in the file system); O_BINARY keeps bytes as they are.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def _not_regular() -> str:
    return _("is not a regular file (a folder, a pipe or a device); sop reads only ordinary files")


def _link_out() -> str:
    return _("leads outside the workspace; sop reads only files inside it")


class UnreadableFile(Exception):
    """A file that sop refuses to read, with the reason as one sentence (without the path)."""


def outside(path: Path, folder: Path) -> bool:
    """True when `path`, symbolic links followed, is not inside `folder` (itself resolved)."""
    try:
        if not path.is_symlink():
            # Not a link itself: where its folder leads decides. Folders are resolved once per
            # process (`sop status` reads 5,000 event files from a few hundred folders).
            return not _folder_inside(str(path.parent), str(folder))
        return not path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a loop of links
        return True


@functools.lru_cache(maxsize=1024)
def _folder_inside(folder: str, container: str) -> bool:
    return Path(folder).resolve().is_relative_to(Path(container).resolve())


def file_problem(path: Path, folder: Path) -> str | None:
    """Why `path` is not a regular file inside `folder` (links followed), or None when it is."""
    if not os.path.lexists(path):
        return _("is missing")
    if outside(path, folder):
        return _link_out()
    try:
        mode = path.stat().st_mode
    except OSError:
        return _("is a broken link")
    if not stat.S_ISREG(mode):
        return _not_regular()
    return None


def read_regular(path: Path, limit: int, *, inside: Path | None = None) -> bytes:
    """The bytes of `path`, read only if it is a regular file (inside `inside`) of at most `limit` bytes.

    Raises `UnreadableFile` with the reason; `OSError` when the system refuses to open it.
    The size is checked before and while reading: a file that grows is cut at `limit` + 1 bytes.
    """
    if inside is not None and outside(path, inside):
        raise UnreadableFile(_link_out())
    fd = os.open(path, _OPEN_FLAGS)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise UnreadableFile(_not_regular())
        if st.st_size > limit:
            raise UnreadableFile(too_large(st.st_size, limit))
        # Ask for the size the file states (a buffer of `limit` bytes for each of 5,000 small
        # files costs more than reading them); read on, up to the limit, only if it holds more.
        data = f.read(st.st_size + 1)
        if len(data) > st.st_size:
            data += f.read(limit + 1 - len(data))
    if len(data) > limit:
        raise UnreadableFile(too_large(len(data), limit))
    return data


def too_large(size: int, limit: int) -> str:
    """The sentence for a file above a size limit."""
    if limit >= 1048576:
        return _("file is {size} MB, above the limit of {limit} MB").format(
            size=f"{size / 1048576:.1f}", limit=f"{limit / 1048576:g}"
        )
    return _("file is {size} bytes, above the limit of {limit} bytes").format(size=size, limit=limit)
