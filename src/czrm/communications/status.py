"""Delivery reports: GOV.UK Notify is asked about what it accepted; bounces
arriving by e-mail are handled by ``inbound``."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy.orm import Session

from czrm.communications import providers, repository
from czrm.communications.models import MessageStatus
from czrm.communications.providers import NotifyProvider, ProviderError
from czrm.communications.service import note_history
from czrm.kit.time import utc_now

log = logging.getLogger("czrm.communications")
NOTIFY_FINAL = {
    "delivered": MessageStatus.DELIVERED,
    "received": MessageStatus.DELIVERED,  # letters: Notify's "received" is the end of the road
    "permanent-failure": MessageStatus.BOUNCED,
    "temporary-failure": MessageStatus.FAILED,
    "technical-failure": MessageStatus.FAILED,
    "validation-failed": MessageStatus.FAILED,
    "cancelled": MessageStatus.FAILED,
}
WINDOW = timedelta(days=7)


def check_notify_statuses(session: Session) -> int:
    """Move sent Notify messages of the last week to delivered, bounced or failed."""
    changed = 0
    clients: dict[tuple[object, str], NotifyProvider] = {}
    for message in repository.sent_by(session, "notify", utc_now() - WINDOW):
        key = (message.jurisdiction_id, message.channel)
        try:
            if key not in clients:
                built = providers.build(session, message.jurisdiction_id, message.channel, "notify")
                assert isinstance(built, NotifyProvider)
                clients[key] = built
            status = clients[key].status(str(message.provider_ref))
        except ProviderError as exc:
            log.warning("Notify status of message %s unavailable: %s", message.id, exc)
            continue
        outcome = NOTIFY_FINAL.get(status)
        if outcome is None:
            continue
        if outcome != MessageStatus.DELIVERED:
            message.last_error = f"Notify: {status}"
        note_history(message, outcome, f"Notify: {status}")
        changed += 1
    session.flush()
    return changed
