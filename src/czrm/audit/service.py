"""Appending to the hash chain, in the caller's transaction.

The chain head is one locked row, so concurrent writers append one after
another and ``seq`` stays dense; the entry commits or rolls back with the
change it describes.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry, AuditHead
from czrm.auth.subject import Actor
from czrm.kit.time import utc_now

GENESIS_HASH = "0" * 64


def canonical(
    *,
    seq: int,
    occurred_at: datetime,
    jurisdiction_id: uuid.UUID | None,
    actor_type: str,
    actor_id: str | None,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any],
    prev_hash: str,
) -> bytes:
    """The exact bytes an entry's hash covers; stable across databases."""
    body = {
        "seq": seq,
        "occurred_at": occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "jurisdiction_id": str(jurisdiction_id) if jurisdiction_id else None,
        "actor_type": actor_type,
        "actor_id": actor_id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details,
        "prev_hash": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def record(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity_type: str,
    entity_id: object,
    jurisdiction_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> int:
    """Append one entry; returns its ``seq``. ``details`` must hold no personal data."""
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    # Round-trip details through JSON so what is hashed is what is stored.
    clean_details = json.loads(json.dumps(details or {}, default=str))
    fields: dict[str, Any] = {
        "seq": head.seq + 1,
        "occurred_at": utc_now(),
        "jurisdiction_id": jurisdiction_id,
        "actor_type": actor.kind,
        "actor_id": actor.id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "details": clean_details,
        "prev_hash": head.hash,
    }
    digest = entry_hash(**fields)
    session.execute(insert(AuditEntry).values(**fields, hash=digest))
    session.execute(
        update(AuditHead).where(AuditHead.id == 1).values(seq=fields["seq"], hash=digest)
    )
    return int(fields["seq"])
