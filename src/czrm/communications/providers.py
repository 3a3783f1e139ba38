"""The providers that carry messages: e-mail over SMTP (``czrm.kit.mail``),
GOV.UK Notify (e-mail, SMS, letters) and a file sink for development.

Every provider is handed the message's stable ``key``: the SMTP Message-ID,
Notify's ``reference``, the sink's file name. ``find`` asks the provider
whether a message with that key was already accepted, where it can tell.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import requests
from notifications_python_client.errors import HTTPError
from notifications_python_client.notifications import NotificationsAPIClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.communications.models import ProviderConfig
from czrm.config import get_settings
from czrm.kit import mail
from czrm.kit.cache import TtlCache

CHANNELS = ("email", "sms", "letter")
PROVIDERS = ("smtp", "notify", "file")


class ProviderError(RuntimeError):
    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class CannotTell:
    """``find`` answer of a provider that cannot be asked about past messages."""


CANNOT_TELL = CannotTell()


@dataclass(frozen=True)
class Outgoing:
    """What a provider needs to send one message."""

    key: str
    channel: str
    recipient: str
    name: str
    subject: str
    body: str
    language: str
    headers: dict[str, str]


class Provider(Protocol):
    name: str

    def send(self, out: Outgoing) -> str | None:
        """Hand the message over; return the provider's id for it, if it gives one."""

    def find(self, out: Outgoing) -> str | None | CannotTell:
        """The provider's id for an already accepted message with this key, None if
        there is none, ``CANNOT_TELL`` if the provider keeps no such record."""


def _html(out: Outgoing) -> str:
    direction = "rtl" if out.language == "ar" else "ltr"
    paragraphs = "".join(
        f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in out.body.split("\n\n")
    )
    return (
        f'<!doctype html><html lang="{out.language}" dir="{direction}"><head>'
        f'<meta charset="utf-8"><title>{html.escape(out.subject)}</title></head>'
        f"<body>{paragraphs}</body></html>"
    )


class SmtpProvider:
    """E-mail through the council's relay. SMTP has no way to ask a relay about a
    past message, so a message whose first attempt ended unknown is sent again
    with the same Message-ID: relays and mailboxes that suppress repeated
    Message-IDs then keep one copy."""

    name = "smtp"

    def __init__(self, options: dict[str, Any]) -> None:
        self.mail_from = options.get("mail_from")

    def build(self, out: Outgoing) -> Any:
        message = mail.new_message(
            to=out.recipient, subject=out.subject, text=out.body, html=_html(out)
        )
        del message["Message-ID"]
        message["Message-ID"] = out.key
        if self.mail_from:
            message.replace_header("From", self.mail_from)
        message["Content-Language"] = out.language
        # RFC 3834: an automatic message, so auto-responders do not answer it.
        message["Auto-Submitted"] = "auto-generated"
        for name, value in out.headers.items():
            message[name] = value
        return message

    def send(self, out: Outgoing) -> str | None:
        try:
            mail.send(self.build(out))
        except mail.MailError as exc:
            raise ProviderError(str(exc), permanent=exc.permanent) from exc
        return None

    def find(self, out: Outgoing) -> str | None | CannotTell:
        return CANNOT_TELL


class NotifyProvider:
    """GOV.UK Notify through its official client. Notify keeps every
    notification with our ``reference``, so an unknown outcome is resolved by
    asking it rather than by sending again."""

    name = "notify"

    def __init__(self, options: dict[str, Any]) -> None:
        key_env = str(options.get("api_key_env", ""))
        api_key = os.environ.get(key_env, "") if key_env else ""
        if not api_key:
            raise ProviderError(
                f"Notify API key missing: set {key_env or 'api_key_env'}", permanent=False
            )
        self.client = NotificationsAPIClient(
            api_key,
            base_url=str(options.get("base_url", "https://api.notifications.service.gov.uk")),
            timeout=int(options.get("timeout_s", 30)),
        )
        self.template_id = str(options.get("template_id", ""))

    def _call(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except HTTPError as exc:
            status = int(exc.status_code or 0)
            permanent = status in (400, 403)
            raise ProviderError(
                f"Notify answered {status}: {exc.message}", permanent=permanent
            ) from exc
        except requests.RequestException as exc:
            raise ProviderError(f"Notify unreachable: {exc}", permanent=False) from exc

    def send(self, out: Outgoing) -> str | None:
        personalisation = {"subject": out.subject, "body": out.body}
        if out.channel == "email":
            answer = self._call(
                self.client.send_email_notification,
                email_address=out.recipient,
                template_id=self.template_id,
                personalisation=personalisation,
                reference=out.key,
            )
        elif out.channel == "sms":
            answer = self._call(
                self.client.send_sms_notification,
                phone_number=out.recipient,
                template_id=self.template_id,
                personalisation={"body": out.body},
                reference=out.key,
            )
        else:
            lines = [out.name, *[p.strip() for p in out.recipient.split(",") if p.strip()]][:7]
            address = {f"address_line_{n}": line for n, line in enumerate(lines, start=1)}
            answer = self._call(
                self.client.send_letter_notification,
                template_id=self.template_id,
                personalisation={**address, **personalisation},
                reference=out.key,
            )
        return str(answer.get("id")) if isinstance(answer, dict) else None

    def find(self, out: Outgoing) -> str | None | CannotTell:
        answer = self._call(self.client.get_all_notifications, reference=out.key)
        found = answer.get("notifications", []) if isinstance(answer, dict) else []
        return str(found[0]["id"]) if found else None

    def status(self, provider_ref: str) -> str:
        answer = self._call(self.client.get_notification_by_id, provider_ref)
        return str(answer.get("status", "")) if isinstance(answer, dict) else ""


class FileSink:
    """Writes each message to ``data_dir/outbox/<key>.txt`` (development, the demo)."""

    name = "file"

    def __init__(self, options: dict[str, Any]) -> None:
        self.folder = Path(options.get("folder") or get_settings().data_dir / "outbox")

    def _path(self, out: Outgoing) -> Path:
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in out.key.strip("<>"))
        return self.folder / f"{safe}.txt"

    def send(self, out: Outgoing) -> str | None:
        self.folder.mkdir(parents=True, exist_ok=True)
        text = (
            f"Channel: {out.channel}\nTo: {out.recipient}\nSubject: {out.subject}\n"
            f"Language: {out.language}\n\n{out.body}\n"
        )
        try:
            with open(self._path(out), "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            pass
        return None

    def find(self, out: Outgoing) -> str | None | CannotTell:
        return out.key if self._path(out).exists() else None


_available = TtlCache(ttl=60.0)


def _configs(session: Session, jurisdiction_id: Any) -> dict[str, ProviderConfig]:
    rows = session.scalars(
        select(ProviderConfig).where(ProviderConfig.jurisdiction_id == jurisdiction_id)
    )
    return {row.channel: row for row in rows}


def _name(configs: dict[str, ProviderConfig], channel: str) -> str | None:
    if channel in configs:
        return configs[channel].provider
    if get_settings().comms_sink == "file":
        return "file"
    return "smtp" if channel == "email" else None


def available(session: Session, jurisdiction_id: Any) -> dict[str, str]:
    """Channel → provider for every channel the council can send on (cached: a
    change in another process shows within a minute)."""

    def load() -> dict[str, str]:
        configs = _configs(session, jurisdiction_id)
        found = {c: _name(configs, c) for c in CHANNELS}
        return {c: name for c, name in found.items() if name}

    # The file sink is a process setting that tests and the demo switch at run time.
    return dict(_available.get_or_load((jurisdiction_id, get_settings().comms_sink), load))


def configure(
    session: Session, jurisdiction_id: Any, channel: str, provider: str, options: dict[str, Any]
) -> ProviderConfig:
    """Set (or replace) the provider of one channel for a council."""
    if channel not in CHANNELS:
        raise ValueError(f"channel must be one of {', '.join(CHANNELS)}")
    if provider not in PROVIDERS:
        raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}")
    if provider == "notify" and not {"api_key_env", "template_id"} <= options.keys():
        raise ValueError("notify needs the options api_key_env and template_id")
    config = _configs(session, jurisdiction_id).get(channel)
    if config is None:
        config = ProviderConfig(jurisdiction_id=jurisdiction_id, channel=channel)
        session.add(config)
    config.provider = provider
    config.options = options
    session.flush()
    _available.clear()
    return config


def build(session: Session, jurisdiction_id: Any, channel: str, name: str) -> Provider:
    config = _configs(session, jurisdiction_id).get(channel)
    options = dict(config.options) if config is not None and config.provider == name else {}
    if name == "notify":
        return NotifyProvider(options)
    if name == "file":
        return FileSink(options)
    return SmtpProvider(options)
