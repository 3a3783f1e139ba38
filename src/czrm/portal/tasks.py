"""The portal's jobs: sending a citizen's one-time sign-in link."""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.orm import Session

from czrm.jobs.registry import task
from czrm.kit import mail
from czrm.portal import signin

log = logging.getLogger("czrm.portal")


@task("portal.send_sign_in_link", max_attempts=5)
def send_sign_in_link(session: Session, jurisdiction_id: str, email: str, language: str) -> None:
    """Make a fresh link and mail it; only its digest is stored, so the secret
    exists in the message alone. A relay that refuses for good is not retried."""
    message = signin.new_link_message(session, uuid.UUID(jurisdiction_id), email, language)
    try:
        mail.send(message)
    except mail.MailError as exc:
        if exc.permanent:
            log.warning("sign-in link to a refused address not sent: %s", exc)
            return
        raise
