"""The document commands in Thai (the default): circulars, corrections, received letters and the registers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.rendering.terminal.english import english_sentences

Sop = Callable[..., Result]


def test_circular_correction_receive_and_register_speak_thai(
    office: Workspace, sop: Sop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command succeeds and prints no English sentence; the registers carry their Thai titles."""
    monkeypatch.setenv("SOP_LANG", "th")
    monkeypatch.setenv("COLUMNS", "120")
    letter = tmp_path / "ข้อสั่งการ.pdf"
    letter.write_bytes(b"%PDF-1.4 orders")
    received = ["--from", "ผู้ตรวจราชการ", "--their-number", "ศธ 0206/ว 45", "--their-date", "2569-11-20"]
    commands = [
        ["receive", "3", str(letter), *received, "--subject", "ข้อสั่งการ", "--start"],
        ["letter", "3", "--step", "8", "--to", "obec", "--to", "ovec", "--circular"],
        ["memo", "3", "--step", "1"],
        ["memo", "3", "--correct", "1", "--reason", "แก้ชื่อเรื่อง", "--subject", "ขออนุมัติ (แก้ไข)"],
        ["register"],
        ["register", "--kind", "incoming"],
        ["check"],
    ]
    for args in commands:
        done = sop(*args, cwd=office.root)
        assert done.code == 0, (args, done.err)
        assert english_sentences(done.out + done.err) == [], args
    listing = sop("register", cwd=office.root).out
    assert "ทะเบียนหนังสือส่ง พ.ศ. 2569" in listing and "หนังสือเวียน (ว) พ.ศ. 2569" in listing
    assert "ทะเบียนหนังสือรับ พ.ศ. 2569" in listing and "ฉบับที่ 2 จาก 2 ฉบับ: แก้ชื่อเรื่อง" in listing
    refused = sop("memo", "3", "--correct", "9", "--reason", "แก้", cwd=office.root)
    assert refused.code == 1 and "ไม่เคยออก" in refused.err and english_sentences(refused.err) == []
