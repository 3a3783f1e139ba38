"""Sending one queued message, exactly once as far as czrm can know.

Each attempt is committed as ``sending`` *before* the provider is called and
its outcome is committed after, each in its own short transaction, so a
worker killed at any point leaves a record of where it stopped:

- killed before the attempt was recorded: the message is still ``queued``
  and the next run sends it;
- killed after the outcome was recorded: the message is final and the next
  run does nothing;
- killed between the two (the provider may or may not have accepted it):
  the outcome is unknown. The next run asks the provider whether it holds a
  message with this key (GOV.UK Notify keeps our ``reference``, the file
  sink its file). SMTP gives no way to ask, so the message is sent again
  with the *same* Message-ID, and the history says so: relays and mailboxes
  that suppress repeated Message-IDs keep one copy. That is the guarantee:
  at least once to the provider, exactly once wherever the key is honoured,
  and a repeat only for a message whose attempt was cut off in the
  milliseconds between the relay's answer and our commit.

An attempt still in progress in another live process is never repeated:
the attempt records which process made it; one on this host whose process
is gone, or any older than ``ATTEMPT_TIMEOUT``, is taken as cut off.

Consent is asked again just before sending, so withdrawing it (or opting
out of the channel) stops a message already queued.
"""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from czrm.communications import providers
from czrm.communications.models import FINAL, Message, MessageStatus
from czrm.communications.providers import CANNOT_TELL, Outgoing, ProviderError
from czrm.communications.repository import mailbox_of
from czrm.communications.service import note_history
from czrm.consent.models import ContactChannel
from czrm.consent.service import consent_service
from czrm.kit.time import utc_now
from czrm.people.models import Party

MAX_ATTEMPTS = 8
ATTEMPT_TIMEOUT = timedelta(minutes=5)


class TryLater(RuntimeError):
    """The message cannot be sent now; the job is retried with backoff."""


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _may_still_be_running(message: Message) -> bool:
    if message.attempt_started_at is None or not message.attempt_by:
        return False
    if utc_now() - message.attempt_started_at > ATTEMPT_TIMEOUT:
        return False
    host, _, pid_text = message.attempt_by.rpartition(":")
    if host != socket.gethostname():
        return True  # another machine: wait for the timeout
    if not pid_text.isdigit() or int(pid_text) == os.getpid():
        return False  # this process is not sending it now, so the attempt was cut off
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _outgoing(session: Session, message: Message) -> Outgoing:
    person = session.get(Party, message.person_id)
    headers = {"X-Czrm-Message": str(message.id)}
    mailbox = mailbox_of(session, message.jurisdiction_id)
    if mailbox is not None:
        headers["Reply-To"] = mailbox.address
    if message.case_id is not None:
        headers["X-Czrm-Case"] = str(message.case_id)
    return Outgoing(
        key=message.key,
        channel=message.channel,
        recipient=message.recipient,
        name=person.display_name if person else "",
        subject=message.subject,
        body=message.body,
        language=message.language,
        headers=headers,
    )


def _own_session(bind: Engine | Connection) -> Session:
    # On an engine each phase is its own connection and commit; bound to a
    # connection (tests) it nests in a savepoint of the caller's transaction.
    return Session(bind=bind, join_transaction_mode="create_savepoint", expire_on_commit=False)


def deliver(bind: Engine | Connection, message_id: int) -> str:
    """Send message ``message_id`` if it still needs sending; return its status."""
    # Phase 1: decide, and record the attempt before calling the provider.
    with _own_session(bind) as session, session.begin():
        message = session.get(Message, message_id, with_for_update=True)
        if message is None:
            return "missing"
        if message.status in FINAL or message.status == MessageStatus.HELD:
            return str(message.status)
        provider = providers.build(
            session, message.jurisdiction_id, message.channel, message.provider
        )
        out = _outgoing(session, message)
        if message.status == MessageStatus.SENDING:
            if _may_still_be_running(message):
                raise TryLater(f"message {message_id} is being sent by {message.attempt_by}")
            found = provider.find(out)
            if isinstance(found, str):
                message.provider_ref = found
                message.sent_at = message.attempt_started_at
                note_history(
                    message, MessageStatus.SENT, "found at the provider after a cut-off attempt"
                )
                return str(message.status)
            detail = (
                "outcome of the last attempt unknown: sending again with the same key"
                if found is CANNOT_TELL
                else "the provider holds no such message: sending again"
            )
            message.history = [
                *message.history,
                {"status": "resending", "at": utc_now().isoformat(), "detail": detail},
            ]
        decision = consent_service.may_contact(
            session,
            message.person_id,
            purpose=message.purpose,
            channel=ContactChannel(message.channel),
        )
        if not decision.allowed:
            message.last_error = decision.reason
            note_history(message, MessageStatus.SUPPRESSED, f"at send time: {decision.reason}")
            return str(message.status)
        message.attempts += 1
        message.attempt_started_at = utc_now()
        message.attempt_by = this_process()
        note_history(message, MessageStatus.SENDING, f"attempt {message.attempts}")
        attempts = message.attempts

    # Phase 2: the provider call, outside any transaction.
    error: ProviderError | None = None
    provider_ref: str | None = None
    try:
        provider_ref = provider.send(out)
    except ProviderError as exc:
        error = exc
    except Exception as exc:  # noqa: BLE001 - recorded and retried, so it ends failed, not stuck
        error = ProviderError(f"{type(exc).__name__}: {exc}", permanent=False)

    # Phase 3: record the outcome.
    with _own_session(bind) as session, session.begin():
        message = session.get(Message, message_id, with_for_update=True)
        assert message is not None
        if error is None:
            message.provider_ref = provider_ref
            message.sent_at = utc_now()
            message.last_error = None
            note_history(message, MessageStatus.SENT)
            return str(message.status)
        message.last_error = str(error)
        if error.permanent or attempts >= MAX_ATTEMPTS:
            note_history(message, MessageStatus.FAILED, str(error))
            return str(message.status)
        note_history(message, MessageStatus.QUEUED, f"will retry: {error}")
    raise TryLater(str(error))


def deliver_in(session: Session, message_id: int) -> str:
    """Run ``deliver`` beside the worker's session without touching it (its own
    transactions must commit before the worker's takes any lock)."""
    bind: Any = session.get_bind()
    return deliver(bind, message_id)
