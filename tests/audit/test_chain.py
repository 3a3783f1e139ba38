"""The hash chain catches edits, deletions, insertions and reorders made in SQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from czrm.audit.models import AuditEntry
from czrm.audit.service import record, write_pending
from czrm.audit.verify import verify_chain
from czrm.auth.subject import SYSTEM


def _write(session: Session, n: int) -> list[int]:
    for i in range(n):
        record(
            session,
            SYSTEM,
            action="thing_done",
            entity_type="thing",
            entity_id=i,
            jurisdiction_id=None,
            details={"n": i, "label": "ünïcode ✓"},
        )
    return write_pending(session)


def _tamper(session: Session, dialect: str, sql: str, **params: object) -> None:
    """A DBA editing rows directly; on PostgreSQL they must first bypass the trigger."""
    if dialect == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = replica"))
    session.execute(text(sql), params)
    if dialect == "postgresql":
        session.execute(text("SET LOCAL session_replication_role = origin"))


def test_an_untouched_chain_verifies(session: Session) -> None:
    seqs = _write(session, 5)
    assert seqs == list(range(seqs[0], seqs[0] + 5))
    result = verify_chain(session)
    assert result.ok, result.describe()
    assert result.checked == seqs[-1]


def test_an_edit_is_caught(session: Session, dialect: str) -> None:
    seqs = _write(session, 5)
    _tamper(
        session,
        dialect,
        "UPDATE audit_log SET action = 'nothing_happened' WHERE seq = :s",
        s=seqs[2],
    )
    result = verify_chain(session)
    assert not result.ok
    assert (result.seq, result.kind) == (seqs[2], "edited")


def test_a_deletion_in_the_middle_is_caught(session: Session, dialect: str) -> None:
    seqs = _write(session, 5)
    _tamper(session, dialect, "DELETE FROM audit_log WHERE seq = :s", s=seqs[1])
    result = verify_chain(session)
    assert (result.ok, result.seq, result.kind) == (False, seqs[1], "deleted")


def test_a_deletion_at_the_end_is_caught(session: Session, dialect: str) -> None:
    seqs = _write(session, 3)
    _tamper(session, dialect, "DELETE FROM audit_log WHERE seq = :s", s=seqs[-1])
    result = verify_chain(session)
    assert (result.ok, result.seq, result.kind) == (False, seqs[-1], "deleted")


def test_a_reorder_is_caught(session: Session, dialect: str) -> None:
    seqs = _write(session, 5)
    a, b = seqs[1], seqs[2]
    _tamper(session, dialect, "UPDATE audit_log SET seq = -1 WHERE seq = :a", a=a)
    _tamper(session, dialect, "UPDATE audit_log SET seq = :a WHERE seq = :b", a=a, b=b)
    _tamper(session, dialect, "UPDATE audit_log SET seq = :b WHERE seq = -1", b=b)
    result = verify_chain(session)
    assert (result.ok, result.seq, result.kind) == (False, a, "reordered")


def test_an_insertion_is_caught(session: Session, dialect: str) -> None:
    seqs = _write(session, 3)
    forged = seqs[-1] + 1
    _tamper(
        session,
        dialect,
        "INSERT INTO audit_log (seq, occurred_at, actor_type, action, entity_type, entity_id, "
        "details, prev_hash, hash) VALUES (:s, '2026-01-01 00:00:00', 'system', 'forged', "
        "'thing', '1', '{}', :p, :h)",
        s=forged,
        p="f" * 64,
        h="e" * 64,
    )
    result = verify_chain(session)
    assert (result.ok, result.kind) == (False, "inserted")
    assert result.seq == forged


def test_postgresql_refuses_update_and_delete_of_audit_rows(session: Session, dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    seqs = _write(session, 1)
    for sql in (
        "UPDATE audit_log SET action = 'x' WHERE seq = :s",
        "DELETE FROM audit_log WHERE seq = :s",
    ):
        savepoint = session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(sql), {"s": seqs[0]})
        savepoint.rollback()
    assert verify_chain(session).ok


def test_rolled_back_change_leaves_no_audit_entry(session: Session) -> None:
    first = _write(session, 1)
    record(session, SYSTEM, action="kept", entity_type="t", entity_id=1, jurisdiction_id=None)
    savepoint = session.begin_nested()
    record(session, SYSTEM, action="dropped", entity_type="t", entity_id=2, jurisdiction_id=None)
    inner = session.begin_nested()
    record(session, SYSTEM, action="dropped", entity_type="t", entity_id=3, jurisdiction_id=None)
    inner.commit()
    savepoint.rollback()
    record(session, SYSTEM, action="kept", entity_type="t", entity_id=4, jurisdiction_id=None)
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.seq > first[0]).order_by(AuditEntry.seq)
    ).all()
    assert actions == ["kept", "kept"]
    assert verify_chain(session).ok


def test_entries_reach_the_chain_at_commit(fresh_engine: Engine) -> None:
    sessions = sessionmaker(fresh_engine)
    with sessions.begin() as session:
        record(session, SYSTEM, action="one", entity_type="t", entity_id=1, jurisdiction_id=None)
        record(session, SYSTEM, action="two", entity_type="t", entity_id=2, jurisdiction_id=None)
    with sessions() as session:
        rows = session.execute(select(AuditEntry.seq, AuditEntry.action)).all()
        assert [tuple(r) for r in rows] == [(1, "one"), (2, "two")]
    failed = sessions()
    record(failed, SYSTEM, action="never", entity_type="t", entity_id=3, jurisdiction_id=None)
    failed.rollback()
    failed.close()
    with sessions() as session:
        assert verify_chain(session).checked == 2


def test_concurrent_writers_keep_the_chain_dense_and_valid(fresh_engine: Engine) -> None:
    """Writers racing on the head row append one after another, never forking the chain."""
    sessions = sessionmaker(fresh_engine)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                with sessions.begin() as session:
                    record(
                        session,
                        SYSTEM,
                        action="race",
                        entity_type="t",
                        entity_id=f"{n}-{i}",
                        jurisdiction_id=None,
                    )
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with sessions() as session:
        result = verify_chain(session)
        seqs = session.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)).all()
    assert result.ok, result.describe()
    assert list(seqs) == list(range(1, 101))


def test_a_transaction_committing_late_is_chained_after_those_before_it(
    fresh_engine: Engine,
) -> None:
    """Entries wait in audit_pending without any lock; sealing chains what has
    committed, and a transaction that commits later is chained later."""
    from czrm.audit.models import AuditPending
    from czrm.audit.service import _stage, seal

    sessions = sessionmaker(fresh_engine)
    slow = sessions()
    record(slow, SYSTEM, action="slow", entity_type="t", entity_id=1, jurisdiction_id=None)
    postgresql = fresh_engine.dialect.name == "postgresql"
    if postgresql:  # SQLite lets one writer in at a time: there, slow simply comes second
        _stage(slow)  # written first (the lower id), committed last
    with sessions.begin() as quick:
        record(quick, SYSTEM, action="quick", entity_type="t", entity_id=2, jurisdiction_id=None)
    if postgresql:
        with sessions.begin() as sealer:
            assert seal(sealer) == [1]
    slow.commit()
    slow.close()
    with sessions.begin() as sealer:
        pending = sealer.scalar(select(AuditPending.id).limit(1))
        seal(sealer)
    assert pending is not None  # the late entry waited for a seal
    with sessions() as session:
        rows = session.execute(select(AuditEntry.seq, AuditEntry.action).order_by(AuditEntry.seq))
        assert [action for _seq, action in rows] == ["quick", "slow"]
        assert session.scalar(select(AuditPending.id).limit(1)) is None
        assert verify_chain(session).ok


def test_the_worker_chains_committed_entries(fresh_engine: Engine) -> None:
    from czrm.audit.models import AuditPending
    from czrm.jobs.worker import Worker

    sessions = sessionmaker(fresh_engine)
    with sessions.begin() as session:
        for n in range(3):
            record(
                session, SYSTEM, action="done", entity_type="t", entity_id=n, jurisdiction_id=None
            )
    with sessions() as session:
        assert len(session.scalars(select(AuditPending.id)).all()) == 3
    assert Worker(sessions).seal_audit() == 3
    with sessions() as session:
        assert session.scalars(select(AuditPending.id)).all() == []
        assert verify_chain(session).checked == 3
