"""Full disk, read-only disk, no permission, odd options and cache files: one sentence, exit 1, nothing half-written."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.conftest import files_under
from tests.hardening.conftest import RunSop, run_folder

ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@contextlib.contextmanager
def _tmpfs(where: Path, size: str) -> Iterator[Path]:
    """A small tmpfs mounted at `where` (skips the test where this machine cannot mount one)."""
    where.mkdir()
    if not ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"this machine cannot mount a tmpfs: {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _workspace_on(disk: Path, office: Workspace) -> Path:
    root = disk / "ws"
    shutil.copytree(office.root, root)
    return root


def _fill(disk: Path) -> None:
    """Write zeros until the disk is full, in smaller and smaller pieces."""
    with (disk / "filler").open("wb", buffering=0) as f:
        for piece in (1 << 16, 1 << 12, 1 << 9, 1):
            with contextlib.suppress(OSError):
                while True:
                    f.write(b"\0" * piece)


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob(".tmp-*") if ".sop-cache" not in p.parts]


def test_a_full_disk_is_one_sentence(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """ENOSPC on note, export and calendar: "no space left … PATH", exit 1, no traceback, nothing half-written."""
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        root = _workspace_on(disk, office)
        assert run_sop("start", "2", cwd=root).returncode == 0
        _fill(disk)
        before = files_under(root)
        for args in (["note", "2", "x" * 3000], ["export", "--format", "csv"], ["calendar", "--out", "cal.ics"]):
            result = run_sop(*args, cwd=root)
            assert result.returncode == 1, (args, result.stderr)
            assert result.stderr.startswith("error: no space left on the disk while writing "), result.stderr
            assert "free some space and try again" in result.stderr and "Traceback" not in result.stderr
        assert files_under(root) == before and _leftovers(root) == []
        assert run_sop("status", cwd=root).returncode == 0
        (disk / "filler").unlink()
        assert run_sop("note", "2", "x", cwd=root).returncode == 0


def test_a_read_only_disk_is_one_sentence(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """EROFS: writes say the disk is read-only (exit 1); status, log and check still read."""
    with _tmpfs(tmp_path / "disk", "8m") as disk:
        root = _workspace_on(disk, office)
        assert run_sop("start", "2", cwd=root).returncode == 0
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for args in (["note", "2", "x"], ["advance", "2"], ["start", "3"]):
            result = run_sop(*args, cwd=root)
            assert result.returncode == 1, (args, result.stderr)
            assert "is on a read-only disk; sop can only read there" in result.stderr
            assert "Traceback" not in result.stderr
        for args in (["status"], ["log"], ["check"]):
            assert run_sop(*args, cwd=root).returncode == 0, args


def test_no_permission_is_one_sentence(office: Workspace, run_sop: RunSop) -> None:
    """EACCES on a records folder without write permission: the path and what to do, exit 1."""
    assert run_sop("start", "2").returncode == 0
    folder = run_folder(office, 2)
    if ROOT:
        # root ignores permissions: drop the capability that lets it (as a colleague's account would not have it).
        if shutil.which("setpriv") is None:
            pytest.skip("as root, this test needs setpriv to drop CAP_DAC_OVERRIDE")
        prefix = ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]
    else:
        prefix = []
    for path in (folder, folder / "events"):
        path.chmod(0o555)
    try:
        from tests.hardening.conftest import sop_command

        env = {**os.environ, "NO_COLOR": "1"}
        result = subprocess.run(
            [*prefix, *sop_command(), "note", "2", "x"], cwd=office.root, capture_output=True, text=True, env=env
        )
    finally:
        for path in (folder, folder / "events"):
            path.chmod(0o755)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith(f"error: permission denied for {folder / 'events'}/")
    assert "ask for access to the folder, or work in your own copy" in result.stderr
    assert "Traceback" not in result.stderr and _leftovers(office.root) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["note", "2", "x", "--step", "0"], "invalid value for --step: 0 is not in the range x>=1"),
        (["advance", "2", "--step", "-1"], "invalid value for --step: -1 is not in the range x>=1"),
        (["memo", "2", "--step", "0"], "invalid value for --step: 0 is not in the range x>=1"),
        (["note", "2", "x", "--hours", "10000.0001"], "10000.0001 is not in the range 0.01<=x<=10000"),
        (["note", "2", "x", "--hours", "1e-320"], "1e-320 is not in the range 0.01<=x<=10000"),
    ],
)
def test_out_of_range_options_are_usage_errors(
    office: Workspace, run_sop: RunSop, args: list[str], message: str
) -> None:
    """--step 0 or -1 and --hours out of range: a usage error naming the value as given (exit 2), no traceback."""
    assert run_sop("start", "2").returncode == 0
    before = files_under(office.root)
    result = run_sop(*args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert files_under(office.root) == before


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
@pytest.mark.parametrize(
    ("make", "message"),
    [
        ("lock-folder", ".sop/records.lock is a folder where sop needs a file: move it away or delete it"),
        ("local-file", ".sop is a file where sop needs a folder: move it away or delete it"),
        ("lock-link", ".sop/records.lock is a symbolic link where sop needs its own file: delete the link"),
    ],
)
def test_odd_cache_files_are_named(office: Workspace, run_sop: RunSop, tmp_path: Path, make: str, message: str) -> None:
    """A lock that is a folder or a link, its folder a file: the path and what to do, exit 1; reads still work."""
    assert run_sop("start", "2").returncode == 0
    shutil.rmtree(office.local)
    decoy = tmp_path / "decoy"
    decoy.write_text("keep", encoding="utf-8")
    if make == "lock-folder":
        (office.local / "records.lock").mkdir(parents=True)
    elif make == "local-file":
        office.local.write_text("", encoding="utf-8")
    else:
        office.local.mkdir()
        (office.local / "records.lock").symlink_to(decoy)
    result = run_sop("note", "2", "x")
    assert result.returncode == 1 and result.stderr == f"error: {office.root}/{message}\n"
    assert decoy.read_text(encoding="utf-8") == "keep"
    assert run_sop("status").returncode == 0
