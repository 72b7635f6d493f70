"""Optional e-mail through an SMTP server (standard library only).

Off unless `SMTP_HOST` is set. Callers send after their transaction has committed: a mail server
that is down, slow or refuses a message is logged and reported as not sent, never raised into the
change that caused the message."""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MailSettings:
    """Where and how to send: `SMTP_*` settings of the application."""

    host: str = ""
    port: int = 587
    user: str = ""
    password: str = ""
    sender: str = ""
    starttls: bool = True
    ssl: bool = False
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool(self.host and self.sender)


DISABLED = MailSettings()


def settings_from(config: Mapping) -> MailSettings:
    """The settings in an application's configuration (`SMTP_HOST` empty: disabled)."""
    host = (config.get("SMTP_HOST") or "").strip()
    if not host:
        return DISABLED
    return MailSettings(
        host=host,
        port=int(config.get("SMTP_PORT") or 587),
        user=config.get("SMTP_USER") or "",
        password=config.get("SMTP_PASSWORD") or "",
        sender=config.get("SMTP_FROM") or "",
        starttls=bool(config.get("SMTP_STARTTLS", True)),
        ssl=bool(config.get("SMTP_SSL", False)),
        timeout=float(config.get("SMTP_TIMEOUT_SECONDS") or 10),
    )


def current_settings() -> MailSettings:
    """The running application's settings; disabled outside an application."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return DISABLED
    return settings_from(current_app.config)


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def _message(settings: MailSettings, mail: Mail) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2] or None)
    message.set_content(mail.body, cte="quoted-printable")  # 7-bit safe for every server
    return message


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.ssl:
        server = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        server = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        if settings.starttls:
            server.starttls(context=context)
    if settings.user:
        server.login(settings.user, settings.password)
    return server


def send_all(settings: MailSettings, mails: Sequence[Mail]) -> list[bool]:
    """Send `mails` over one connection; for each, whether the server accepted it. Nothing is
    raised: an unreachable server or a refused message is logged and counts as not sent."""
    if not settings.enabled or not mails:
        return [False] * len(mails)
    sent = []
    try:
        server = _connect(settings)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("E-mail not sent: SMTP server %s:%s: %s", settings.host, settings.port, exc)
        return [False] * len(mails)
    try:
        for mail in mails:
            try:
                server.send_message(_message(settings, mail))
                sent.append(True)
            except (OSError, smtplib.SMTPException) as exc:
                log.warning("E-mail to %s not sent: %s", mail.to, exc)
                sent.append(False)
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
    return sent + [False] * (len(mails) - len(sent))
