"""Whole folders for `sop init`, `sop join` and the server's checks: copied in, removed again, scratch trees.

Kept out of actions/sharing.py so that actions never touch the filesystem wholesale (shutil,
tempfile): what is copied or removed, and where, is decided here in one place.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

# Local state and caches of the workspace copied from: never part of the office's repository.
_NOT_COPIED = (".sop", ".sop-cache", "__pycache__")


def copy_office_files(source: Path, target: Path, names: Sequence[str]) -> None:
    """Copy the files and folders `names` of the workspace `source` into `target` (those that exist)."""
    for name in names:
        origin = source / name
        if origin.is_dir():
            shutil.copytree(origin, target / name, ignore=shutil.ignore_patterns(*_NOT_COPIED))
        elif origin.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(origin, target / name)


def remove_copy(folder: Path, created: bool) -> None:
    """Remove a copy that failed half-way: the folder if this command created it, else what is in it."""
    if created:
        shutil.rmtree(folder, ignore_errors=True)
        return
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


@contextmanager
def scratch_files(files: dict[str, bytes]) -> Iterator[Path]:
    """A temporary folder holding `files` (relative path: content), removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="sop-push-") as scratch:
        for path, data in files.items():
            target = Path(scratch) / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        yield Path(scratch)


@contextmanager
def checked_out(git_dir: Path, commit: str) -> Iterator[Path]:
    """`commit` of the repository `git_dir` checked out into a temporary folder (its own index), removed afterwards."""
    from sop_cli.storage import git

    with tempfile.TemporaryDirectory(prefix="sop-push-") as scratch:
        tree = Path(scratch) / "tree"
        tree.mkdir()
        env = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        git.run_git(git_dir, ["--work-tree", str(tree), "read-tree", "-u", "--reset", commit], env=env)
        yield tree
