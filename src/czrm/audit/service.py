"""Writing audit entries, and chaining them.

An entry is written in the caller's transaction, to ``audit_pending``, so it
commits or rolls back with the change it describes and concurrent requests
never wait on one another for it. ``seal`` then appends committed entries to
the hash chain (``audit_log``) under the head row's lock, in one short
transaction: ``seq`` stays dense and follows the order entries were sealed.
A worker seals every second; whoever reads the log seals first, so a read of
the log always sees a chained, complete log (including, inside a
transaction, that transaction's own entries).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, delete, event, insert, select, update
from sqlalchemy.orm import ORMExecuteState, Session, SessionTransaction
from sqlalchemy.sql.elements import ClauseElement
from sqlalchemy.sql.util import find_tables

from czrm.audit.models import AuditEntry, AuditHead, AuditPending
from czrm.auth.subject import Actor
from czrm.kit.sql import in_ids
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
_INSERT_PENDING = insert(cast(Table, AuditPending.__table__))


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

    The entry is written when the transaction commits (or when the audit log
    is read inside it) and chained by ``seal`` afterwards, so concurrent writers
    never queue behind each other for it. A rolled-back transaction or
    savepoint drops its entries.
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


def _stage(session: Session) -> None:
    """Write this transaction's noted entries to ``audit_pending`` (no lock taken)."""
    pending: list[_Pending] = session.info.pop(_PENDING, [])
    if pending:
        # Core on the session's connection: never needed as objects here. One
        # entry (most requests note one) is a plain execute, not an executemany.
        rows = [entry.fields for entry in pending]
        session.connection().execute(_INSERT_PENDING, rows[0] if len(rows) == 1 else rows)


def seal(session: Session, *, limit: int | None = None, wait: bool = True) -> list[int]:
    """Append committed pending entries (and this transaction's) to the chain, in
    the order they were written; returns their ``seq``. With ``wait`` false, a
    sealer finding another at work leaves it to them and returns nothing."""
    head_stmt = select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)
    head = session.execute(head_stmt.with_for_update(skip_locked=not wait)).first()
    if head is None:
        return []
    connection = session.connection()
    pending = cast(Table, AuditPending.__table__)
    found = connection.execute(select(pending).order_by(pending.c.id).limit(limit)).all()
    if not found:
        return []
    seq, prev_hash = head.seq, head.hash
    rows = []
    for entry in found:
        seq += 1
        # The pending row's columns are the entry's, bar its id.
        fields = {k: v for k, v in entry._mapping.items() if k != "id"}
        fields.update(seq=seq, prev_hash=prev_hash)
        prev_hash = entry_hash(**fields)
        rows.append({**fields, "hash": prev_hash})
    connection.execute(insert(cast(Table, AuditEntry.__table__)), rows)
    # By id, never by range: an entry committed since the read above is not sealed yet.
    connection.execute(
        delete(pending).where(in_ids(pending.c.id, "ids")), {"ids": [e.id for e in found]}
    )
    chain_head = cast(Table, AuditHead.__table__)
    connection.execute(
        update(chain_head).where(chain_head.c.id == 1).values(seq=seq, hash=prev_hash)
    )
    return [row["seq"] for row in rows]


def write_pending(session: Session) -> list[int]:
    """Chain this transaction's noted entries (and any committed ones) now."""
    _stage(session)
    return seal(session)


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
        _stage(session)


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
def _read_a_sealed_log(state: ORMExecuteState) -> None:
    """A read of the audit log sees every committed entry chained, and the
    transaction's own entries too (outside savepoints)."""
    if not state.is_select:
        return
    # Every select asks, so the statement's leading entity answers (listing all
    # its entities cost ~17 µs a select); only a statement naming no entity is walked.
    mapper = state.bind_mapper
    if mapper is not None:
        reads_log = mapper.local_table is AuditEntry.__table__
    else:
        statement = state.statement
        reads_log = isinstance(statement, ClauseElement) and AuditEntry.__table__ in find_tables(
            statement, include_crud=True
        )
    if reads_log:
        session = state.session
        if not session.in_nested_transaction():
            _stage(session)
        seal(session)
