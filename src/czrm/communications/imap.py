"""Polling a mailbox the council already has (``imaplib``).

Each unseen message is stored (keyed by mailbox, UIDVALIDITY and UID, so a
message fetched twice is stored once) and committed before it is flagged
``\\Seen`` on the server: a crash in between fetches it again, harmlessly.
"""

from __future__ import annotations

import imaplib
import logging
import re
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from czrm.communications import inbound, mailparse, repository
from czrm.communications.models import Mailbox

log = logging.getLogger("czrm.mail")
UIDVALIDITY = re.compile(rb"UIDVALIDITY (\d+)")


class ImapClient(Protocol):
    def select(self, mailbox: str = ..., readonly: bool = ...) -> tuple[str, list[Any]]: ...

    def uid(self, command: str, *args: Any) -> tuple[str, list[Any]]: ...

    def status(self, mailbox: str, names: str) -> tuple[str, list[Any]]: ...


def _return_path(raw: bytes) -> str:
    """The envelope sender the delivering server recorded ("" for a null sender)."""
    header = mailparse.parse(raw).get("Return-Path")
    if header is None:
        return "unknown"
    return str(header).strip().strip("<>")


def connect(host: str, port: int, user: str, password: str, *, ssl: bool = True) -> imaplib.IMAP4:
    client: imaplib.IMAP4 = imaplib.IMAP4_SSL(host, port) if ssl else imaplib.IMAP4(host, port)
    client.login(user, password)
    return client


def poll(
    sessions: sessionmaker[Session],
    client: ImapClient,
    *,
    address: str,
    name: str,
    folder: str = "INBOX",
) -> int:
    """Take in every unseen message of ``folder``; returns how many were new."""
    with sessions() as session:
        mailbox = repository.mailbox_for(session, [address])
        if mailbox is None:
            raise LookupError(f"{address} is not a council mailbox: add it first")
    _, status = client.status(folder, "(UIDVALIDITY)")
    found = UIDVALIDITY.search(status[0] if status and isinstance(status[0], bytes) else b"")
    validity = found.group(1).decode() if found else "0"
    client.select(folder)
    _, data = client.uid("SEARCH", "UNSEEN")
    uids = data[0].split() if data and data[0] else []
    new = 0
    for uid in uids:
        _, parts = client.uid("FETCH", uid, "(RFC822)")
        raw = next((p[1] for p in parts if isinstance(p, tuple) and len(p) > 1), None)
        if not isinstance(raw, bytes):
            log.warning("IMAP %s: message %s came back empty", name, uid)
            continue
        with sessions.begin() as session:
            box = session.get(Mailbox, mailbox.id)
            stored = inbound.store(
                session,
                raw,
                source="imap",
                envelope_from=_return_path(raw),
                recipients=[address],
                source_key=f"imap:{name}:{validity}:{uid.decode()}",
                mailbox=box,
            )
        client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
        new += stored is not None
    return new
