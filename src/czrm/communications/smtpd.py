"""The council's own SMTP receiver (aiosmtpd).

Only addresses that are council mailboxes are accepted (550 otherwise, so
czrm is never an open relay). A message is checked, stored and its
processing queued in one committed transaction *before* 250 is answered:
nothing acknowledged is lost. Oversized (552) or malformed (550) mail is
refused with the reason logged; a database failure answers 451 so the
sender tries again. No handler error ever stops the receiver.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SmtpSession
from sqlalchemy.orm import Session, sessionmaker

from czrm.communications import inbound, mailparse, repository
from czrm.config import get_settings

log = logging.getLogger("czrm.mail")


class InboundHandler:
    def __init__(self, sessions: sessionmaker[Session], max_bytes: int | None = None) -> None:
        self.sessions = sessions
        self.max_bytes = max_bytes or get_settings().mail_max_bytes

    def _known(self, address: str) -> bool:
        with self.sessions() as session:
            return repository.mailbox_for(session, [address]) is not None

    def _store(self, envelope: Envelope, raw: bytes) -> int | None:
        with self.sessions.begin() as session:
            return inbound.store(
                session,
                raw,
                source="smtp",
                envelope_from=envelope.mail_from or "",
                recipients=list(envelope.rcpt_tos),
            )

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self,
        server: SMTP,
        session: SmtpSession,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        loop = asyncio.get_running_loop()
        try:
            known = await loop.run_in_executor(None, self._known, address)
        except Exception:  # noqa: BLE001 - a database fault must not stop the receiver
            log.exception("mailbox lookup failed for %s", address)
            return "451 4.3.0 Temporary failure, try again later"
        if not known:
            log.info("refused recipient %s from %s", address, envelope.mail_from)
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: SmtpSession, envelope: Envelope
    ) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        if len(raw) > self.max_bytes:
            log.warning("refused %d-byte message from %s: too large", len(raw), envelope.mail_from)
            return "552 5.3.4 Message too big"
        try:
            mailparse.check(raw)
        except mailparse.Malformed as exc:
            log.warning("refused message from %s: malformed: %s", envelope.mail_from, exc)
            return f"550 5.6.0 Malformed message: {exc}"
        loop = asyncio.get_running_loop()
        try:
            stored = await loop.run_in_executor(None, self._store, envelope, raw)
        except Exception:  # noqa: BLE001 - the sender retries; the receiver carries on
            log.exception("could not store a message from %s", envelope.mail_from)
            return "451 4.3.0 Temporary failure, try again later"
        return f"250 2.0.0 Stored as {stored}"


class _Controller(Controller):
    def factory(self) -> SMTP:
        # aiosmtpd's own 552 for oversized data, before the handler sees it.
        return SMTP(self.handler, data_size_limit=self.handler.max_bytes + 1024, **self.SMTP_kwargs)


def controller(
    sessions: sessionmaker[Session], *, host: str = "127.0.0.1", port: int = 2525, **kwargs: Any
) -> Controller:
    """A receiver on ``host:port`` running in its own thread (``start()``/``stop()``)."""
    return _Controller(
        InboundHandler(sessions, kwargs.pop("max_bytes", None)), hostname=host, port=port, **kwargs
    )
