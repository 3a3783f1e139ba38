"""Appending to the hash chain, in the caller's transaction.

The chain head is one locked row, so concurrent writers append one after
another and ``seq`` stays dense; the entries commit or roll back with the
change they describe. ``seq`` follows commit order.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

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


_PENDING = "czrm_audit_pending"


@dataclass
class _Pending:
    fields: dict[str, Any]
    transaction: SessionTransaction | None


def record(
    session: Session,
    actor: Actor,
    *,
    action: str,
    entity_type: str,
    entity_id: object,
    jurisdiction_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Note one entry for this transaction; ``details`` must hold no personal data.

    The entry is appended to the chain when the transaction commits (or when
    the audit log is read inside it), so the chain's head is locked only for
    the instant before commit and concurrent writers do not queue behind each
    other's work. A rolled-back transaction or savepoint drops its entries.
    """
    # Round-trip details through JSON so what is hashed is what is stored.
    clean_details = json.loads(json.dumps(details or {}, default=str))
    fields: dict[str, Any] = {
        "occurred_at": utc_now(),
        "jurisdiction_id": jurisdiction_id,
        "actor_type": actor.kind,
        "actor_id": actor.id,
        "action": action,
        "entity_type": entity_type,
        "entity_id": str(entity_id),
        "details": clean_details,
    }
    transaction = session.get_nested_transaction() or session.get_transaction()
    session.info.setdefault(_PENDING, []).append(_Pending(fields, transaction))


def write_pending(session: Session) -> list[int]:
    """Append this transaction's noted entries to the chain now; returns their ``seq``."""
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if not pending:
        return []
    head = session.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1).with_for_update()
    ).one()
    seq, prev_hash = head.seq, head.hash
    rows = []
    for entry in pending:
        seq += 1
        fields = {**entry.fields, "seq": seq, "prev_hash": prev_hash}
        prev_hash = entry_hash(**fields)
        rows.append({**fields, "hash": prev_hash})
    # Core statements on the session's connection: the chain's rows are never
    # needed as objects in this transaction, so the ORM's bookkeeping is skipped.
    connection = session.connection()
    connection.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    chain_head = cast(Table, AuditHead.__table__)
    connection.execute(
        update(chain_head).where(chain_head.c.id == 1).values(seq=seq, hash=prev_hash)
    )
    return [row["seq"] for row in rows]


def _within(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "before_commit")
def _append_before_commit(session: Session) -> None:
    # Only the outermost commit: entries written inside a savepoint would be
    # lost with it, including entries noted before it began.
    if not session.in_nested_transaction() and session.info.get(_PENDING):
        # Flush the change itself first, so the head stays locked only for
        # the chain's own statements and the commit.
        session.flush()
        write_pending(session)


@event.listens_for(Session, "after_soft_rollback")
def _drop_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    pending: list[_Pending] | None = session.info.get(_PENDING)
    if not pending:
        return
    if not previous_transaction.nested:
        session.info.pop(_PENDING, None)
        return
    session.info[_PENDING] = [
        p for p in pending if not _within(p.transaction, previous_transaction)
    ]


@event.listens_for(Session, "do_orm_execute")
def _read_your_own_entries(state: ORMExecuteState) -> None:
    """A read of the audit log sees the transaction's own entries (outside savepoints)."""
    session = state.session
    if session.info.get(_PENDING) and state.is_select and not session.in_nested_transaction():
        statement = state.statement
        if isinstance(statement, ClauseElement) and AuditEntry.__table__ in find_tables(
            statement, include_crud=True
        ):
            write_pending(session)
