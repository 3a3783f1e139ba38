"""Walking the chain: the first broken link, and what broke it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from czrm.audit.models import AuditEntry, AuditHead
from czrm.audit.service import GENESIS_HASH, entry_hash, write_pending


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    problem: str | None = None
    seq: int | None = None
    kind: str | None = None  # edited | deleted | inserted | reordered

    def describe(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} entries verified"
        return f"audit chain broken at seq {self.seq} ({self.kind}): {self.problem}"


def _hash_of(row: AuditEntry) -> str:
    return entry_hash(
        seq=row.seq,
        occurred_at=row.occurred_at,
        jurisdiction_id=row.jurisdiction_id,
        actor_type=row.actor_type,
        actor_id=row.actor_id,
        action=row.action,
        entity_type=row.entity_type,
        entity_id=row.entity_id,
        details=row.details,
        prev_hash=row.prev_hash,
    )


def verify_chain(
    session: Session, progress: Callable[[int], None] | None = None, batch: int = 5000
) -> VerifyResult:
    """Check every entry in ``seq`` order against its predecessor and the head."""
    write_pending(session)
    head = session.execute(select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == 1)).one()
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    rows = session.execute(
        select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    ).scalars()
    for row in rows:
        if row.seq > head.seq:
            return VerifyResult(
                False, checked, "entry exists past the recorded head", row.seq, "inserted"
            )
        if row.seq > expected_seq:
            return VerifyResult(
                False,
                checked,
                f"entries {expected_seq}..{row.seq - 1} are missing",
                expected_seq,
                "deleted",
            )
        if row.prev_hash != prev_hash:
            kind = "reordered" if _is_moved(session, row) else "inserted"
            return VerifyResult(
                False, checked, "entry does not follow its predecessor", row.seq, kind
            )
        if row.hash != _hash_of(row):
            return VerifyResult(
                False, checked, "contents do not match the entry's hash", row.seq, "edited"
            )
        prev_hash = row.hash
        expected_seq += 1
        checked += 1
        if progress and checked % batch == 0:
            progress(checked)
        session.expunge(row)
    if head.seq > checked:
        return VerifyResult(
            False,
            checked,
            f"entries {checked + 1}..{head.seq} are missing",
            checked + 1,
            "deleted",
        )
    if head.hash != prev_hash:
        return VerifyResult(
            False, checked, "the head does not match the last entry", head.seq, "edited"
        )
    return VerifyResult(True, checked)


def _is_moved(session: Session, row: AuditEntry) -> bool:
    """A row whose predecessor exists elsewhere in the chain was moved, not forged."""
    other = session.execute(
        select(AuditEntry.seq).where(
            AuditEntry.hash == row.prev_hash, AuditEntry.seq != row.seq - 1
        )
    ).first()
    return other is not None
