"""Citizen sign-in by a one-time link sent by e-mail: no passwords.

A link is good for one use within ``portal_sign_in_link_minutes``; only a
keyed digest of its secret is stored. Asking for a link says the same whether
or not the address is known, so the page reveals nothing about who is a
customer. Using it finds the person by the e-mail address (see
``people.service.person_for_verified_email``) or creates them.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.subject import Actor
from czrm.config import get_settings
from czrm.errors import FieldError, ValidationFailed
from czrm.jobs.service import enqueue
from czrm.kit import i18n, mail
from czrm.kit.time import utc_now
from czrm.org.service import get_jurisdiction
from czrm.people import service as people
from czrm.people.models import Person
from czrm.portal.models import SignInLink


def _digest(secret: str) -> str:
    key = get_settings().secret_key.encode()
    return hmac.new(key, b"portal-sign-in:" + secret.encode(), hashlib.sha256).hexdigest()


def check_email(text: str) -> str:
    email = people.normalise_email(text)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or " " in email:
        raise ValidationFailed([FieldError("email", "not an email address")])
    return email


def request_link(session: Session, jurisdiction_id: uuid.UUID, email: str, language: str) -> None:
    """Queue the e-mail (sent after commit by a worker)."""
    enqueue(
        session,
        "portal.send_sign_in_link",
        {
            "jurisdiction_id": str(jurisdiction_id),
            "email": check_email(email),
            "language": language,
        },
    )


def new_link_message(
    session: Session, jurisdiction_id: uuid.UUID, email: str, language: str
) -> EmailMessage:
    settings = get_settings()
    secret = secrets.token_urlsafe(32)
    now = utc_now()
    session.add(
        SignInLink(
            jurisdiction_id=jurisdiction_id,
            email=email,
            digest=_digest(secret),
            language=language,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.portal_sign_in_link_minutes),
        )
    )
    session.flush()
    council = get_jurisdiction(session, jurisdiction_id).name
    _ = i18n.translations(i18n.supported(language) or i18n.DEFAULT).gettext
    link = f"{settings.public_base_url.rstrip('/')}/sign-in/{secret}"
    text = "\n\n".join(
        [
            _("Use this link to sign in to %(council)s:") % {"council": council},
            link,
            _("The link works once, for %(minutes)s minutes.")
            % {"minutes": settings.portal_sign_in_link_minutes},
            _("If you did not ask to sign in, you can ignore this email."),
        ]
    )
    subject = _("Your sign-in link for %(council)s") % {"council": council}
    return mail.new_message(to=email, subject=subject, text=text)


class LinkNotValid(ValidationFailed):
    def __init__(self) -> None:
        super().__init__([FieldError("link", "expired or used", code="link_invalid")])


def use_link(session: Session, jurisdiction_id: uuid.UUID, secret: str) -> tuple[Person, str]:
    """Spend the link (once) and return the person it signs in, and its language."""
    link = session.scalars(
        select(SignInLink)
        .where(SignInLink.digest == _digest(secret), SignInLink.jurisdiction_id == jurisdiction_id)
        .with_for_update()
    ).first()
    now = utc_now()
    if link is None or link.used_at is not None or link.expires_at <= now:
        raise LinkNotValid()
    link.used_at = now
    person, created = people.person_for_verified_email(session, jurisdiction_id, link.email)
    session.flush()
    record(
        session,
        Actor("citizen", str(person.id), person.display_name),
        action="citizen_signed_in",
        entity_type="person",
        entity_id=person.id,
        jurisdiction_id=jurisdiction_id,
        details={"method": "email_link", "new_person": created},
    )
    return person, link.language


def peek(session: Session, jurisdiction_id: uuid.UUID, secret: str) -> bool:
    """Whether the link would still work (the page before the sign-in button)."""
    link = session.scalars(
        select(SignInLink).where(
            SignInLink.digest == _digest(secret), SignInLink.jurisdiction_id == jurisdiction_id
        )
    ).first()
    return link is not None and link.used_at is None and link.expires_at > utc_now()
