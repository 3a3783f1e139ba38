from __future__ import annotations

import uuid

from czrm.kit.ids import uuid7s


def test_ids_carry_their_millisecond_and_sort_in_the_order_made() -> None:
    ids = uuid7s(5000, now_ms=1_796_000_000_000)
    assert ids == sorted(ids)
    assert len(set(ids)) == 5000
    assert {i.version for i in ids} == {7}
    assert {i.variant for i in ids} == {uuid.RFC_4122}
    # 4,096 to a millisecond; the rest take the next one.
    assert ids[0].int >> 80 == 1_796_000_000_000
    assert ids[4095].int >> 80 == 1_796_000_000_000
    assert ids[4096].int >> 80 == 1_796_000_000_001


def test_ids_sort_in_postgresql_as_in_python() -> None:
    # PostgreSQL orders uuids byte by byte: the big-endian bytes must sort as the ids do.
    ids = uuid7s(300)
    assert sorted(ids, key=lambda i: i.bytes) == ids


def test_two_batches_share_no_id() -> None:
    assert not set(uuid7s(1000, now_ms=1)) & set(uuid7s(1000, now_ms=1))
