"""`sop memo`, `sop letter`, `sop order`, `sop register` through the real entry point: output and exit codes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.conftest import Result

Sop = Callable[..., Result]


@pytest.fixture
def office(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, sop: Sop) -> Workspace:
    """A workspace with a run of procedure ๓, Nanthana acting on 25 November 2569."""
    monkeypatch.setenv("SOP_USER", "nanthana")
    monkeypatch.setenv("SOP_NOW", "2026-11-25T09:00")
    assert sop("start", "3", cwd=workspace.root).code == 0
    return workspace


def test_memo_prints_number_and_path(office: Workspace, sop: Sop) -> None:
    """`sop memo 3 --step 1` exits 0 and prints the number, the file and the register entry."""
    result = sop("memo", "3", "--step", "1")
    assert result.code == 0, result.err
    assert "✓ memo no. ศธ ๐๒๘๘/๑ → records/2570/03-" in result.out
    assert re.search(r"memo-step01-ศธ0288-1-2569-[a-z0-9]{6}-[a-z0-9]{4}\.docx", result.out)
    assert "evidence of step 1" in result.out and "register: register/2569/out-0001-" in result.out
    assert "warning: sop.toml [office] telephone is still a placeholder" in result.err


def test_dry_run_prints_the_wording(office: Workspace, sop: Sop) -> None:
    """--dry-run prints the wording and writes nothing."""
    result = sop("memo", "3", "--step", "1", "--dry-run")
    assert result.code == 0
    assert result.out.startswith("dry run: nothing written, no number taken\n")
    assert "จึงเรียนมาเพื่อโปรดพิจารณา" in result.out
    assert not (office.root / "register").exists()


def test_letter_order_and_register(office: Workspace, sop: Sop, tmp_path: Path) -> None:
    """Letters to two agencies, an order, then `sop register` lists them; --format json for scripts."""
    members = tmp_path / "members.csv"
    members.write_text("name,position,role\nนายก ข,ศึกษาธิการจังหวัดเชียงราย,ประธานกรรมการ\n", encoding="utf-8")
    assert sop("letter", "3", "--step", "8", "--to", "obec", "--to", "ovec").code == 0
    assert sop("order", "3", "--step", "1", "--members", str(members)).code == 0
    listing = sop("register", "--lang", "th")
    assert listing.code == 0
    assert "ทะเบียนหนังสือส่ง พ.ศ. 2569" in listing.out and "ทะเบียนคำสั่ง พ.ศ. 2569" in listing.out
    data = json.loads(sop("register", "--kind", "letter", "--format", "json").out)
    assert [row["printed"] for row in data["rows"]] == ["ศธ ๐๒๘๘/๑", "ศธ ๐๒๘๘/๒"]


def test_user_errors_exit_1_usage_errors_exit_2(office: Workspace, sop: Sop) -> None:
    """An unknown agency is one sentence and exit 1; a letter without --to is a usage error, exit 2."""
    result = sop("letter", "3", "--step", "8", "--to", "nowhere")
    assert result.code == 1
    assert result.err.startswith("error: unknown agency 'nowhere'")
    assert sop("letter", "3").code == 2
    assert sop("register", "--kind", "minutes").code == 2
