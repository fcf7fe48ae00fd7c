"""Shared fixtures: temporary workspaces built from the shipped files, and a CLI runner."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from sop_cli.cli import main
from sop_cli.workspace import Workspace

PROJECT = Path(__file__).resolve().parent.parent
SHIPPED_SOPS = PROJECT / "sops"


@dataclass
class Result:
    """What one `sop` invocation printed and returned."""

    code: int
    out: str
    err: str


WriteTree = Callable[[dict[str, str | bytes]], Path]


@pytest.fixture(autouse=True)
def own_cache_and_state(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test gets its own cache and state folders: nothing is read from or left in the home folder."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("SOP_CACHE_DIR", str(base / "cache"))
    monkeypatch.setenv("SOP_STATE_DIR", str(base / "state"))
    # The tests check the English message ids; tests of the Thai interface ask for Thai themselves.
    monkeypatch.setenv("SOP_LANG", "en")
    from sop_cli import i18n

    i18n.set_language("en")  # for tests that call the core: no language of an earlier run leaks in
    return base


@pytest.fixture
def write_tree(tmp_path: Path) -> WriteTree:
    """Write {relative path: text or bytes} under tmp_path and return tmp_path."""

    def write(files: dict[str, str | bytes]) -> Path:
        for rel, content in files.items():
            path = tmp_path / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return tmp_path

    return write


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    """A workspace in tmp_path holding a copy of the shipped procedures, vocabularies and calendar."""
    root = tmp_path / "office"
    shutil.copytree(SHIPPED_SOPS, root / "sops")
    shutil.copytree(PROJECT / "calendar", root / "calendar")
    (root / "records").mkdir()
    return Workspace(root)


@pytest.fixture
def sop(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run the real `sop` entry point in-process and capture what it printed."""
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("SOP_ROOT", raising=False)
    # The tests check the English message ids; tests of the Thai interface set SOP_LANG=th.
    monkeypatch.setenv("SOP_LANG", "en")

    def run(*args: str, cwd: Path | None = None) -> Result:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main(list(args))
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def office(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A workspace with a fixed clock (25 Nov 2026, FY 2570) and an acting supervisor."""
    monkeypatch.setenv("SOP_NOW", "2026-11-25T09:00:00")
    monkeypatch.setenv("SOP_USER", "nanthana")
    return workspace


def files_under(root: Path) -> list[Path]:
    """Every file under `root` but sop's lock folder, to prove that a refused command wrote nothing."""
    return sorted(p for p in root.rglob("*") if p.is_file() and ".sop" not in p.parts)
