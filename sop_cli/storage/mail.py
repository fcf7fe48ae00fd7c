"""Send e-mail through the office's SMTP server, and remember on this machine what was sent on which day.

The server's address, port, security and account are in `sop.toml` ([mail]); the password never
is: it comes from the SOP_SMTP_PASSWORD environment variable, or from the system keyring when the
`keyring` package is installed (service "sop", user `USER@HOST`). What `sop remind` sent is kept in
the user's own state folder (`cache.workspace_state`), never in the workspace: it is this
machine's record, not the office's.
"""

from __future__ import annotations

import json
import os
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sop_cli.errors import SopError
from sop_cli.i18n import _
from sop_cli.storage import cache

if TYPE_CHECKING:
    import smtplib

    from sop_cli.models.settings import MailSettings

PASSWORD_ENV = "SOP_SMTP_PASSWORD"
KEYRING_SERVICE = "sop"
SENT_FILE = "reminders.json"


def smtp_password(settings: MailSettings) -> str | None:
    """The SMTP password: $SOP_SMTP_PASSWORD, else the system keyring's entry for USER@HOST, else None."""
    password = os.environ.get(PASSWORD_ENV)
    if password:
        return password
    if settings.user is None or settings.host is None:
        return None
    import importlib

    try:
        # Optional, and untyped: installed where the office keeps passwords in the system's store.
        keyring: Any = importlib.import_module("keyring")
    except ImportError:
        return None
    try:
        found = keyring.get_password(KEYRING_SERVICE, f"{settings.user}@{settings.host}")
    except Exception:  # noqa: BLE001 - a keyring without a backend is the same as no keyring
        return None
    return str(found) if found else None


def send(settings: MailSettings, messages: Sequence[EmailMessage]) -> None:
    """Send `messages` over one connection to the [mail] server; a refusal is one clear sentence."""
    import smtplib

    host = settings.host
    if host is None:
        raise SopError(_("no mail server is set: give [mail] host in sop.toml"))
    password = smtp_password(settings)
    if settings.user is not None and password is None:
        raise SopError(
            _("the mail account {user} needs its password: set {variable} (or store it in the system keyring)").format(
                user=settings.user, variable=PASSWORD_ENV
            )
        )
    context = ssl.create_default_context()
    try:
        server: smtplib.SMTP
        if settings.security == "ssl":
            server = smtplib.SMTP_SSL(host, settings.port, timeout=settings.timeout, context=context)
        else:
            server = smtplib.SMTP(host, settings.port, timeout=settings.timeout)
        with server:
            if settings.security == "starttls":
                server.starttls(context=context)
            if settings.user is not None and password is not None:
                _login(server, settings.user, password)
            for message in messages:
                server.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise SopError(
            _("the mail server {host} refused the account {user}: check [mail] user and the password").format(
                host=host, user=settings.user
            )
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise SopError(
            _('the mail server {host} does not offer STARTTLS: set [mail] security to "ssl" or "none"').format(
                host=host
            )
        ) from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise SopError(
            _("could not send mail through {host}:{port}: {reason}").format(
                host=host, port=settings.port, reason=str(exc) or type(exc).__name__
            )
        ) from None


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """Log in with AUTH PLAIN, its credentials in UTF-8 (RFC 4616), where the server offers it.

    smtplib's own `login` encodes credentials as ASCII (a Thai password fails before a word is
    sent) and, refused once, tries the next mechanism on the same connection; one PLAIN attempt
    gives one clear answer. Servers without PLAIN get smtplib's choice.
    """
    import base64
    import smtplib

    server.ehlo_or_helo_if_needed()
    if "PLAIN" not in server.esmtp_features.get("auth", "").upper().split():
        if not (user.isascii() and password.isascii()):
            raise SopError(_("the mail server offers no AUTH PLAIN, which a password with Thai letters needs"))
        server.login(user, password)
        return
    token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
    code, answer = server.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, answer)


# --- what was sent on which day ---------------------------------------------------------------------


def _sent_path(root: Path) -> Path:
    return cache.workspace_state(root) / SENT_FILE


def sent_record(root: Path) -> dict[str, dict[str, str]]:
    """What this machine sent: staff id → {"day": ISO date, "at": ISO date-time} of their last digest."""
    try:
        data = json.loads(_sent_path(root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    found: dict[str, dict[str, str]] = {}
    for person, entry in data.items():
        if isinstance(entry, dict) and isinstance(entry.get("day"), str) and isinstance(entry.get("at"), str):
            found[str(person)] = {"day": entry["day"], "at": entry["at"]}
    return found


def remember_sent(root: Path, person: str, entry: dict[str, Any]) -> None:
    """Note that `person`'s digest went out (the day and the time), atomically."""
    from sop_cli.storage.atomic import write_text_atomic

    record = sent_record(root)
    record[person] = {"day": str(entry["day"]), "at": str(entry["at"])}
    write_text_atomic(_sent_path(root), json.dumps(record, ensure_ascii=False, indent=1), durable=False)
