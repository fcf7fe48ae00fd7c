"""An office sharing one bare repository: real git, real clones, `sop` run in-process or as a real process."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sop_cli.cli import main
from tests.conftest import PROJECT

NOW = "2026-11-25T09:00:00"


@pytest.fixture(autouse=True)
def _isolated_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No global or system git settings (no identity either): as on a new office computer."""
    empty = tmp_path / "gitconfig-global"
    empty.write_text("", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(empty))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "SOP_ROOT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SOP_NOW", NOW)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("SOP_USER", raising=False)
    monkeypatch.delenv("SOP_TEST_CRASH_AT", raising=False)


TEST_IDENTITY = {
    "GIT_AUTHOR_NAME": "test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run git as a test's own hand (with an identity); fail the test when it fails and `check`."""
    env = {**os.environ, **TEST_IDENTITY}
    command = ["git", "-c", "core.quotepath=off", *args]
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=env, check=False)
    if check:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done.stdout + (done.stderr if not check else "")


@dataclass
class Ran:
    """What one `sop` run printed and returned."""

    code: int
    out: str
    err: str


def sop_in(cwd: Path, user: str | None, *args: str) -> Ran:
    """Run `sop ARGS` in this process, in `cwd`, as `user`."""
    saved_cwd, saved_user = Path.cwd(), os.environ.get("SOP_USER")
    out, err = io.StringIO(), io.StringIO()
    try:
        os.chdir(cwd)
        if user:
            os.environ["SOP_USER"] = user
        else:
            os.environ.pop("SOP_USER", None)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(saved_cwd)
        if saved_user is None:
            os.environ.pop("SOP_USER", None)
        else:
            os.environ["SOP_USER"] = saved_user
    return Ran(code, out.getvalue(), err.getvalue())


def sop_process(cwd: Path, user: str | None, *args: str, env: dict[str, str] | None = None) -> Ran:
    """Run the real `sop` as a separate process in `cwd`, as `user`."""
    full = {**os.environ, **(env or {})}
    if user:
        full["SOP_USER"] = user
    done = subprocess.run(
        [sys.executable, "-m", "sop_cli", *args], cwd=cwd, capture_output=True, text=True, env=full, check=False
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def ok(ran: Ran) -> Ran:
    """`ran`, after checking that it succeeded."""
    assert ran.code == 0, f"exit {ran.code}\n{ran.out}\n{ran.err}"
    return ran


def event_files(clone: Path) -> set[str]:
    """Every event file of the clone's records, as paths relative to the clone."""
    return {p.relative_to(clone).as_posix() for p in (clone / "records").glob("*/*/events/*.yaml")}


def tree_files(clone: Path) -> dict[str, bytes]:
    """Every file under records/ and register/ with its bytes: two clones in step have the same."""
    found = {}
    for folder in ("records", "register", "documents"):
        for path in sorted((clone / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(clone).as_posix()] = path.read_bytes()
    return found


@dataclass
class Office:
    """An office repository on a bare 'server' and the people who joined it."""

    root: Path
    server: Path
    clones: dict[str, Path] = field(default_factory=dict)

    def join(self, user: str, name: str | None = None) -> Path:
        """Give `user` a copy of the office's repository (through `sop join`)."""
        folder = self.root / (name or user)
        ok(sop_in(self.root, None, "join", str(self.server), str(folder), "--user", user))
        self.clones[name or user] = folder
        return folder


@pytest.fixture(scope="session")
def _first_server(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The server's bare repository as `sop init --server` makes it, built once and copied for each test."""
    root = tmp_path_factory.mktemp("template")
    empty = root / "gitconfig-global"
    empty.write_text("", encoding="utf-8")
    server = root / "server" / "office.git"
    saved = {k: os.environ.get(k) for k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "SOP_NOW")}
    os.environ.update({"GIT_CONFIG_GLOBAL": str(empty), "GIT_CONFIG_NOSYSTEM": "1", "SOP_NOW": NOW})
    try:
        args = ("init", str(root / "first"), "--from", str(PROJECT), "--user", "nanthana", "--server", str(server))
        ok(sop_in(root, None, *args))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return server


@pytest.fixture
def office(tmp_path: Path, _first_server: Path) -> Iterator[Office]:
    """The office's repository made by `sop init` on a new bare server (with sop's hook), nobody joined yet."""
    root = tmp_path / "office"
    server = root / "server" / "office.git"
    shutil.copytree(_first_server, server, symlinks=True)
    yield Office(root, server)


def head(clone: Path) -> str:
    """The commit the clone's branch is on."""
    return git(clone, "rev-parse", "HEAD").strip()


def git_busy(clone: Path) -> list[str]:
    """Merge, rebase or other unfinished operations git has in the clone (none when all is well)."""
    git_dir = clone / ".git"
    return [n for n in ("MERGE_HEAD", "rebase-merge", "rebase-apply", "CHERRY_PICK_HEAD") if (git_dir / n).exists()]
