"""Hostile files in the workspace: nothing hangs, nothing exhausts memory, nothing outside is read or quoted."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.hardening.conftest import RunSop, event_file, run_folder

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs and symbolic links need a POSIX system")

SECRET = "TOP SECRET: the content of a file outside the workspace"


def test_a_fifo_in_sops_is_refused_at_once(office: Workspace, run_sop: RunSop) -> None:
    """A FIFO named like a procedure file gives one placed message, exit 1, instead of hanging every command."""
    os.mkfifo(office.sops / "15-x.yaml")
    for command in (["list"], ["status"], ["check"]):
        result = run_sop(*command, timeout=20)
        assert result.returncode == 1, command
        assert "sops/15-x.yaml:1:1: is not a regular file (a folder, a pipe or a device)" in result.stderr


def test_a_fifo_among_the_events_does_not_hang(office: Workspace, run_sop: RunSop) -> None:
    """`sop status` and `sop log` finish; `sop check` names the FIFO."""
    assert run_sop("start", "2").returncode == 0
    fifo = run_folder(office, 2) / "events" / "20270101T000000000000Z-nanthana-aaaaaaaa.yaml"
    os.mkfifo(fifo)
    assert run_sop("status", timeout=20).returncode == 0
    assert run_sop("log", timeout=20).returncode == 0
    check = run_sop("check", timeout=20)
    assert check.returncode == 1
    assert f"{office.relative(fifo)}:1:1: is not a regular file" in check.stdout + check.stderr


def test_a_link_to_dev_zero_is_refused_without_reading(office: Workspace, run_sop: RunSop) -> None:
    """A procedure file linked to /dev/zero is refused at once: no memory eaten, exit 1."""
    (office.sops / "15-z.yaml").symlink_to("/dev/zero")
    result = run_sop("check", timeout=20)
    assert result.returncode == 1
    assert "sops/15-z.yaml:1:1: leads outside the workspace" in result.stdout + result.stderr


def test_a_link_to_a_fifo_inside_the_workspace_is_refused(office: Workspace, run_sop: RunSop) -> None:
    """A link that stays in the workspace but leads to a FIFO is still not read."""
    os.mkfifo(office.root / "pipe")
    (office.sops / "15-p.yaml").symlink_to(office.root / "pipe")
    result = run_sop("list", timeout=20)
    assert result.returncode == 1
    assert "sops/15-p.yaml:1:1: is not a regular file" in result.stderr


def test_a_link_out_of_the_workspace_is_never_quoted(office: Workspace, run_sop: RunSop, tmp_path: Path) -> None:
    """A procedure or event file linked to a file outside is refused; no message shows what it holds."""
    secret = tmp_path / "secret.yaml"
    secret.write_text(f"number: '{SECRET}'\n", encoding="utf-8")
    (office.sops / "15-x.yaml").symlink_to(secret)
    listed = run_sop("list")
    assert listed.returncode == 1
    assert "sops/15-x.yaml:1:1: leads outside the workspace" in listed.stderr
    assert "TOP SECRET" not in listed.stdout + listed.stderr
    (office.sops / "15-x.yaml").unlink()

    assert run_sop("start", "2").returncode == 0
    started = event_file(office, 2, "started")
    secret.write_text(started.read_text(encoding="utf-8").replace('"started"', f'"{SECRET}"'), encoding="utf-8")
    linked = started.with_name("20270101T000000000000Z-nanthana-bbbbbbbb.yaml")
    linked.symlink_to(secret)
    check = run_sop("check")
    assert check.returncode == 1
    assert f"{office.relative(linked)}:1:1: leads outside the workspace" in check.stdout + check.stderr
    assert "TOP SECRET" not in check.stdout + check.stderr


@pytest.mark.parametrize("levels", [250, 40_000])
def test_deeply_nested_yaml_is_refused_with_its_place(office: Workspace, run_sop: RunSop, levels: int) -> None:
    """Nesting that broke every command (RecursionError at 250 levels, a segfault at 40 000) is one placed message."""
    (office.sops / "15-x.yaml").write_text("a: " + "[" * levels + "]" * levels + "\n", encoding="utf-8")
    result = run_sop("list", timeout=30)
    assert result.returncode == 1
    assert "sops/15-x.yaml:1:" in result.stderr and "nested more than 100 levels deep" in result.stderr
    assert "Traceback" not in result.stderr


def test_deep_block_nesting_in_an_event_file_is_placed(office: Workspace, run_sop: RunSop) -> None:
    """A million compact `- ` levels in an event file: `sop check` places it, `sop status` still answers."""
    assert run_sop("start", "2").returncode == 0
    bad = run_folder(office, 2) / "events" / "20270101T000000000000Z-nanthana-cccccccc.yaml"
    bad.write_text("a:\n  " + "- " * 1_000_000 + "x\n", encoding="utf-8")
    check = run_sop("check", timeout=30)
    assert check.returncode == 1
    assert f"{office.relative(bad)}:2:" in check.stderr and "nested more than 100 levels deep" in check.stderr
    assert run_sop("status", timeout=30).returncode == 0


def test_an_alias_that_contains_itself_is_refused(office: Workspace, run_sop: RunSop) -> None:
    """`&a [*a]` expands without end: refused as an alias bomb, not an endless loop."""
    (office.sops / "15-x.yaml").write_text("a: &a [*a]\n", encoding="utf-8")
    result = run_sop("list", timeout=20)
    assert result.returncode == 1
    assert "sops/15-x.yaml:1:" in result.stderr and "aliases expand to more than" in result.stderr


@pytest.mark.parametrize("content", ["", "garbage\n", "note: x\n"])
def test_an_event_file_that_is_no_event_says_so(office: Workspace, run_sop: RunSop, content: str) -> None:
    """An empty or foreign event file is "not a sop event", not a message about discriminators."""
    assert run_sop("start", "2").returncode == 0
    bad = run_folder(office, 2) / "events" / "20270101T000000000000Z-nanthana-dddddddd.yaml"
    bad.write_text(content, encoding="utf-8")
    check = run_sop("check")
    assert check.returncode == 1
    line = next(x for x in check.stderr.splitlines() if x.startswith(office.relative(bad)))
    assert "discriminator" not in line
    assert "not a sop event: the file has no `type`" in line


@pytest.mark.skipif(not Path("/proc/self/environ").is_file(), reason="needs Linux /proc")
def test_a_proc_file_is_recorded_with_the_bytes_copied(office: Workspace, run_sop: RunSop) -> None:
    """/proc/self/environ says 0 bytes and holds more: the event records the bytes read (one read), and check agrees."""
    assert run_sop("start", "2").returncode == 0
    result = run_sop("note", "2", "--evidence", "/proc/self/environ")
    assert result.returncode == 0, result.stderr
    (copy,) = (run_folder(office, 2) / "evidence").iterdir()
    size = copy.stat().st_size
    assert size > 0
    (event,) = [p for p in (run_folder(office, 2) / "events").iterdir() if "evidence_added" in p.read_text("utf-8")]
    assert f"size: {size}" in event.read_text(encoding="utf-8")
    assert run_sop("check").returncode == 0
