"""A real SMTP server on localhost for the tests (aiosmtpd): it keeps every message it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

USER, PASSWORD = "sop-reminders", "s3cret-ไทย"


@dataclass
class Received:
    """One message as the server took it: the envelope's recipients and the parsed message."""

    rcpt_tos: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class Server:
    """Where the server listens, and what it received."""

    host: str
    port: int
    received: list[Received] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


class _Handler:
    def __init__(self, server: Server) -> None:
        self.server = server

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        raw = bytes(envelope.content)
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.server.received.append(Received(list(envelope.rcpt_tos), message, raw))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """An SMTP server on 127.0.0.1 that takes one account (USER, PASSWORD) without TLS, started and stopped here."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    server = Server("127.0.0.1", _free_port())

    def authenticate(smtp: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login.decode() == USER and data.password.decode() == PASSWORD
        if ok:
            server.logins.append(USER)
        return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself

    controller = Controller(
        _Handler(server),
        hostname=server.host,
        port=server.port,
        authenticator=authenticate,
        auth_require_tls=False,  # the test server has no certificate; the office's uses STARTTLS
        auth_required=True,
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
