"""Reading e-mail: what kind of message it is, its text, its attachments,
and the Message-ID a bounce is about. Pure: bytes in, facts out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from czrm.open311.media import sniff

REFERENCE = re.compile(r"\bSR-(\d{4})-(\d{6,12})\b", re.IGNORECASE)
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
NULL_SENDERS = {"", "<>"}
DAEMONS = re.compile(r"^(mailer-daemon|postmaster)@", re.IGNORECASE)


class Malformed(ValueError):
    """The message cannot be taken in; the text is the reason given to the sender."""


def parse(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def check(raw: bytes) -> EmailMessage:
    """Parse and reject what no sender should send: no headers, no From, no valid From."""
    if b"\n" not in raw[:100_000] or b":" not in raw.split(b"\n", 1)[0]:
        raise Malformed("no header section")
    try:
        message = parse(raw)
        sender = message.get("From")
    except Exception as exc:  # noqa: BLE001 - the parser's many errors all mean "malformed"
        raise Malformed(f"unreadable headers: {type(exc).__name__}") from exc
    if sender is None:
        raise Malformed("no From header")
    _, address = parseaddr(str(sender))
    if "@" not in address:
        raise Malformed("the From header holds no address")
    return message


def kind_of(message: EmailMessage, envelope_from: str) -> str:
    """``bounce`` (a delivery status notification), ``auto_reply`` (RFC 3834 and
    the common vendor headers, mailing lists, null senders) or ``message``."""
    content_type = message.get_content_type()
    if content_type == "multipart/report" and message.get_param("report-type") == "delivery-status":
        return "bounce"
    sender = parseaddr(str(message.get("From", "")))[1]
    if envelope_from.strip() in NULL_SENDERS and DAEMONS.match(sender or ""):
        return "bounce"
    auto = str(message.get("Auto-Submitted", "no")).strip().lower()
    if auto and not auto.startswith("no"):
        return "auto_reply"
    if str(message.get("Precedence", "")).strip().lower() in AUTO_PRECEDENCE:
        return "auto_reply"
    # X-Auto-Response-Suppress is left out on purpose: Outlook also sets it on
    # mail a person wrote, and a person's mail must not be dropped.
    if any(message.get(h) for h in ("X-Autoreply", "X-Autorespond")):
        return "auto_reply"
    if message.get("List-Id") or message.get("List-Unsubscribe"):
        return "auto_reply"
    if envelope_from.strip() in NULL_SENDERS:
        return "auto_reply"
    return "message"


@dataclass
class Bounce:
    original_ids: list[str] = field(default_factory=list)
    failed: bool = True
    diagnostic: str = ""


def _headers_of(part: Message) -> list[Message]:
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, Message)]
    if isinstance(payload, str):
        return [message_from_bytes(payload.encode("utf-8", "replace"), policy=policy.default)]
    return []


def bounce_of(message: EmailMessage) -> Bounce:
    """The Message-IDs of the original message and whether delivery failed for good."""
    result = Bounce()
    actions: list[str] = []
    for part in message.walk():
        content_type = part.get_content_type()
        if content_type == "message/delivery-status":
            for block in _headers_of(part):
                if block.get("Action"):
                    actions.append(str(block["Action"]).strip().lower())
                if block.get("Diagnostic-Code"):
                    result.diagnostic = str(block["Diagnostic-Code"]).strip()
        elif content_type in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            for original in _headers_of(part):
                for name in ("Message-ID", "X-Czrm-Message-Key"):
                    if original.get(name):
                        result.original_ids.append(str(original[name]).strip())
    for name in ("In-Reply-To", "References"):
        if message.get(name):
            result.original_ids += str(message[name]).split()
    if actions and all(a in ("delayed", "relayed", "expanded", "delivered") for a in actions):
        result.failed = False
    return result


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        return ""
    try:
        content = body.get_content()
    except (LookupError, UnicodeError):
        payload = body.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if body.get_content_type() == "text/html":
        parser = _Text()
        parser.feed(str(content))
        content = " ".join(parser.parts)
    return str(content).strip()


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    extension: str | None  # None: a type czrm does not keep


def attachments_of(message: EmailMessage) -> list[Attachment]:
    found = []
    for part in message.iter_attachments():
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        extension = sniff(data[:16]) or ("pdf" if data.startswith(b"%PDF-") else None)
        found.append(
            Attachment(
                filename=str(part.get_filename() or "attachment")[:200],
                content_type=part.get_content_type(),
                data=data,
                extension=extension,
            )
        )
    return found


def reference_in(*texts: str) -> tuple[int, int] | None:
    for text in texts:
        match = REFERENCE.search(text or "")
        if match:
            return int(match.group(1)), int(match.group(2))
    return None


def sender_of(message: EmailMessage) -> tuple[str, str]:
    name, address = parseaddr(str(message.get("From", "")))
    return name.strip(), address.strip().lower()


def recipients_of(message: EmailMessage) -> list[str]:
    values = [str(v) for h in ("To", "Cc", "Delivered-To") for v in message.get_all(h, [])]
    return [a.lower() for _, a in getaddresses(values) if a]
