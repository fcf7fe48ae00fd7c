"""`sop report` and `sop dossier` through the real entry point: exit codes and messages."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from sop_cli.errors import ExitCode
from tests.actions.conftest import History
from tests.conftest import Result

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOP_NOW", "2027-04-20T09:00:00")


def test_report_command(history: History, sop: Run) -> None:
    """report writes once, refuses to overwrite without --force, refuses unknown procedures and periods."""
    root = history.ws.root
    first = sop("report", "--period", "half", cwd=root)
    assert first.code == ExitCode.OK and first.out.startswith("wrote reports/2570/")
    again = sop("report", "--period", "half", cwd=root)
    assert again.code == ExitCode.USER_ERROR and "pass --force to replace it" in again.err
    assert sop("report", "--period", "half", "--force", cwd=root).code == ExitCode.OK
    unknown = sop("report", "--sop", "99", cwd=root)
    assert unknown.code == ExitCode.USER_ERROR and "There is no procedure 99" in unknown.err
    assert sop("report", "--period", "quarter", cwd=root).code == ExitCode.USAGE


def test_dossier_commands(history: History, sop: Run) -> None:
    """dossier writes a folder and zip that verify; tampering makes verify fail; --out is required."""
    root = history.ws.root
    out = root.parent / "dossier-2570"
    made = sop("dossier", "--out", str(out), "--zip", cwd=root)
    assert made.code == ExitCode.OK and "wrote the dossier" in made.out
    assert sop("dossier", "verify", str(out), cwd=root).code == ExitCode.OK
    assert sop("dossier", "verify", str(out) + ".zip", cwd=root).code == ExitCode.OK
    (out / "extra.txt").write_text("ไม่ได้อยู่ในรายการ", encoding="utf-8")
    tampered = sop("dossier", "verify", str(out), cwd=root)
    assert tampered.code == ExitCode.USER_ERROR
    assert "added: extra.txt" in tampered.err and "1 problem found" in tampered.err
    assert sop("dossier", cwd=root).code == ExitCode.USAGE
