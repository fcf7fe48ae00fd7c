"""`sop remind`: one Thai digest per person, sent through a real SMTP server, never twice a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from sop_cli.errors import ExitCode
from sop_cli.workspace import Workspace
from tests.conftest import Result
from tests.people.conftest import record
from tests.people.smtp import PASSWORD, USER, Server

# The test server takes a password without TLS (it has no certificate); aiosmtpd warns about it.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
Run = Callable[..., Result]
ADDRESSES = {"nanthana": "nanthana@cripeo.example", "saowalak": "saowalak@cripeo.example"}


def _settings(ws: Workspace, server: Server | None) -> None:
    mail = ""
    if server is not None:
        mail = (
            f'[mail]\nhost = "{server.host}"\nport = {server.port}\nsecurity = "none"\n'
            f'user = "{USER}"\nfrom = "sop@cripeo.example"\n\n'
        )
    people = "[people.email]\n" + "".join(f'{k} = "{v}"\n' for k, v in ADDRESSES.items())
    (ws.root / "sop.toml").write_text(mail + people, encoding="utf-8")


def test_the_digest_arrives_in_thai_with_the_right_items(
    busy: Workspace,
    sop: Run,
    smtp_server: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """nanthana's digest: UTF-8 plain text in Thai, ๖.๑ overdue, ๖.๕ and ๖.๔ due soon, step 8 waiting."""
    _settings(busy, smtp_server)
    monkeypatch.setenv("SOP_SMTP_PASSWORD", PASSWORD)
    done = record(sop, busy, "remind", "--send")
    assert "sent to nanthana@cripeo.example" in done.out and "sent to saowalak@cripeo.example" in done.out
    assert "ธิดารัตน์ สิงห์แก้ว: no e-mail address" in done.out
    assert smtp_server.logins == [USER]
    by_rcpt = {r.rcpt_tos[0]: r for r in smtp_server.received}
    assert set(by_rcpt) == set(ADDRESSES.values())
    mail = by_rcpt["nanthana@cripeo.example"].message
    assert mail["Subject"] == (
        "[sop] งานของ นันทนา จันทร์ฝั้น วันที่ 25 พ.ย. 2569: เกินกำหนด 1 · ใกล้ถึงกำหนด 2 · รอการพิจารณา 1 · ความเคลื่อนไหว 7"
    )
    part = mail.get_body(("plain",))
    assert part is not None and part.get_content_charset() == "utf-8"
    text = part.get_content()
    overdue = text.index("เกินกำหนด (1 รายการ)")
    soon = text.index("ครบกำหนดภายใน 5 วันทำการ (2 รายการ)")
    waiting = text.index("รอการพิจารณา (1 รายการ)")
    assert overdue < soon < waiting
    assert "ข้อ 6.1 (กำหนด 13 พ.ย. 2569, เกินมา 8 วันทำการ)" in text[overdue:soon]
    assert "ข้อ 6.5 (กำหนด 25 พ.ย. 2569, อีก 0 วันทำการ)" in text[soon:waiting]
    assert "ข้อ 6.4 (กำหนด 30 พ.ย. 2569, อีก 3 วันทำการ)" in text[soon:waiting]
    assert "ขั้นตอนที่ 8" in text[waiting:] and "sop advance 2 --approve" in text[waiting:]
    assert "ขั้นตอนที่ 7 เสร็จ (เสาวลักษณ์ นันไชยบัว)" in text  # what saowalak recorded, in the changes
    raw = by_rcpt["nanthana@cripeo.example"].raw
    assert b'charset="utf-8"' in raw and "เกินกำหนด".encode() not in raw  # encoded for the wire, decoded above
    saowalak = by_rcpt["saowalak@cripeo.example"].message.get_body(("plain",))
    assert saowalak is not None and "ขั้นตอนที่ 7 เสร็จ" not in saowalak.get_content()  # her own steps


def test_a_second_send_the_same_day_sends_nothing_and_the_next_day_tells_what_changed(
    busy: Workspace,
    sop: Run,
    smtp_server: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twice on 25 Nov: one digest each. On 26 Nov: sent again, with only what was recorded since."""
    _settings(busy, smtp_server)
    monkeypatch.setenv("SOP_SMTP_PASSWORD", PASSWORD)
    record(sop, busy, "remind", "--send", "--person", "nanthana")
    again = record(sop, busy, "remind", "--send", "--person", "nanthana")
    assert "already sent today" in again.out and len(smtp_server.received) == 1
    monkeypatch.setenv("SOP_NOW", "2026-11-26T08:00:00")
    record(sop, busy, "note", "1", "โทรประสานหน่วยรับตรวจแล้ว", "--by", "thidarat")
    record(sop, busy, "remind", "--send", "--person", "nanthana")
    assert len(smtp_server.received) == 2
    part = smtp_server.received[1].message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    assert "ความเคลื่อนไหวตั้งแต่การแจ้งครั้งก่อน (25 พ.ย. 2569) (1 รายการ)" in text
    assert "บันทึก: โทรประสานหน่วยรับตรวจแล้ว (ธิดารัตน์ สิงห์แก้ว)" in text and "ขั้นตอนที่ 7 เสร็จ" not in text


def test_a_wrong_password_is_one_sentence_and_nothing_counts_as_sent(
    busy: Workspace,
    sop: Run,
    smtp_server: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server refuses the login: exit 1, one sentence; a later run with the right password sends."""
    _settings(busy, smtp_server)
    monkeypatch.setenv("SOP_SMTP_PASSWORD", "wrong")
    refused = sop("remind", "--send", "--person", "nanthana", cwd=busy.root)
    assert refused.code == ExitCode.USER_ERROR
    assert "refused the account sop-reminders: check [mail] user and the password" in refused.err
    monkeypatch.delenv("SOP_SMTP_PASSWORD")
    missing = sop("remind", "--send", "--person", "nanthana", cwd=busy.root)
    assert missing.code == ExitCode.USER_ERROR and "SOP_SMTP_PASSWORD" in missing.err
    monkeypatch.setenv("SOP_SMTP_PASSWORD", PASSWORD)
    record(sop, busy, "remind", "--send", "--person", "nanthana")
    assert len(smtp_server.received) == 1


def test_without_a_server_the_digests_are_written_as_files(busy: Workspace, sop: Run, tmp_path: Path) -> None:
    """No [mail] host: one .eml per person under exports/reminders/<day>/, readable by a mail program."""
    _settings(busy, None)
    done = record(sop, busy, "remind", "--send")
    folder = busy.root / "exports" / "reminders" / "2026-11-25"
    assert sorted(p.name for p in folder.iterdir()) == ["nanthana.eml", "saowalak.eml", "saowapha.eml", "thidarat.eml"]
    assert "written to exports/reminders/2026-11-25/nanthana.eml" in done.out
    mail = message_from_bytes((folder / "nanthana.eml").read_bytes(), policy=policy.default)
    assert mail["To"] == "nanthana@cripeo.example" and mail["Subject"].startswith("[sop] งานของ นันทนา")
    assert "already sent today" in record(sop, busy, "remind", "--send").out
    preview = record(sop, busy, "remind", "--person", "saowalak")
    assert "เรียน เสาวลักษณ์ นันไชยบัว" in preview.out and "a preview" in preview.out


def test_the_substitute_s_digest_holds_the_absent_person_s_work(
    busy: Workspace,
    sop: Run,
    smtp_server: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """warunee stands in for saowalak: her digest lists saowalak's overdue item, marked as saowalak's."""
    _settings(busy, smtp_server)
    (busy.root / "sop.toml").write_text(
        (busy.root / "sop.toml").read_text(encoding="utf-8") + 'warunee = "warunee@cripeo.example"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("SOP_SMTP_PASSWORD", PASSWORD)
    record(sop, busy, "leave", "saowalak", "--from", "2569-11-24", "--to", "2569-11-27", "--substitute", "warunee")
    record(sop, busy, "remind", "--send", "--person", "warunee")
    (received,) = smtp_server.received
    part = received.message.get_body(("plain",))
    assert part is not None
    text = part.get_content()
    assert "ท่านปฏิบัติหน้าที่แทน เสาวลักษณ์ นันไชยบัว ถึงวันที่ 27 พ.ย. 2569" in text
    assert "ข้อ 6.1" in text and "งานของ เสาวลักษณ์ นันไชยบัว ซึ่งลาอยู่" in text
    assert dt.date(2026, 11, 25).isoformat() in str(received.message["Date"]) or received.message["Date"]
