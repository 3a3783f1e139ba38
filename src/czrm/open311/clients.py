"""Registered Open311 client applications and their api_keys.

A key is shown once, when the client is registered; the database holds only
its keyed digest and a short prefix to recognise it by. A revoked key stops
working at once.
"""

from __future__ import annotations

import secrets
import uuid

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from czrm.audit.service import record
from czrm.auth.passwords import token_digest
from czrm.auth.subject import Actor, Permission, Subject
from czrm.errors import NotFound
from czrm.kit.time import utc_now
from czrm.open311.models import Open311Client

KEY_PREFIX = "o311_"
MAX_KEY = 200


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def actor_of(client: Open311Client) -> Actor:
    return Actor(kind="client", id=str(client.id), label=client.name)


# Built once: every Open311 POST authenticates (a statement built per call is
# re-coerced and re-keyed for the compiled cache each time).
_BY_DIGEST = select(Open311Client).where(Open311Client.key_digest == bindparam("digest"))


class ClientService:
    def list(self, session: Session, subject: Subject) -> list[Open311Client]:
        subject.require(Permission.SERVICES_ADMIN)
        stmt = (
            select(Open311Client)
            .where(Open311Client.jurisdiction_id == subject.jurisdiction_id)
            .order_by(Open311Client.created_at, Open311Client.name)
        )
        return list(session.scalars(stmt))

    def create(self, session: Session, subject: Subject, *, name: str) -> tuple[str, Open311Client]:
        """Returns the key (the only time it exists in clear) and the client."""
        subject.require(Permission.SERVICES_ADMIN)
        key = new_key()
        client = Open311Client(
            jurisdiction_id=subject.jurisdiction_id,
            name=name.strip()[:200],
            key_digest=token_digest(key),
            key_prefix=key[:12],
            created_at=utc_now(),
        )
        session.add(client)
        session.flush()
        record(
            session,
            subject.actor,
            action="open311_client_created",
            entity_type="open311_client",
            entity_id=client.id,
            jurisdiction_id=subject.jurisdiction_id,
            details={"name": client.name, "key_prefix": client.key_prefix},
        )
        return key, client

    def get(self, session: Session, subject: Subject, client_id: uuid.UUID) -> Open311Client:
        subject.require(Permission.SERVICES_ADMIN)
        client = session.get(Open311Client, client_id)
        if client is None or client.jurisdiction_id != subject.jurisdiction_id:
            raise NotFound("Open311 client", client_id)
        return client

    def revoke(self, session: Session, subject: Subject, client: Open311Client) -> Open311Client:
        subject.require(Permission.SERVICES_ADMIN)
        if client.revoked_at is None:
            client.revoked_at = utc_now()
            session.flush()
            record(
                session,
                subject.actor,
                action="open311_client_revoked",
                entity_type="open311_client",
                entity_id=client.id,
                jurisdiction_id=subject.jurisdiction_id,
                details={"key_prefix": client.key_prefix},
            )
        return client

    def authenticate(self, session: Session, key: str | None) -> Open311Client | None:
        """The active client holding ``key``, else None (missing, unknown or revoked)."""
        if not key or len(key) > MAX_KEY:
            return None
        client = session.scalars(_BY_DIGEST, {"digest": token_digest(key)}).first()
        if client is None or client.revoked_at is not None:
            return None
        return client


client_service = ClientService()
