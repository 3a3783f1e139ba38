"""Sending one e-mail message over SMTP: the only place czrm talks to a mail relay.

Callers build an ``EmailMessage`` (domain code decides content, language and
headers) and send it from a job, never inside a web request, so a slow or
unreachable relay delays mail instead of failing the change that caused it.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from czrm.config import Settings, get_settings


class MailError(RuntimeError):
    """The relay refused or could not be reached; ``permanent`` says a retry will not help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def new_message(*, to: str, subject: str, text: str, html: str | None = None) -> EmailMessage:
    """A message from the council's address, with a fresh Message-ID and Date."""
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=_domain(settings.mail_from))
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message


def send(message: EmailMessage, settings: Settings | None = None) -> None:
    """Hand ``message`` to the relay; raise ``MailError`` when it is not accepted.

    With ``CZRM_COMMS_SINK=file`` (development, the demo) the message is written
    to ``data_dir/outbox/<message-id>.eml`` instead, to be opened with any mail reader.
    """
    settings = settings or get_settings()
    if settings.comms_sink == "file":
        _write(message, settings.data_dir / "outbox")
        return
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password)
            smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"recipient refused: {exc.recipients}", permanent=True) from exc
    except smtplib.SMTPResponseException as exc:
        permanent = 500 <= exc.smtp_code < 600
        raise MailError(f"relay answered {exc.smtp_code}", permanent=permanent) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"relay unreachable: {exc}", permanent=False) from exc


def _domain(address: str) -> str:
    _, _, domain = address.rpartition("@")
    return domain.strip(">").strip() or "czrm.invalid"


def _write(message: EmailMessage, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    key = str(message["Message-ID"] or make_msgid()).strip("<>")
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in key)
    (folder / f"{safe}.eml").write_bytes(message.as_bytes())
